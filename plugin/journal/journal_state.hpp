// The states and kinds of a cash journal entry, named in one place. The journal stores the names
// ("SIGNING", "sale"); everything else uses the enums.
#pragma once

#include "core/terminal.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace fiscpos::plugin {

// Where a card payment stands. SIGNING, SENDING, SENT and IN_DOUBT are open: reconcile settles
// them. The others are final, though a status refresh may still correct a final outcome.
enum class EntryState {
    Signing,    // the entry is open, the provider is asked for the signature
    Sending,    // our network reference is chosen; the intent is about to go to the network
    Sent,       // the network accepted the intent; waiting for the card
    Approved,   // charged
    Declined,   // the card or its issuer said no
    Cancelled,  // cancelled at the terminal or by the ERP before the card was charged
    Failed,     // the payment failed before or at the network, nothing was charged
    InDoubt,    // the outcome is unknown; never charge again before it is settled
    NotCharged, // closed by recovery: the network never received the intent
};

enum class EntryKind {
    Sale,
    Refund,     // linked to the sale it refunds, or unreferenced (money back without a sale)
    Void,       // a new entry linked to the sale it voids; it books nothing
    Preauth,    // a pre-authorisation: the amount is reserved on the card, nothing is booked
    Completion, // linked to the pre-authorisation it captures; books the amount
    BatchClose, // the terminal's batch (day) closed; books nothing, keeps the network's totals
};

// "SIGNING", "SENDING", "SENT", "APPROVED", "DECLINED", "CANCELLED", "FAILED", "IN_DOUBT",
// "NOT_CHARGED".
std::string_view stateName(EntryState state);
// What a final state means to the cashier ("declined by the card's issuer: nothing was
// charged"); the state's name for the others.
std::string stateMeaning(EntryState state);
// Parses a name above; InputError naming `field` otherwise.
EntryState parseState(std::string_view text, std::string_view field);
std::span<const EntryState> allStates();
bool isOpenState(EntryState state);
// Whether the outcome of an entry in `state` is not known (IN_DOUBT): never charge again.
bool isInDoubtState(EntryState state);

// The one table of moves: nullopt when an entry may go from `from` to `to`, else the rule it
// breaks ("only opening an entry starts at SIGNING"). The journal refuses every change that
// breaks it and `journal verify` reports every event that does. Opening starts at SIGNING; only a
// SIGNING entry goes to SENDING (its reference is chosen once), and not after a cancel request
// (`cancelRequested`); every other move is allowed, the final states included: the network's
// later word may correct an outcome (a declined payment the customer's retry charged, an approval
// found after IN_DOUBT).
std::optional<std::string_view> brokenMoveRule(EntryState from, EntryState to,
                                               bool cancelRequested = false);

// The ERP's cancel request is an event of the machine (event_kind::CancelRequested): it is taken
// only while the entry is SIGNING, before anything went to the network, and from then on the
// entry never goes to SENDING. Once a reference is chosen the terminal is asked to stop the
// payment instead. nullopt when a cancel request may be written to an entry in `state`, else the
// rule it breaks.
std::optional<std::string_view> brokenCancelRule(EntryState state);

// The state a network's final outcome puts an entry in.
EntryState stateOfOutcome(core::PaymentOutcome outcome);

// "sale", "refund", "void", "preauth", "completion", "batch_close".
std::string_view kindName(EntryKind kind);
EntryKind parseKind(std::string_view text, std::string_view field);
// The kind of entry another entry of `kind` must refer to (a void's sale, a completion's
// pre-authorisation), or nullopt for the kinds that refer to none. A refund refers to a sale when
// it refers to anything.
std::optional<EntryKind> originalKindOf(EntryKind kind);

} // namespace fiscpos::plugin
