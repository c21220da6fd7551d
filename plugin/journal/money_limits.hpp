// The journal's money rules, checked inside the transaction that opens an entry, so that two
// processes (or two threads) can never both pass them: never more back than was taken, never a
// refund and a void of one sale, never one invoice charged beyond its total.
#pragma once

#include "plugin/journal/cash_journal.hpp"

#include <functional>

namespace fiscpos::plugin {

// The entries a rule looks at; the journal answers from inside its write transaction.
using EntryLister = std::function<std::vector<JournalEntry>(const JournalFilter&)>;

// InputError naming the field when opening `entry` would break a rule:
// - a refund, void or completion refers to an approved, unvoided original of the right kind;
// - refunds of a sale (approved or under way) add up to at most the sale; a void is refused once a
//   refund or another void of the sale is approved or under way, and a refund once a void is;
// - completions of a pre-authorisation add up to at most the reserved amount;
// - the sales and completions of one invoice (by its UID), approved or under way and not voided,
//   add up to at most the invoice's total; the message names the entries that paid it already.
void checkMoneyLimits(const NewEntry& entry, const JournalEntry* original, const EntryLister& list);

} // namespace fiscpos::plugin
