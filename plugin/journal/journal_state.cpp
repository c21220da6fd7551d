#include "plugin/journal/journal_state.hpp"

#include "core/errors.hpp"

#include <array>
#include <string>

namespace fiscpos::plugin {

namespace {

struct StateName {
    EntryState state;
    std::string_view name;
};

constexpr std::array<StateName, 9> kStates{{
    {EntryState::Signing, "SIGNING"},
    {EntryState::Sending, "SENDING"},
    {EntryState::Sent, "SENT"},
    {EntryState::Approved, "APPROVED"},
    {EntryState::Declined, "DECLINED"},
    {EntryState::Cancelled, "CANCELLED"},
    {EntryState::Failed, "FAILED"},
    {EntryState::InDoubt, "IN_DOUBT"},
    {EntryState::NotCharged, "NOT_CHARGED"},
}};

constexpr auto kAllStates = [] {
    std::array<EntryState, kStates.size()> states{};
    for (std::size_t i = 0; i < kStates.size(); ++i) {
        states[i] = kStates[i].state;
    }
    return states;
}();

} // namespace

std::string_view stateName(EntryState state) {
    for (const auto& s : kStates) {
        if (s.state == state) {
            return s.name;
        }
    }
    return "UNKNOWN";
}

EntryState parseState(std::string_view text, std::string_view field) {
    for (const auto& s : kStates) {
        if (s.name == text) {
            return s.state;
        }
    }
    std::string names;
    for (const auto& s : kStates) {
        names += (names.empty() ? "" : ", ") + std::string(s.name);
    }
    throw core::InputError(std::string(field), "\"" + std::string(text) +
                                                   "\" is not an entry state (one of " + names +
                                                   ")");
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
    switch (kind) {
    case EntryKind::Sale:
        return "sale";
    case EntryKind::Refund:
        return "refund";
    case EntryKind::Void:
        return "void";
    case EntryKind::Preauth:
        return "preauth";
    case EntryKind::Completion:
        return "completion";
    case EntryKind::BatchClose:
        return "batch_close";
    }
    return "unknown";
}

EntryKind parseKind(std::string_view text, std::string_view field) {
    for (EntryKind kind : {EntryKind::Sale, EntryKind::Refund, EntryKind::Void, EntryKind::Preauth,
                           EntryKind::Completion, EntryKind::BatchClose}) {
        if (kindName(kind) == text) {
            return kind;
        }
    }
    throw core::InputError(std::string(field),
                           "\"" + std::string(text) +
                               "\" is not an entry kind (sale, refund, void, preauth, completion, "
                               "batch_close)");
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
