// The accountant's desk in `fiscpos serve`: self-contained HTML pages (no script, no outside
// files, every value from the journal HTML-escaped), in Greek by default, in English with
// ?lang=en, or in the language of [display] language. Times are Athens local time, dd/mm/yyyy.
//   GET /audit             the result of journal verify; a filter form (business days from and
//                          to, terminal, state, kind) whose choice the heading repeats; the totals
//                          per business day and terminal with signed amounts (refunds and voids
//                          negative), each terminal's batch totals against the journal with every
//                          difference flagged, and a grand total; the entries with their signed
//                          nets; links to the CSV of what is shown
//   GET /audit/entry/{id}  one entry (its id or a unique prefix): what it is in words, its sale
//                          and the refunds and voids linked to it, every field, its events
//   GET /audit/export.csv  the entries the same query shows: el-GR CSV (?dialect=rfc4180 for the
//                          plain one); /audit/summary.csv the totals per day and terminal
// The query's fields are journal_query.hpp's; a wrong one gets the page with its error (400).
#pragma once

#include "core/html.hpp"
#include "core/i18n.hpp"

#include "plugin/http_api/serve_message.hpp"
#include "plugin/journal/cash_journal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::plugin::http_api {

class AuditPages {
public:
    // `terminals`: the configured terminals the form offers; `language`: the pages' language when
    // the query names none.
    AuditPages(CashJournal& journal, std::vector<std::string> terminals, core::Language language);

    // Whether `path` is one of the pages above.
    static bool serves(std::string_view path);
    // The page a request for one of them asks for.
    ServeResponse handle(const ServeRequest& request);

    ServeResponse index(const ServeRequest& request);
    ServeResponse entry(const ServeRequest& request, const std::string& entryId);
    ServeResponse entriesCsv(const ServeRequest& request);
    ServeResponse summaryCsv(const ServeRequest& request);

private:
    CashJournal& journal_;
    std::vector<std::string> terminals_;
    core::Language language_;
};

using core::htmlEscape;

} // namespace fiscpos::plugin::http_api
