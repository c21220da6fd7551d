// The states and kinds of a cash journal entry, named in one place. The journal stores the names
// ("SIGNING", "sale"); everything else uses the enums.
#pragma once

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
    Refund, // a new entry linked to the sale it refunds
    Void,   // a new entry linked to the sale it voids; it books nothing
};

// "SIGNING", "SENDING", "SENT", "APPROVED", "DECLINED", "CANCELLED", "FAILED", "IN_DOUBT",
// "NOT_CHARGED".
std::string_view stateName(EntryState state);
// Parses a name above; InputError naming `field` otherwise.
EntryState parseState(std::string_view text, std::string_view field);
std::span<const EntryState> allStates();
bool isOpenState(EntryState state);

// "sale", "refund", "void".
std::string_view kindName(EntryKind kind);
EntryKind parseKind(std::string_view text, std::string_view field);

} // namespace fiscpos::plugin
