// The myDATA payment line of an approved journal entry: type 7 (8 when the network reported an
// IRIS payment) with amount, tipAmount, transactionId, tid and ProvidersSignature, as the network
// and the provider reported them. No EndToEndReferenceID: none of the networks returns an IRIS
// end-to-end id distinct from the transactionId.
#pragma once

#include "einvoice/mydata_xml.hpp"
#include "plugin/journal/journal_entry.hpp"

namespace fiscpos::plugin {

// InputError naming `field` when the entry is not an approved payment with a transactionId.
einvoice::PaymentLine mydataPaymentLine(const JournalEntry& entry, const std::string& field);

} // namespace fiscpos::plugin
