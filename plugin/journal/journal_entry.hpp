// A cash journal entry: one card payment, refund or void, with its current state and the fields
// an accountant filters on. The entry is what the events made it: every field is set by an event
// (see journal_event.hpp), so `journal verify` can rebuild each entry from its events.
#pragma once

#include "core/money.hpp"
#include "plugin/journal/journal_state.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fiscpos::signing {
struct ProviderSignature;
}

namespace fiscpos::plugin {

struct JournalEntry {
    std::string id;           // UUID
    std::int64_t openedSeq{}; // seq of the event that opened it: a number that orders entries
    std::string createdAt;    // UTC, "2024-05-10T13:43:40Z"
    std::string updatedAt;    // time of its last event
    EntryKind kind = EntryKind::Sale;
    std::string terminal; // the [terminal.NAME] of the configuration
    std::string network;  // mellon | viva | viva-orders | gptom
    std::string tid;      // the terminal id the signature names
    core::Money amount;   // what this entry charges (sale), gives back (refund) or voids (void)
    core::Money tip;
    std::string currency; // "EUR"
    std::optional<std::string> idempotencyKey;
    std::optional<std::string> originalEntry; // the sale a refund or void refers to
    EntryState state = EntryState::Signing;
    std::optional<std::string> outcome; // the message for the cashier / accountant

    std::optional<std::string> invoiceUid, invoiceSeries, invoiceAa, invoiceType, invoiceIssuedAt;

    // The provider's signature.
    std::optional<std::string> signatureId; // the provider's record id
    std::optional<std::string> signatureInput;
    std::optional<std::string> signature; // base64 DER
    std::optional<std::string> providerId;
    std::optional<std::string> signatureExpiresAt;

    // The network's side.
    std::optional<std::string> networkReference; // ours, chosen before the call
    std::optional<std::string> networkIntentId;  // the network's id of the intent
    std::optional<std::string> transactionId;    // what myDATA's transactionId gets
    std::optional<std::string> rrn, authCode, maskedPan, cardType;

    std::optional<std::string> voidedAt; // set on a sale when a void took it back
    // A preloaded sale (core::PaymentRequest::preload): when the terminal lets it lapse, UTC. Set
    // with the network reference, before the request leaves.
    std::optional<std::string> preloadUntil;
    // A payment taken in autonomous mode (core::AutonomousReason's name): no provider signature;
    // its invoice goes out later with transmissionFailure 1.
    std::optional<std::string> autonomousReason;
    // The network's own id of the transaction where it differs from transactionId (Viva's
    // transactionId beside the aadeTransactionId myDATA gets, GP's amsID): what a refund or a
    // completion names the original by where the network asks for it.
    std::optional<std::string> networkTransactionRef;

    bool voided() const { return voidedAt.has_value(); }
    bool autonomous() const { return autonomousReason.has_value(); }
    bool preloaded() const { return preloadUntil.has_value(); }
    // The network reported an IRIS payment (core::irisCardType): myDATA payment type 8.
    bool iris() const { return cardType && *cardType == core::irisCardType; }
    bool open() const { return isOpenState(state); }
};

// What the PaymentService knows when it opens an entry (step 1 of the payment).
struct NewEntry {
    EntryKind kind = EntryKind::Sale;
    std::string terminal;
    std::string network;
    std::string tid;
    core::Money amount;
    core::Money tip;
    std::string currency = "EUR";
    std::optional<std::string> idempotencyKey;
    std::optional<std::string> originalEntry; // required for refund and void, absent for sale
    std::optional<std::string> invoiceUid, invoiceSeries, invoiceAa, invoiceType, invoiceIssuedAt;
    // The ERP's request as received (e.g. the invoice JSON), kept redacted in the opening event.
    std::string request;
    // The invoice's gross total: its sales and completions together never exceed it. Checked when
    // the entry is opened, not stored (the invoice JSON in the opening event has it).
    std::optional<core::Money> invoiceTotal;
};

// The fields an event sets on its entry; unset fields stay as they are. Values are never cleared.
struct EntryChanges {
    std::optional<EntryState> state;
    std::optional<std::string> outcome;
    std::optional<std::string> invoiceUid, invoiceSeries, invoiceAa, invoiceType, invoiceIssuedAt;
    std::optional<std::string> signatureId, signatureInput, signature, providerId,
        signatureExpiresAt;
    std::optional<std::string> networkReference, networkIntentId, transactionId, rrn, authCode,
        maskedPan, cardType, preloadUntil, autonomousReason, networkTransactionRef;
    // Marks a sale voided, at the time of this event.
    bool voided = false;

    static EntryChanges to(EntryState state) {
        EntryChanges changes;
        changes.state = state;
        return changes;
    }
    // The signature fields and the invoice UID of the provider's answer.
    static EntryChanges fromSignature(const signing::ProviderSignature& signature);
};

} // namespace fiscpos::plugin
