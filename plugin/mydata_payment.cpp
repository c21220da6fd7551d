#include "plugin/mydata_payment.hpp"

#include "core/errors.hpp"

namespace fiscpos::plugin {

einvoice::PaymentLine mydataPaymentLine(const JournalEntry& entry, const std::string& field) {
    if (entry.state != EntryState::Approved || !entry.transactionId) {
        throw core::InputError(field, "entry " + entry.id + " is " +
                                          std::string(stateName(entry.state)) +
                                          ", not an approved payment");
    }
    einvoice::CardPayment card;
    card.iris = entry.iris();
    card.amount = entry.amount;
    if (entry.tip.cents() != 0) {
        card.tip = entry.tip;
    }
    card.transactionId = *entry.transactionId;
    card.tid = entry.tid;
    if (entry.signature && entry.providerId) {
        card.signingAuthor = *entry.providerId;
        card.signature = *entry.signature;
    }
    return einvoice::cardPaymentLine(card);
}

} // namespace fiscpos::plugin
