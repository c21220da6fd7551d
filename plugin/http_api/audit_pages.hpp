// The accountant's pages of `fiscpos serve`: self-contained HTML (no script, no outside files),
// every value from the journal HTML-escaped.
//   GET /audit?from=&to=   the result of journal verify (ok or the problems, the last hash), a
//                          date filter, and the entries: time, kind, state, amount, terminal,
//                          TID, transactionId, invoice series/number, outcome message
//   GET /audit/entry/{id}  one entry with its events: time, kind, state change, HTTP exchange
//                          and status, note, and the bodies as stored (already redacted)
#pragma once

#include "core/html.hpp"

#include "plugin/http_api/serve_message.hpp"
#include "plugin/journal/cash_journal.hpp"

#include <string>
#include <string_view>

namespace fiscpos::plugin::http_api {

class AuditPages {
public:
    explicit AuditPages(CashJournal& journal);

    ServeResponse index(const ServeRequest& request);
    ServeResponse entry(const std::string& entryId);

private:
    CashJournal& journal_;
};

using core::htmlEscape;

} // namespace fiscpos::plugin::http_api
