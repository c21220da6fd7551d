// The kinds and states of journal entries as people read them, in their language: the cashier's
// outcome lines, `fiscpos journal list/show` and the audit pages say "πώληση", "εγκρίθηκε".
// The journal, --json and CSV keep the names of journal_state.hpp.
#pragma once

#include "core/i18n.hpp"
#include "plugin/journal/journal_state.hpp"

#include <string>

namespace fiscpos::plugin {

// "sale", "refund", "void of a sale", "pre-authorisation", "capture of a pre-authorisation",
// "batch close".
std::string kindWords(core::Language language, EntryKind kind);
// "approved", "declined", "in doubt", "being signed", ... (lower case).
std::string stateWords(core::Language language, EntryState state);

} // namespace fiscpos::plugin
