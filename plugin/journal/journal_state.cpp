#include "plugin/journal/journal_state.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"

#include <array>
#include <string>

namespace fiscpos::plugin {

namespace {

constexpr auto stateNames = core::nameTable<EntryState>({{EntryState::Signing, "SIGNING"},
                                                         {EntryState::Sending, "SENDING"},
                                                         {EntryState::Sent, "SENT"},
                                                         {EntryState::Approved, "APPROVED"},
                                                         {EntryState::Declined, "DECLINED"},
                                                         {EntryState::Cancelled, "CANCELLED"},
                                                         {EntryState::Failed, "FAILED"},
                                                         {EntryState::InDoubt, "IN_DOUBT"},
                                                         {EntryState::NotCharged, "NOT_CHARGED"}});

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
