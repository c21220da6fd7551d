// The journal filter a query string asks for, shared by GET /api/journal and the audit pages:
//   from=2024-05-10          entries created from the start of that day (Athens time) on, or
//   from=2024-05-10T08:00:00+03:00   from that instant
//   to=2024-05-10            up to the end of that day (Athens time), or to=<instant> (exclusive)
//   state=APPROVED,IN_DOUBT  kind=sale  terminal=A3  reference=<network reference>
// Errors are InputErrors naming the parameter.
#pragma once

#include "plugin/http_api/serve_message.hpp"
#include "plugin/journal/cash_journal.hpp"

namespace fiscpos::plugin::http_api {

JournalFilter journalFilterFrom(const ServeRequest& request);

} // namespace fiscpos::plugin::http_api
