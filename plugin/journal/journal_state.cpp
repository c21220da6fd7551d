#include "plugin/journal/journal_state.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"

#include <array>
#include <string>

namespace fiscpos::plugin {

namespace {

// Each state's name in the journal and, for the final ones, what it means to the cashier.
struct StateRow {
    EntryState state;
    std::string_view name;
    std::string_view meaning;
};

constexpr StateRow stateRows[] = {
    {EntryState::Signing, "SIGNING", ""},
    {EntryState::Sending, "SENDING", ""},
    {EntryState::Sent, "SENT", ""},
    {EntryState::Approved, "APPROVED", "approved"},
    {EntryState::Declined, "DECLINED", "declined by the card's issuer: nothing was charged"},
    {EntryState::Cancelled, "CANCELLED", "cancelled at the terminal: nothing was charged"},
    {EntryState::Failed, "FAILED", "the payment failed: nothing was charged"},
    {EntryState::InDoubt, "IN_DOUBT",
     "the outcome is not known yet: do not charge again; run status or reconcile"},
    {EntryState::NotCharged, "NOT_CHARGED",
     "the network never received the payment: nothing was charged"},
};

constexpr auto stateNames = [] {
    std::array<core::Named<EntryState>, std::size(stateRows)> rows{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i] = {stateRows[i].state, stateRows[i].name};
    }
    return core::NameTable(rows);
}();

constexpr auto kindNames = core::nameTable<EntryKind>({{EntryKind::Sale, "sale"},
                                                       {EntryKind::Refund, "refund"},
                                                       {EntryKind::Void, "void"},
                                                       {EntryKind::Preauth, "preauth"},
                                                       {EntryKind::Completion, "completion"},
                                                       {EntryKind::BatchClose, "batch_close"}});

constexpr auto kAllStates = [] {
    std::array<EntryState, stateNames.rows().size()> states{};
    for (std::size_t i = 0; i < states.size(); ++i) {
        states[i] = stateNames.rows()[i].value;
    }
    return states;
}();

} // namespace

std::string_view stateName(EntryState state) {
    return stateNames.name(state, "UNKNOWN");
}

std::string stateMeaning(EntryState state) {
    for (const auto& row : stateRows) {
        if (row.state == state && !row.meaning.empty()) {
            return std::string(row.meaning);
        }
    }
    return std::string(stateName(state));
}

EntryState parseState(std::string_view text, std::string_view field) {
    return stateNames.parse(text, field, "an entry state");
}

std::span<const EntryState> allStates() {
    return kAllStates;
}

bool isOpenState(EntryState state) {
    return state == EntryState::Signing || state == EntryState::Sending ||
           state == EntryState::Sent || state == EntryState::InDoubt;
}

bool isInDoubtState(EntryState state) {
    return state == EntryState::InDoubt;
}

std::optional<std::string_view> brokenMoveRule(EntryState from, EntryState to,
                                               bool cancelRequested) {
    if (to == EntryState::Signing) {
        return "only opening an entry starts at SIGNING; nothing goes back to it";
    }
    if (to == EntryState::Sending && from != EntryState::Signing) {
        return "only a SIGNING entry goes to SENDING";
    }
    if (to == EntryState::Sending && cancelRequested) {
        return "the ERP cancelled the payment: it does not go to the network";
    }
    return std::nullopt;
}

std::optional<std::string_view> brokenCancelRule(EntryState state) {
    if (state != EntryState::Signing) {
        return "a cancel request is taken only while the entry is SIGNING; once its reference is "
               "chosen the terminal is asked to stop the payment";
    }
    return std::nullopt;
}

EntryState stateOfOutcome(core::PaymentOutcome outcome) {
    switch (outcome) {
    case core::PaymentOutcome::Approved:
        return EntryState::Approved;
    case core::PaymentOutcome::Declined:
        return EntryState::Declined;
    case core::PaymentOutcome::Cancelled:
        return EntryState::Cancelled;
    case core::PaymentOutcome::Failed:
        return EntryState::Failed;
    case core::PaymentOutcome::InDoubt:
        return EntryState::InDoubt;
    }
    return EntryState::InDoubt;
}

std::string_view kindName(EntryKind kind) {
    return kindNames.name(kind);
}

EntryKind parseKind(std::string_view text, std::string_view field) {
    return kindNames.parse(text, field, "an entry kind");
}

std::optional<EntryKind> originalKindOf(EntryKind kind) {
    switch (kind) {
    case EntryKind::Refund:
    case EntryKind::Void:
        return EntryKind::Sale;
    case EntryKind::Completion:
        return EntryKind::Preauth;
    default:
        return std::nullopt;
    }
}

} // namespace fiscpos::plugin
