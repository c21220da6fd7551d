#include "plugin/journal/entry_words.hpp"

namespace fiscpos::plugin {

std::string kindWords(core::Language language, EntryKind kind) {
    switch (kind) {
    case EntryKind::Sale:
        return core::tr(language, "sale");
    case EntryKind::Refund:
        return core::tr(language, "refund");
    case EntryKind::Void:
        return core::tr(language, "void of a sale");
    case EntryKind::Preauth:
        return core::tr(language, "pre-authorisation");
    case EntryKind::Completion:
        return core::tr(language, "capture of a pre-authorisation");
    case EntryKind::BatchClose:
        return core::tr(language, "batch close");
    }
    return std::string(kindName(kind));
}

std::string stateWords(core::Language language, EntryState state) {
    switch (state) {
    case EntryState::Signing:
        return core::tr(language, "being signed");
    case EntryState::Sending:
        return core::tr(language, "being sent");
    case EntryState::Sent:
        return core::tr(language, "at the terminal");
    case EntryState::Approved:
        return core::tr(language, "approved");
    case EntryState::Declined:
        return core::tr(language, "declined");
    case EntryState::Cancelled:
        return core::tr(language, "cancelled");
    case EntryState::Failed:
        return core::tr(language, "failed");
    case EntryState::InDoubt:
        return core::tr(language, "in doubt");
    case EntryState::NotCharged:
        return core::tr(language, "not charged");
    }
    return std::string(stateName(state));
}

} // namespace fiscpos::plugin
