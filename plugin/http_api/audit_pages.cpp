#include "plugin/http_api/audit_pages.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "plugin/http_api/journal_query.hpp"

#include <Poco/URI.h>

#include <sstream>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::string_view style = R"(
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.amount { text-align: right; white-space: nowrap; }
.ok { background: #e6f4e6; border: 1px solid #7a7; padding: 0.6em; }
.problems { background: #fbe9e9; border: 1px solid #c66; padding: 0.6em; }
.state-APPROVED { color: #176117; } .state-IN_DOUBT { color: #a15c00; font-weight: bold; }
.state-DECLINED, .state-FAILED, .state-CANCELLED, .state-NOT_CHARGED { color: #8a1f1f; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.85em; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0.2em 0; background: #f8f8f8; }
form { margin: 1em 0; }
)";

std::string text(const std::optional<std::string>& value) {
    return value ? htmlEscape(*value) : "";
}

// The entry's UTC time in Athens local time, as the accountant reads it.
std::string athensTime(const std::string& utc) {
    try {
        const std::string local =
            core::athensIso8601(core::toTimePoint(core::parseIso8601(utc, "created_at")));
        return htmlEscape(local.substr(0, 10) + " " + local.substr(11, 8));
    } catch (const core::Error&) {
        return htmlEscape(utc);
    }
}

std::string entryLink(const std::string& entryId, const std::string& label) {
    std::string encoded;
    Poco::URI::encode(entryId, "/?#&=%+ ", encoded);
    return "<a href=\"/audit/entry/" + htmlEscape(encoded) + "\">" + htmlEscape(label) + "</a>";
}

std::string page(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" +
           htmlEscape(title) + "</title><style>" + std::string(style) + "</style></head><body>\n" +
           body + "</body></html>\n";
}

std::string verifySection(const VerifyReport& report) {
    std::ostringstream html;
    if (report.ok) {
        html << "<div class=\"ok\"><strong>Journal verified: ok.</strong> " << report.eventsChecked
             << " events and " << report.entriesChecked << " entries checked; last hash <code>"
             << htmlEscape(report.lastHash) << "</code> (event " << report.lastSeq
             << "). Note the last hash down: a later verify against it proves that nothing "
                "before it was rewritten.</div>\n";
        return html.str();
    }
    html << "<div class=\"problems\"><strong>Journal verify found " << report.problems.size()
         << " problem(s).</strong> " << report.eventsChecked << " events checked; last hash <code>"
         << htmlEscape(report.lastHash) << "</code> (event " << report.lastSeq << ").<ul>";
    for (const auto& problem : report.problems) {
        html << "<li>";
        if (problem.seq != 0) {
            html << "event " << problem.seq << ": ";
        }
        if (!problem.entryId.empty()) {
            html << entryLink(problem.entryId, "entry " + problem.entryId) << ": ";
        }
        html << htmlEscape(problem.what) << "</li>";
    }
    html << "</ul></div>\n";
    return html.str();
}

std::string amountCell(const JournalEntry& entry) {
    std::string amount = entry.amount.toString() + " " + entry.currency;
    if (entry.tip.cents() != 0) {
        amount += " (tip " + entry.tip.toString() + ")";
    }
    return "<td class=\"amount\">" + htmlEscape(amount) + "</td>";
}

std::string stateCell(EntryState state, bool voided) {
    const std::string name(stateName(state));
    return "<td class=\"state-" + name + "\">" + name + (voided ? " (voided)" : "") + "</td>";
}

std::string invoiceText(const JournalEntry& entry) {
    if (!entry.invoiceSeries && !entry.invoiceAa) {
        return "";
    }
    return htmlEscape(entry.invoiceSeries.value_or("") + " / " + entry.invoiceAa.value_or(""));
}

std::string errorPage(const std::string& message) {
    return page("fiscpos audit", "<h1>fiscpos audit</h1><p class=\"problems\">" +
                                     htmlEscape(message) +
                                     "</p><p><a href=\"/audit\">All entries</a></p>\n");
}

std::string preBlock(const std::optional<std::string>& value) {
    if (!value || value->empty()) {
        return "";
    }
    return "<pre>" + htmlEscape(*value) + "</pre>";
}

} // namespace

AuditPages::AuditPages(CashJournal& journal)
    : journal_(journal) {}

ServeResponse AuditPages::index(const ServeRequest& request) {
    JournalFilter filter;
    try {
        filter = journalFilterFrom(request);
    } catch (const core::InputError& e) {
        return ServeResponse::html(400, errorPage(e.what()));
    }
    const std::string from = request.queryValue("from").value_or("");
    const std::string to = request.queryValue("to").value_or("");
    const auto entries = journal_.list(filter);

    std::ostringstream html;
    html << "<h1>fiscpos cash journal</h1>\n" << verifySection(journal_.verify());
    html << "<form method=\"get\" action=\"/audit\">From <input type=\"date\" name=\"from\" "
            "value=\""
         << htmlEscape(from) << "\"> to <input type=\"date\" name=\"to\" value=\"" << htmlEscape(to)
         << "\"> <button type=\"submit\">Show</button> <a href=\"/audit\">all</a> "
            "(dates in Athens time; both days included)</form>\n";
    html << "<h2>" << entries.size() << (entries.size() == 1 ? " entry" : " entries");
    if (!from.empty() || !to.empty()) {
        html << " from " << htmlEscape(from.empty() ? "the start" : from) << " to "
             << htmlEscape(to.empty() ? "now" : to);
    }
    html << "</h2>\n<table><tr><th>Time (Athens)</th><th>Kind</th><th>State</th><th>Amount</th>"
            "<th>Terminal</th><th>TID</th><th>transactionId</th><th>Invoice</th>"
            "<th>Outcome</th><th>Entry</th></tr>\n";
    for (const auto& entry : entries) {
        html << "<tr><td>" << athensTime(entry.createdAt) << "</td><td>"
             << htmlEscape(kindName(entry.kind)) << "</td>"
             << stateCell(entry.state, entry.voided()) << amountCell(entry) << "<td>"
             << htmlEscape(entry.terminal) << "</td><td>" << htmlEscape(entry.tid) << "</td><td>"
             << text(entry.transactionId) << "</td><td>" << invoiceText(entry) << "</td><td>"
             << text(entry.outcome) << "</td><td>" << entryLink(entry.id, entry.id.substr(0, 8))
             << "</td></tr>\n";
    }
    html << "</table>\n";
    return ServeResponse::html(200, page("fiscpos cash journal", html.str()));
}

ServeResponse AuditPages::entry(const std::string& entryId) {
    const auto found = journal_.find(entryId);
    if (!found) {
        return ServeResponse::html(404, errorPage("No entry " + entryId + " in the journal."));
    }
    std::ostringstream html;
    html << "<p><a href=\"/audit\">All entries</a></p><h1>Entry " << htmlEscape(found->id)
         << "</h1>\n<table>";
    const core::Json fields = entryToJson(*found);
    for (const auto& [name, value] : fields.items()) {
        html << "<tr><th>" << htmlEscape(name) << "</th><td>";
        if (name == "original_entry" && value.is_string()) {
            html << entryLink(value.get<std::string>(), value.get<std::string>());
        } else if (!value.is_null()) {
            html << htmlEscape(value.is_string() ? value.get<std::string>()
                                                 : core::dumpJson(value));
        }
        html << "</td></tr>\n";
    }
    html << "</table>\n<h2>Events</h2>\n<table><tr><th>#</th><th>Time (UTC)</th><th>Kind</th>"
            "<th>State</th><th>HTTP</th><th>Status</th><th>Note</th><th>Exchange</th></tr>\n";
    for (const auto& event : journal_.events(found->id)) {
        const EventRecord& record = event.record;
        html << "<tr><td>" << event.seq << "</td><td>" << htmlEscape(event.at) << "</td><td>"
             << htmlEscape(record.kind) << "</td><td>";
        if (event.toState) {
            html << (event.fromState ? std::string(stateName(*event.fromState)) + " → " : "")
                 << stateName(*event.toState);
        }
        html << "</td><td>" << text(record.httpMethod) << " " << text(record.url) << "</td><td>"
             << (record.httpStatus ? std::to_string(*record.httpStatus)
                                   : (record.httpMethod ? "no answer" : ""))
             << "</td><td>" << text(record.note);
        if (record.transportError) {
            html << "<br>" << htmlEscape(*record.transportError);
        }
        html << "</td><td>";
        if (record.requestHeaders || record.requestBody || record.responseBody) {
            html << "<details><summary>bodies</summary>";
            if (record.requestHeaders) {
                html << "request headers" << preBlock(record.requestHeaders);
            }
            if (record.requestBody && !record.requestBody->empty()) {
                html << "request" << preBlock(record.requestBody);
            }
            if (record.responseBody && !record.responseBody->empty()) {
                html << "response" << preBlock(record.responseBody);
            }
            html << "</details>";
        }
        if (event.changes != "{}" && !event.changes.empty()) {
            html << "changes" << preBlock(event.changes);
        }
        html << "<small>hash <code>" << htmlEscape(event.hash.substr(0, 16))
             << "…</code></small></td></tr>\n";
    }
    html << "</table>\n";
    return ServeResponse::html(200, page("fiscpos entry " + found->id, html.str()));
}

} // namespace fiscpos::plugin::http_api
