// The accountant's reading of the cash journal: which business day an entry belongs to, what it
// did to the till (a signed amount), and a daily summary per terminal like a Z report, with the
// totals the network reported when it closed the terminal's batch. Plain values, no output
// format: the exports, `fiscpos journal` and the audit pages build on it.
//
// Business day: the Athens calendar day of the entry's created_at (a sale at 23:30 UTC in summer,
// 02:30 in Athens, belongs to the next day).
//
// The signed net (what the entry did to the till), only for APPROVED entries; every other state
// books 0:
//   sale, completion   +(amount + tip)     the card paid the amount and the tip on top of it
//   refund             −(amount + tip)     money given back (a refund carries no tip)
//   void               −(its sale's amount + tip): the void takes the whole sale back on the day
//                      of the void; the voided sale keeps its + on its own day, so a day's sum
//                      and any range's sum are right
//   preauth, batch_close  0                a reservation and a report move no money
#pragma once

#include "core/money.hpp"
#include "core/terminal.hpp"
#include "plugin/journal/cash_journal.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::plugin {

// "YYYY-MM-DD": the Athens calendar day of the entry's created_at.
std::string businessDay(const JournalEntry& entry);

// What the entry did to the till, by the rule above. `original` is the sale of a void (its tip is
// taken back with it); without it a void takes back its own amount.
core::Money netAmount(const JournalEntry& entry, const std::optional<JournalEntry>& original);

// The business days `from` to `to` ("YYYY-MM-DD", both included; either may be absent) set as the
// filter's since and until. InputError naming `fromField` or `toField` for a day that is not one,
// or `toField` when `to` comes before `from`.
void filterBusinessDays(JournalFilter& filter, const std::optional<std::string>& from,
                        const std::optional<std::string>& to, const std::string& fromField,
                        const std::string& toField);

// An entry with its business day and its signed net.
struct BookedEntry {
    JournalEntry entry;
    std::string businessDay;
    core::Money net;
};

// Looks an entry up by id (CashJournal::find).
using EntryLookup = std::function<std::optional<JournalEntry>(const std::string& id)>;

// Books `entries` in their order. The sale of a void is taken from `entries` when it is among
// them, else from `lookup`.
std::vector<BookedEntry> bookEntries(std::vector<JournalEntry> entries, const EntryLookup& lookup);
// The entries `filter` lists, booked.
std::vector<BookedEntry> bookEntries(const CashJournal& journal, const JournalFilter& filter);

// What a batch close's outcome says the network reported: "batch 7 closed: 3 sales 30.00,
// 1 refunds 5.00" and, after "; ", the network's own words. The journal keeps the totals in these
// words only; batchOutcome() writes them, batchTotalsOf() reads them back.
std::string batchOutcome(const core::BatchTotals& batch);
// The totals an APPROVED batch close reported; nullopt for any other entry or an outcome without
// them.
std::optional<core::BatchTotals> batchTotalsOf(const JournalEntry& entry);

// What the network reported for the batches a terminal closed on one business day, added up.
struct NetworkBatches {
    std::int64_t closes = 0;           // approved batch closes with totals
    std::vector<std::string> batchIds; // as the network named them
    std::int64_t saleCount = 0;
    core::Money saleTotal;
    std::int64_t refundCount = 0; // the network's refunds and cancellations (voids)
    core::Money refundTotal;

    core::Money net() const { return saleTotal - refundTotal; }
};

// One business day of one terminal (and currency): what the journal booked, what is still open,
// and what the network reported for it. net is the sum of the nets of the day's entries, and
// net == saleTotal + tipTotal − refundTotal − voidTotal.
struct DaySummary {
    std::string businessDay; // "YYYY-MM-DD"
    std::string terminal;
    std::string currency;
    std::int64_t entries = 0;     // every entry of the day, whatever its state
    std::int64_t saleCount = 0;   // approved sales and completions, voided ones too
    core::Money saleTotal;        // their amounts, tips apart
    core::Money tipTotal;         // their tips
    std::int64_t refundCount = 0; // approved refunds
    core::Money refundTotal;
    std::int64_t voidCount = 0; // approved voids
    core::Money voidTotal;      // the sales (with tips) they took back
    core::Money net;
    std::int64_t openCount = 0;          // SIGNING, SENDING or SENT: not settled yet
    std::int64_t inDoubtCount = 0;       // IN_DOUBT: the outcome is unknown
    std::optional<NetworkBatches> batch; // when the terminal's batch was closed that day
    // batch->net() − net when there is a batch: 0 when they agree. A batch covers the payments
    // since the batch before, not a calendar day, so a batch closed after midnight, or twice a
    // day, or a payment still open, shows here as a difference to look at.
    std::optional<core::Money> batchDifference;
};

// The days and terminals of `booked`, in order of day, then terminal, then currency.
std::vector<DaySummary> summarizeDays(const std::vector<BookedEntry>& booked);

} // namespace fiscpos::plugin
