// core::Terminal over the Cloud Terminal API (network "viva"). Our reference is the sessionId;
// a sale carries the provider's signature in the aade* fields and merchantReference
// "fiscpos:<reference>"; query() reads the session back.
//
// When does "404 Session id was not found" mean the request never arrived? Viva may answer 404 for
// a few seconds before it registers a new session, so a 404 is taken for "not registered yet"
// (Pending) while this terminal object sent (or tried to send) the request less than
// register_grace_seconds (VivaSettings::registerGrace, 15 s) ago, or Viva accepted it. For a
// reference this object never sent (another process sent it, perhaps a moment before it stopped),
// query() waits out the grace on its clock once and asks again. A 404 after the grace is checked
// against the lists of the UTC day and the day before (GET sessions?date=): found there, the report
// is what the list says; absent there too, it is NotFound. A sale whose POST never reached Viva
// thus ends NotFound, and the PaymentService's recovery closes it as not charged, in one question.
#pragma once

#include "core/terminal.hpp"
#include "viva/sent_references.hpp"
#include "viva/viva_client.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace fiscpos::viva {

// The provider's signature in Viva's fields, after checking that the Input is in Viva's layout
// (UID;MARK;YYYYMMDDhhmmss;Payable;Net;VAT;Total;TID) with the payable `amount` and TID `tid`.
// aadeProviderId is `providerId` when set, else the signature's. InputError naming the field.
AadeSignature aadeSignature(const core::SignedPayment& signature, core::Money amount,
                            const std::string& tid, const std::string& providerId);

// When the request carries a provider signature: the amount is its payable and its TID this
// terminal's. InputError naming "amount" or "signature.tid".
void checkSignedCharge(const core::PaymentRequest& request, const VivaSettings& settings);

// Checks, before anything is signed or written (the reference may not exist yet), what the Cloud
// Terminal API can carry: the amount positive, a tip, a pre-authorisation and instalments only
// on a sale (no tip on a pre-authorisation, 0 to 99 instalments), a refund or completion names
// its sale's sessionId. InputError naming the field.
void admitTransactionRequest(const core::PaymentRequest& request);

// Checks a payment request against the settings before anything is sent and turns it into the
// transaction request: the reference is a sessionId, the amount the signed payable, the signed
// TID this terminal's, a completion names its sale. InputError naming the field.
TransactionRequest transactionRequestFor(const core::PaymentRequest& request,
                                         const VivaSettings& settings);

// The report of a final session: Approved when `success`, otherwise what its eventId means.
// ids: intentId = sessionId, transactionId = aadeTransactionId (myDATA), networkTransactionRef =
// Viva's transactionId. `tid` is used when the session names none.
core::TerminalReport reportOf(const Session& session, const std::string& tid);

// What Viva's terminals carry and how they behave, for the Cloud API ("viva") and the Orders flow
// ("viva-orders") alike. No customer e-mail or phone: the sale request has no field for them
// (contract viva-cloud-terminal.md §5.1; customerTrns is text shown to the customer, not a
// contact). A decline may still turn: at the contactless limit a failed tap is recorded, and
// after the PIN the payment is created (§14 item 1, "failed" then "success" for the same sale;
// item 5, the session and the portal disagree; an order's transactions show the same pattern).
// Sessions live about a minute on the terminal (§7.1, §14 item 2); a decline is asked about again
// for five minutes, several such lives.
core::TerminalTraits vivaTraits(std::string network);

class VivaTerminal final : public core::Terminal {
public:
    // ConfigError naming the setting when the Cloud API settings are unusable; what payments need
    // beyond them (tid, cash_register) is checked when a payment starts.
    explicit VivaTerminal(VivaSettings settings, const core::Clock& clock = core::systemClock());

    void admit(const core::PaymentRequest& request) const override;

    VivaClient& client() { return client_; }

private:
    // Sale: transactions:sale. Refund: transactions:refund naming original.intentId (the sale's
    // sessionId), or transactions:unreferenced-refund without an original. PreauthCompletion:
    // transactions:preauth-completion. Accepted: Pending (the caller polls query()); refused
    // outright (4xx): Final/Failed, nothing was charged.
    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override;
    // The session under our reference (see the 404 rule above; a reference this object never sent
    // that Viva does not know costs one wait of the grace on the clock).
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override;
    // A full referenced refund of the sale (parentSessionId = original.intentId, the sale's
    // amount), as its own session under request.reference.
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override;
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override;
    // DELETE of the session: the report says only that Viva took the request (networkStatus
    // ABORT_REQUESTED or ABORT_ALREADY_REQUESTED); the outcome still comes from query().
    // AbortRefused for 403 (another cash register) and 404 (no such session).
    core::TerminalReport doAbort(const std::string& reference,
                                 const core::HttpObserver& record) override;

    // The client's call for one kind of transaction (sale, refund, ...).
    using Endpoint = Accepted (VivaClient::*)(const TransactionRequest&, const core::HttpObserver&);
    core::TerminalReport send(Endpoint endpoint, const TransactionRequest& body,
                              const core::HttpObserver& record);
    core::TerminalReport notFound(const std::string& reference, const std::string& detail,
                                  const core::HttpObserver& record);
    core::TerminalReport pending(const std::string& reference, const std::string& status,
                                 const std::string& message) const;

    const core::Clock& clock_;
    VivaClient client_;
    // Whether Viva accepted each reference sent from here.
    SentReferences<bool> sent_;
};

} // namespace fiscpos::viva
