#include "plugin/journal/journal_accounting.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"

#include <map>
#include <tuple>
#include <unordered_map>

namespace fiscpos::plugin {

namespace {

core::Money withTip(const JournalEntry& entry) {
    return core::Money::add(entry.amount, entry.tip, "tip");
}

// Reads a count ("3") from `text` at `pos`, moving past it.
std::optional<long long> countAt(std::string_view text, std::size_t& pos) {
    const std::size_t start = pos;
    long long value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 18) {
        value = value * 10 + (text[pos] - '0');
        ++pos;
    }
    if (pos == start) {
        return std::nullopt;
    }
    return value;
}

// Reads an amount ("30.00", "-3.00") from `text` at `pos` up to `end` (or the text's end).
std::optional<core::Money> amountAt(std::string_view text, std::size_t& pos, std::string_view end) {
    const std::size_t stop = end.empty() ? text.size() : text.find(end, pos);
    if (stop == std::string_view::npos) {
        return std::nullopt;
    }
    try {
        auto amount = core::Money::parse(text.substr(pos, stop - pos), "batch",
                                         core::Money::Sign::AllowNegative);
        pos = stop + end.size();
        return amount;
    } catch (const core::InputError&) {
        return std::nullopt;
    }
}

bool literalAt(std::string_view text, std::size_t& pos, std::string_view literal) {
    if (text.substr(pos, literal.size()) != literal) {
        return false;
    }
    pos += literal.size();
    return true;
}

} // namespace

std::string businessDay(const JournalEntry& entry) {
    if (const auto at = core::timeIfReadable(entry.createdAt)) {
        return core::athensDate(*at);
    }
    return {};
}

core::Money netAmount(const JournalEntry& entry, const std::optional<JournalEntry>& original) {
    if (entry.state != EntryState::Approved) {
        return {};
    }
    switch (entry.kind) {
    case EntryKind::Sale:
    case EntryKind::Completion:
        return withTip(entry);
    case EntryKind::Refund:
        return core::Money{} - withTip(entry);
    case EntryKind::Void:
        return core::Money{} -
               withTip(original && original->id == entry.originalEntry ? *original : entry);
    case EntryKind::Preauth:
    case EntryKind::BatchClose:
        break;
    }
    return {};
}

void filterBusinessDays(JournalFilter& filter, const std::optional<std::string>& from,
                        const std::optional<std::string>& to, const std::string& fromField,
                        const std::string& toField) {
    if (from) {
        filter.since = core::athensDay(*from, fromField).begin;
    }
    if (to) {
        filter.until = core::athensDay(*to, toField).end;
    }
    if (filter.since && filter.until && *filter.until <= *filter.since) {
        throw core::InputError(toField, "\"" + to.value_or("") + "\" comes before " + fromField +
                                            " \"" + from.value_or("") + "\"");
    }
}

std::vector<BookedEntry> bookEntries(std::vector<JournalEntry> entries, const EntryLookup& lookup) {
    std::unordered_map<std::string, std::size_t> byId;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        byId.emplace(entries[i].id, i);
    }
    std::vector<BookedEntry> booked;
    booked.reserve(entries.size());
    for (const auto& entry : entries) {
        std::optional<JournalEntry> original;
        if (entry.kind == EntryKind::Void && entry.state == EntryState::Approved &&
            entry.originalEntry) {
            const auto found = byId.find(*entry.originalEntry);
            original = found != byId.end() ? std::optional(entries[found->second])
                                           : (lookup ? lookup(*entry.originalEntry) : std::nullopt);
        }
        booked.push_back({entry, businessDay(entry), netAmount(entry, original)});
    }
    return booked;
}

std::vector<BookedEntry> bookEntries(const CashJournal& journal, const JournalFilter& filter) {
    return bookEntries(journal.list(filter),
                       [&journal](const std::string& id) { return journal.find(id); });
}

std::string batchOutcome(const core::BatchTotals& batch) {
    return "batch " + (batch.batchId.empty() ? std::string("closed") : batch.batchId + " closed") +
           ": " + std::to_string(batch.saleCount) + " sales " + batch.saleTotal.toString() + ", " +
           std::to_string(batch.refundCount) + " refunds " + batch.refundTotal.toString();
}

std::optional<core::BatchTotals> batchTotalsOf(const JournalEntry& entry) {
    if (entry.kind != EntryKind::BatchClose || entry.state != EntryState::Approved ||
        !entry.outcome) {
        return std::nullopt;
    }
    const std::string_view text = *entry.outcome;
    core::BatchTotals batch;
    std::size_t pos = 0;
    if (!literalAt(text, pos, "batch ")) {
        return std::nullopt;
    }
    if (!literalAt(text, pos, "closed: ")) {
        const std::size_t closed = text.find(" closed: ", pos);
        if (closed == std::string_view::npos) {
            return std::nullopt;
        }
        batch.batchId = std::string(text.substr(pos, closed - pos));
        pos = closed + 9;
    }
    const auto saleCount = countAt(text, pos);
    if (!saleCount || !literalAt(text, pos, " sales ")) {
        return std::nullopt;
    }
    const auto saleTotal = amountAt(text, pos, ", ");
    const auto refundCount = saleTotal ? countAt(text, pos) : std::nullopt;
    if (!refundCount || !literalAt(text, pos, " refunds ")) {
        return std::nullopt;
    }
    // The network's own words may follow after "; ".
    const auto refundTotal =
        amountAt(text, pos, text.find("; ", pos) == std::string_view::npos ? "" : "; ");
    if (!refundTotal) {
        return std::nullopt;
    }
    batch.saleCount = *saleCount;
    batch.saleTotal = *saleTotal;
    batch.refundCount = *refundCount;
    batch.refundTotal = *refundTotal;
    return batch;
}

std::vector<DaySummary> summarizeDays(const std::vector<BookedEntry>& booked) {
    std::map<std::tuple<std::string, std::string, std::string>, DaySummary> days;
    for (const auto& [entry, day, net] : booked) {
        DaySummary& summary = days[{day, entry.terminal, entry.currency}];
        summary.businessDay = day;
        summary.terminal = entry.terminal;
        summary.currency = entry.currency;
        ++summary.entries;
        summary.net = summary.net + net;
        if (entry.state == EntryState::InDoubt) {
            ++summary.inDoubtCount;
        } else if (entry.open()) {
            ++summary.openCount;
        }
        if (entry.state != EntryState::Approved) {
            continue;
        }
        switch (entry.kind) {
        case EntryKind::Sale:
        case EntryKind::Completion:
            ++summary.saleCount;
            summary.saleTotal = summary.saleTotal + entry.amount;
            summary.tipTotal = summary.tipTotal + entry.tip;
            break;
        case EntryKind::Refund:
            ++summary.refundCount;
            summary.refundTotal = summary.refundTotal - net;
            break;
        case EntryKind::Void:
            ++summary.voidCount;
            summary.voidTotal = summary.voidTotal - net;
            break;
        case EntryKind::BatchClose:
            if (const auto totals = batchTotalsOf(entry)) {
                NetworkBatches& batch = summary.batch ? *summary.batch : summary.batch.emplace();
                ++batch.closes;
                if (!totals->batchId.empty()) {
                    batch.batchIds.push_back(totals->batchId);
                }
                batch.saleCount += totals->saleCount;
                batch.saleTotal = batch.saleTotal + totals->saleTotal;
                batch.refundCount += totals->refundCount;
                batch.refundTotal = batch.refundTotal + totals->refundTotal;
            }
            break;
        case EntryKind::Preauth:
            break;
        }
    }
    std::vector<DaySummary> out;
    out.reserve(days.size());
    for (auto& [key, summary] : days) {
        if (summary.batch) {
            summary.batchDifference = summary.batch->net() - summary.net;
        }
        out.push_back(std::move(summary));
    }
    return out;
}

} // namespace fiscpos::plugin
