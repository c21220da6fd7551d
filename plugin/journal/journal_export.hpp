// What the cash journal's exports are written with: a CSV writer for both dialects (CsvDialect,
// cash_journal.hpp), and the daily summary per terminal (journal_accounting.hpp) as JSON and CSV.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_accounting.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::plugin {

// Writes CSV rows field by field in one dialect; CRLF line ends.
//   CsvWriter csv(CsvDialect::ElGr);
//   csv.text("id").text("amount").endRow();
//   csv.text(entry.id).money(entry.amount).endRow();
//   std::string bytes = csv.take();
class CsvWriter {
public:
    explicit CsvWriter(CsvDialect dialect);

    // Text (a name, a reference, a message). Either dialect: text a spreadsheet would run as a
    // formula (=, +, -, @, tab or CR first) gets a leading '. RFC 4180: quoted when it holds a
    // comma, quote or line break. el-GR: always quoted, and a leading ' when a spreadsheet would
    // read it as a number or a date (digits with . , / : - + e E %), so "0751217022851763151"
    // keeps its digits.
    CsvWriter& text(std::string_view value);
    CsvWriter& integer(std::int64_t value);
    // "1.24", "-1.24"; el-GR "1,24", "-1,24".
    CsvWriter& money(core::Money value);
    // An ISO-8601 time as the journal keeps it. RFC 4180: as is; el-GR: Athens local time,
    // dd/mm/yyyy HH:MM:SS (text when it is no readable time). "" stays empty.
    CsvWriter& time(std::string_view iso);
    // "YYYY-MM-DD"; el-GR dd/mm/yyyy.
    CsvWriter& day(std::string_view isoDay);
    CsvWriter& empty();
    void endRow();
    // What was written (el-GR: with the UTF-8 byte order mark first).
    std::string take();

private:
    void field(std::string_view value);
    CsvDialect dialect_;
    std::string out_;
    bool rowStarted_ = false;
};

// {"format": "fiscpos.journal_summary.v1", "exported_at", "days": [summaryToJson(day)...]}.
std::string exportSummaryJson(const std::vector<DaySummary>& days, core::TimePoint exportedAt);
// {"business_day", "terminal", "currency", "entries", "sales": {"count", "total"}, "tips",
//  "refunds": {...}, "voids": {...}, "net", "open", "in_doubt", "batch": null or {"closes",
//  "batch_ids", "sales", "refunds", "net", "difference", "agrees"}}, amounts as decimal strings.
core::Json summaryToJson(const DaySummary& day);
// One row per day and terminal with a header line; the columns are in docs/journal.md.
std::string exportSummaryCsv(const std::vector<DaySummary>& days, CsvDialect dialect);

} // namespace fiscpos::plugin
