#include "plugin/http_api/audit_pages.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/url_encoding.hpp"
#include "plugin/http_api/journal_query.hpp"
#include "plugin/journal/entry_words.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/journal/journal_export.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace fiscpos::plugin::http_api {

namespace {

using core::Language;
using core::tr;

// Laid out for a desk (1024 px and wider) and a tablet: the page itself never scrolls sideways;
// a table wider than the window scrolls inside its own box.
constexpr std::string_view style = R"(
body { font-family: system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.4em; margin: 0.2em 0; } h2 { font-size: 1.1em; margin-top: 1.4em; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.35em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
td.id { word-break: break-all; font-family: ui-monospace, monospace; font-size: 0.9em; }
td.outcome { min-width: 9em; }
#entries { font-size: 0.8em; }
small.tid { white-space: nowrap; color: #555; }
td.negative { color: #8a1f1f; }
tr.total th, tr.total td { font-weight: bold; background: #f6f6f6; }
tr.flagged td { background: #fff3d6; }
td.difference { font-weight: bold; color: #a15c00; }
td.agrees { color: #176117; }
.ok { background: #e6f4e6; border: 1px solid #7a7; padding: 0.6em; }
.problems { background: #fbe9e9; border: 1px solid #c66; padding: 0.6em; }
.notice { background: #fff3d6; border: 1px solid #d9a640; padding: 0.6em; }
.state-APPROVED { color: #176117; } .state-IN_DOUBT { color: #a15c00; font-weight: bold; }
.state-DECLINED, .state-FAILED, .state-CANCELLED, .state-NOT_CHARGED { color: #8a1f1f; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all; }
pre { white-space: pre-wrap; margin: 0.2em 0; background: #f8f8f8; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: flex-end;
  margin: 1em 0; padding: 0.6em; background: #f6f6f6; border: 1px solid #ddd; }
form.filters label { display: flex; flex-direction: column; font-size: 0.85em; }
form.filters input, form.filters select, form.filters button { font-size: 1em; padding: 0.3em; }
.downloads a { margin-right: 1em; }
@media (max-width: 800px) { body { margin: 0.6em; } table { font-size: 0.8em; } }
)";

// Placeholders filled into an HTML-escaped translation: the values are HTML already.
std::string markup(const std::string& translated,
                   const std::vector<std::pair<std::string, std::string>>& htmlValues = {}) {
    return core::fillIn(core::htmlEscape(translated), htmlValues);
}

std::string text(const std::optional<std::string>& value) {
    return value ? htmlEscape(*value) : "";
}

std::string money(Language language, core::Money amount) {
    return core::moneyText(language, amount);
}

// A journal time (UTC ISO-8601) as the accountant reads it: Athens local time, dd/mm/yyyy.
std::string athensTime(const std::string& utc) {
    return htmlEscape(core::greekAthensTime(utc));
}

// What the page was asked for: the filter, the language, and the query that asks for it again.
struct Query {
    Language language = Language::Greek;
    bool languageAsked = false;
    JournalFilter filter;
    core::FormFields fields; // the filter's query fields as given, lang last when it was given

    std::optional<std::string> value(const std::string& name) const {
        for (const auto& [key, given] : fields) {
            if (key == name) {
                return given;
            }
        }
        return std::nullopt;
    }
    // `path` with this query (and `extra` after it).
    std::string link(const std::string& path, const core::FormFields& extra = {}) const {
        core::FormFields all = fields;
        all.insert(all.end(), extra.begin(), extra.end());
        return all.empty() ? path : path + "?" + core::formEncoded(all);
    }
    // The same query in `other` language.
    std::string inLanguage(const std::string& path, Language other) const {
        core::FormFields all;
        for (const auto& field : fields) {
            if (field.first != "lang") {
                all.push_back(field);
            }
        }
        all.emplace_back("lang", std::string(core::languageCode(other)));
        return path + "?" + core::formEncoded(all);
    }
};

Language languageOf(const ServeRequest& request, Language fallback, bool& asked) {
    const auto lang = request.queryValue("lang");
    asked = lang.has_value();
    return lang ? core::parseLanguage(*lang, "lang") : fallback;
}

// The page's language for an error page: ?lang=, else `fallback`, which is also taken when ?lang=
// itself is the error (the page that says so must be readable).
Language readableLanguage(const ServeRequest& request, Language fallback) {
    bool asked = false;
    try {
        return languageOf(request, fallback, asked);
    } catch (const core::InputError&) {
        return fallback;
    }
}

// The language only (an entry's page); InputError naming lang.
Query languageQuery(const ServeRequest& request, Language fallback) {
    Query query;
    query.language = languageOf(request, fallback, query.languageAsked);
    if (query.languageAsked) {
        query.fields.emplace_back("lang", std::string(core::languageCode(query.language)));
    }
    return query;
}

// The filter (journal_query.hpp) and the language; InputError naming the field.
Query readQuery(const ServeRequest& request, Language fallback) {
    Query query = languageQuery(request, fallback);
    query.filter = journalFilterFrom(request);
    core::FormFields filterFields;
    for (const char* name : {"from", "to", "terminal", "state", "kind", "reference"}) {
        if (const auto given = request.queryValue(name)) {
            filterFields.emplace_back(name, *given);
        }
    }
    query.fields.insert(query.fields.begin(), filterFields.begin(), filterFields.end());
    return query;
}

std::string page(Language language, const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"" + std::string(core::languageCode(language)) +
           "\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" +
           htmlEscape(title) + "</title><style>" + std::string(style) + "</style></head><body>\n" +
           body + "</body></html>\n";
}

std::string entryLink(const std::string& entryId, const std::string& label, const Query& query) {
    const std::string href =
        "/audit/entry/" + core::percentEncoded(entryId) +
        (query.languageAsked ? "?lang=" + std::string(core::languageCode(query.language)) : "");
    return "<a href=\"" + htmlEscape(href) + "\">" + htmlEscape(label) + "</a>";
}

std::string header(const Query& query, const std::string& path, const std::string& title) {
    const Language other = query.language == Language::Greek ? Language::English : Language::Greek;
    return "<header><h1>" + htmlEscape(title) + "</h1><nav><a id=\"language\" href=\"" +
           htmlEscape(query.inLanguage(path, other)) + "\" lang=\"" +
           std::string(core::languageCode(other)) + "\">" +
           (other == Language::Greek ? "Ελληνικά" : "English") + "</a></nav></header>\n";
}

std::string errorPage(Language language, const std::string& message) {
    const std::string title = tr(language, "fiscpos cash journal");
    return page(language, title,
                "<h1>" + htmlEscape(title) + "</h1><p class=\"problems\">" + htmlEscape(message) +
                    "</p><p><a href=\"/audit\">" + htmlEscape(tr(language, "All entries")) +
                    "</a></p>\n");
}

std::string verifySection(const VerifyReport& report, const Query& query) {
    const Language language = query.language;
    const std::vector<std::pair<std::string, std::string>> values{
        {"events", std::to_string(report.eventsChecked)},
        {"entries", std::to_string(report.entriesChecked)},
        {"hash", "<code>" + htmlEscape(report.lastHash) + "</code>"},
        {"seq", std::to_string(report.lastSeq)},
        {"count", std::to_string(report.problems.size())}};
    std::ostringstream html;
    if (report.ok) {
        html << "<div class=\"ok\" id=\"verify\"><strong>"
             << markup(tr(language, "Journal verified: ok.")) << "</strong> "
             << markup(tr(language,
                          "{events} events and {entries} entries checked; last hash {hash} (event "
                          "{seq}). Note the last hash down: a later verify against it proves that "
                          "nothing before it was rewritten."),
                       values)
             << "</div>\n";
        return html.str();
    }
    html << "<div class=\"problems\" id=\"verify\"><strong>"
         << markup(tr(language, "Journal verify found {count} problem(s)."), values) << "</strong> "
         << markup(tr(language, "{events} events checked; last hash {hash} (event {seq})."), values)
         << "<ul>";
    for (const auto& problem : report.problems) {
        html << "<li>";
        if (problem.seq != 0) {
            html << markup(tr(language, "event {seq}"), {{"seq", std::to_string(problem.seq)}})
                 << ": ";
        }
        if (!problem.entryId.empty()) {
            html << entryLink(problem.entryId, problem.entryId, query) << ": ";
        }
        html << htmlEscape(problem.what) << "</li>";
    }
    html << "</ul></div>\n";
    return html.str();
}

std::string option(const std::string& value, const std::string& label,
                   const std::optional<std::string>& chosen) {
    return "<option value=\"" + htmlEscape(value) + "\"" +
           (chosen && *chosen == value ? " selected" : "") + ">" + htmlEscape(label) + "</option>";
}

std::string filterForm(const Query& query, const std::vector<std::string>& terminals) {
    const Language language = query.language;
    const auto chosenTerminal = query.value("terminal");
    std::vector<std::string> offered = terminals;
    if (chosenTerminal &&
        std::find(offered.begin(), offered.end(), *chosenTerminal) == offered.end()) {
        offered.push_back(*chosenTerminal);
    }
    const std::string all = tr(language, "all");
    std::ostringstream html;
    html << "<form class=\"filters\" id=\"filters\" method=\"get\" action=\"/audit\">"
         << "<label>" << markup(tr(language, "Business day from"))
         << " <input type=\"date\" name=\"from\" id=\"from\" value=\""
         << htmlEscape(query.value("from").value_or("")) << "\"></label>"
         << "<label>" << markup(tr(language, "to"))
         << " <input type=\"date\" name=\"to\" id=\"to\" value=\""
         << htmlEscape(query.value("to").value_or("")) << "\"></label>"
         << "<label>" << markup(tr(language, "Terminal"))
         << " <select name=\"terminal\" id=\"terminal\">" << option("", all, chosenTerminal);
    for (const auto& terminal : offered) {
        html << option(terminal, terminal, chosenTerminal);
    }
    html << "</select></label><label>" << markup(tr(language, "State"))
         << " <select name=\"state\" id=\"state\">" << option("", all, query.value("state"));
    for (const EntryState state : allStates()) {
        html << option(std::string(stateName(state)), stateWords(language, state),
                       query.value("state"));
    }
    html << "</select></label><label>" << markup(tr(language, "Kind"))
         << " <select name=\"kind\" id=\"kind\">" << option("", all, query.value("kind"));
    for (const EntryKind kind :
         {EntryKind::Sale, EntryKind::Refund, EntryKind::Void, EntryKind::Preauth,
          EntryKind::Completion, EntryKind::BatchClose}) {
        html << option(std::string(kindName(kind)), kindWords(language, kind), query.value("kind"));
    }
    html << "</select></label>";
    if (query.languageAsked) {
        html << "<input type=\"hidden\" name=\"lang\" value=\""
             << core::languageCode(query.language) << "\">";
    }
    html << "<button type=\"submit\" id=\"show\">" << markup(tr(language, "Show"))
         << "</button> <a href=\""
         << htmlEscape(query.languageAsked
                           ? "/audit?lang=" + std::string(core::languageCode(language))
                           : std::string("/audit"))
         << "\">" << markup(tr(language, "clear")) << "</a></form>\n";
    return html.str();
}

// "12 entries · business days 10/05/2024 to 11/05/2024 · terminal A3 · state: approved".
std::string shownHeading(const Query& query, std::size_t count) {
    const Language language = query.language;
    std::vector<std::string> parts;
    parts.push_back(count == 1
                        ? tr(language, "1 entry")
                        : tr(language, "{count} entries", {{"count", std::to_string(count)}}));
    const auto from = query.value("from");
    const auto to = query.value("to");
    if (from && to) {
        parts.push_back(tr(language, "business days {from} to {to}",
                           {{"from", core::greekDay(*from)}, {"to", core::greekDay(*to)}}));
    } else if (from) {
        parts.push_back(
            tr(language, "from business day {from}", {{"from", core::greekDay(*from)}}));
    } else if (to) {
        parts.push_back(tr(language, "up to business day {to}", {{"to", core::greekDay(*to)}}));
    } else {
        parts.push_back(tr(language, "every business day"));
    }
    if (const auto terminal = query.value("terminal")) {
        parts.push_back(tr(language, "terminal {terminal}", {{"terminal", *terminal}}));
    } else {
        parts.push_back(tr(language, "every terminal"));
    }
    if (!query.filter.states.empty()) {
        std::string states;
        for (const EntryState state : query.filter.states) {
            states += (states.empty() ? "" : ", ") + stateWords(language, state);
        }
        parts.push_back(tr(language, "state: {state}", {{"state", states}}));
    }
    if (query.filter.kind) {
        parts.push_back(
            tr(language, "kind: {kind}", {{"kind", kindWords(language, *query.filter.kind)}}));
    }
    if (const auto reference = query.value("reference")) {
        parts.push_back(tr(language, "network reference {reference}", {{"reference", *reference}}));
    }
    std::string heading;
    for (const auto& part : parts) {
        heading += (heading.empty() ? "" : " · ") + part;
    }
    return "<h2 id=\"shown\">" + htmlEscape(heading) + "</h2>\n";
}

std::string downloads(const Query& query) {
    const Language language = query.language;
    return "<p class=\"downloads\"><a id=\"csv-el\" href=\"" +
           htmlEscape(query.link("/audit/export.csv")) + "\">" +
           markup(tr(language, "CSV of these entries (Greek spreadsheet)")) +
           "</a><a id=\"csv\" href=\"" +
           htmlEscape(query.link("/audit/export.csv", {{"dialect", "rfc4180"}})) +
           "\">CSV (RFC 4180)</a><a id=\"summary-csv\" href=\"" +
           htmlEscape(query.link("/audit/summary.csv")) + "\">" +
           markup(tr(language, "CSV of the totals")) + "</a></p>\n";
}

std::string amountCell(Language language, core::Money amount, const std::string& cls = "") {
    std::string classes = "amount";
    if (!cls.empty()) {
        classes += " " + cls;
    }
    if (amount.cents() < 0) {
        classes += " negative";
    }
    return "<td class=\"" + classes + "\">" + htmlEscape(money(language, amount)) + "</td>";
}

// One currency's totals over every day and terminal shown.
struct Totals {
    std::int64_t saleCount = 0, refundCount = 0, voidCount = 0, openCount = 0, inDoubtCount = 0;
    core::Money saleTotal, tipTotal, refundTotal, voidTotal, net;
    std::optional<core::Money> batchNet;

    void add(const DaySummary& day) {
        saleCount += day.saleCount;
        refundCount += day.refundCount;
        voidCount += day.voidCount;
        openCount += day.openCount;
        inDoubtCount += day.inDoubtCount;
        saleTotal = saleTotal + day.saleTotal;
        tipTotal = tipTotal + day.tipTotal;
        refundTotal = refundTotal + day.refundTotal;
        voidTotal = voidTotal + day.voidTotal;
        net = net + day.net;
        if (day.batch) {
            batchNet = batchNet.value_or(core::Money{}) + day.batch->net();
        }
    }
};

// "3 · 30,00": a count and its amount in one cell.
std::string countCell(Language language, std::int64_t count, core::Money total, bool negative) {
    const core::Money shown = negative ? core::Money{} - total : total;
    return "<td class=\"amount" + std::string(shown.cents() < 0 ? " negative" : "") + "\">" +
           std::to_string(count) + " · " + htmlEscape(money(language, shown)) + "</td>";
}

std::string totalsSection(const Query& query, const std::vector<DaySummary>& days) {
    const Language language = query.language;
    std::ostringstream html;
    html << "<h2>" << markup(tr(language, "Totals per business day and terminal")) << "</h2>\n";
    std::size_t differences = 0;
    for (const auto& day : days) {
        if (day.batchDifference && day.batchDifference->cents() != 0) {
            ++differences;
        }
    }
    if (differences > 0) {
        html << "<p class=\"notice\" id=\"batch-differences\">"
             << markup(tr(language,
                          "{count} batch total(s) differ from the journal: see the flagged rows. "
                          "A batch covers the payments since the batch before, not a calendar "
                          "day: a batch closed after midnight or twice a day, or a payment still "
                          "open, shows here as a difference to look at."),
                       {{"count", std::to_string(differences)}})
             << "</p>\n";
    }
    html << "<div class=\"scroll\"><table id=\"totals\"><tr><th>"
         << markup(tr(language, "Business day")) << "</th><th>" << markup(tr(language, "Terminal"))
         << "</th><th class=\"amount\">" << markup(tr(language, "Sales")) << "</th><th "
         << "class=\"amount\">" << markup(tr(language, "Tips")) << "</th><th class=\"amount\">"
         << markup(tr(language, "Refunds")) << "</th><th class=\"amount\">"
         << markup(tr(language, "Voids")) << "</th><th class=\"amount\">"
         << markup(tr(language, "Net")) << "</th><th>" << markup(tr(language, "Open / in doubt"))
         << "</th><th class=\"amount\">" << markup(tr(language, "Network's batch"))
         << "</th><th class=\"amount\">" << markup(tr(language, "Difference")) << "</th></tr>\n";
    std::map<std::string, Totals> totals; // by currency
    for (const auto& day : days) {
        totals[day.currency].add(day);
        const bool flagged = day.batchDifference && day.batchDifference->cents() != 0;
        html << "<tr class=\"day" << (flagged ? " flagged" : "") << "\" data-day=\""
             << htmlEscape(day.businessDay) << "\" data-terminal=\"" << htmlEscape(day.terminal)
             << "\" data-currency=\"" << htmlEscape(day.currency) << "\"><td>"
             << htmlEscape(core::greekDay(day.businessDay)) << "</td><td>"
             << htmlEscape(day.terminal) << "</td>"
             << countCell(language, day.saleCount, day.saleTotal, false)
             << amountCell(language, day.tipTotal)
             << countCell(language, day.refundCount, day.refundTotal, true)
             << countCell(language, day.voidCount, day.voidTotal, true)
             << amountCell(language, day.net, "net") << "<td>" << day.openCount << " / "
             << day.inDoubtCount << "</td>";
        if (day.batch) {
            std::string ids;
            for (const auto& id : day.batch->batchIds) {
                ids += (ids.empty() ? "" : ", ") + id;
            }
            html << "<td class=\"amount batch\" title=\""
                 << htmlEscape(tr(language,
                                  "batch {ids}: {sales} sales {saleTotal}, {refunds} "
                                  "refunds {refundTotal}",
                                  {{"ids", ids},
                                   {"sales", std::to_string(day.batch->saleCount)},
                                   {"saleTotal", money(language, day.batch->saleTotal)},
                                   {"refunds", std::to_string(day.batch->refundCount)},
                                   {"refundTotal", money(language, day.batch->refundTotal)}}))
                 << "\">" << htmlEscape(money(language, day.batch->net())) << "</td>";
            if (flagged) {
                html << "<td class=\"amount difference\">"
                     << htmlEscape(money(language, *day.batchDifference)) << "</td>";
            } else {
                html << "<td class=\"amount agrees\">" << markup(tr(language, "agrees")) << "</td>";
            }
        } else {
            html << "<td class=\"amount batch\">—</td><td class=\"amount\">—</td>";
        }
        html << "</tr>\n";
    }
    for (const auto& [currency, total] : totals) {
        html << "<tr class=\"total\" data-currency=\"" << htmlEscape(currency) << "\"><th "
             << "colspan=\"2\">" << markup(tr(language, "Total")) << " " << htmlEscape(currency)
             << "</th>" << countCell(language, total.saleCount, total.saleTotal, false)
             << amountCell(language, total.tipTotal)
             << countCell(language, total.refundCount, total.refundTotal, true)
             << countCell(language, total.voidCount, total.voidTotal, true)
             << amountCell(language, total.net, "net") << "<td>" << total.openCount << " / "
             << total.inDoubtCount << "</td>"
             << (total.batchNet ? amountCell(language, *total.batchNet, "batch")
                                : "<td class=\"amount batch\">—</td>")
             << "<td></td></tr>\n";
    }
    if (days.empty()) {
        html << "<tr><td colspan=\"10\">" << markup(tr(language, "Nothing to add up."))
             << "</td></tr>\n";
    }
    html << "</table></div>\n";
    return html.str();
}

std::string stateCell(Language language, const JournalEntry& entry) {
    const std::string name(stateName(entry.state));
    std::string words = stateWords(language, entry.state);
    if (entry.voided()) {
        words += " (" + tr(language, "voided") + ")";
    }
    return "<td class=\"state-" + name + "\" data-state=\"" + name + "\">" + htmlEscape(words) +
           "</td>";
}

std::string invoiceText(const JournalEntry& entry) {
    if (!entry.invoiceSeries && !entry.invoiceAa) {
        return "";
    }
    return htmlEscape(entry.invoiceSeries.value_or("") + " / " + entry.invoiceAa.value_or(""));
}

std::string amountWithTip(Language language, const JournalEntry& entry) {
    std::string amount = money(language, entry.amount) + " " + entry.currency;
    if (entry.tip.cents() != 0) {
        amount += " (" + tr(language, "tip {tip}", {{"tip", money(language, entry.tip)}}) + ")";
    }
    return amount;
}

// "1,24 EUR" and, under it, the tip.
std::string amountWithTipCell(Language language, const JournalEntry& entry) {
    std::string cell =
        "<td class=\"amount\">" + htmlEscape(money(language, entry.amount) + " " + entry.currency);
    if (entry.tip.cents() != 0) {
        cell += "<br><small>" +
                htmlEscape(tr(language, "tip {tip}", {{"tip", money(language, entry.tip)}})) +
                "</small>";
    }
    return cell + "</td>";
}

std::string entriesTable(const Query& query, const std::vector<BookedEntry>& booked) {
    const Language language = query.language;
    std::ostringstream html;
    html << "<h2>" << markup(tr(language, "Entries")) << "</h2>\n<div class=\"scroll\">"
         << "<table id=\"entries\"><tr><th>" << markup(tr(language, "Time (Athens)")) << "</th><th>"
         << markup(tr(language, "Kind")) << "</th><th>" << markup(tr(language, "State"))
         << "</th><th class=\"amount\">" << markup(tr(language, "Amount"))
         << "</th><th class=\"amount\">" << markup(tr(language, "Net")) << "</th><th>"
         << markup(tr(language, "Terminal")) << " / TID</th><th>transactionId</th><th>"
         << markup(tr(language, "Invoice")) << "</th><th>" << markup(tr(language, "Outcome"))
         << "</th><th>" << markup(tr(language, "Entry")) << "</th></tr>\n";
    for (const auto& item : booked) {
        const JournalEntry& entry = item.entry;
        html << "<tr class=\"entry\" data-entry=\"" << htmlEscape(entry.id) << "\" data-kind=\""
             << kindName(entry.kind) << "\"><td>" << athensTime(entry.createdAt) << "</td><td>"
             << htmlEscape(kindWords(language, entry.kind)) << "</td>" << stateCell(language, entry)
             << amountWithTipCell(language, entry) << amountCell(language, item.net, "net")
             << "<td>" << htmlEscape(entry.terminal) << "<br><small class=\"tid\">"
             << htmlEscape(entry.tid) << "</small></td><td class=\"id\">"
             << text(entry.transactionId) << "</td><td>" << invoiceText(entry)
             << "</td><td class=\"outcome\">" << text(entry.outcome) << "</td><td class=\"id\">"
             << entryLink(entry.id, entry.id.substr(0, 8), query) << "</td></tr>\n";
    }
    html << "</table></div>\n";
    return html.str();
}

std::string preBlock(const std::optional<std::string>& value) {
    if (!value || value->empty()) {
        return "";
    }
    return "<pre>" + htmlEscape(*value) + "</pre>";
}

ServeResponse csvAnswer(std::string body, const std::string& filename) {
    ServeResponse answer;
    answer.status = 200;
    answer.contentType = "text/csv; charset=utf-8";
    answer.body = std::move(body);
    answer.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return answer;
}

CsvDialect dialectOf(const ServeRequest& request) {
    const auto dialect = request.queryValue("dialect").value_or("el");
    if (dialect == "el") {
        return CsvDialect::ElGr;
    }
    if (dialect == "rfc4180") {
        return CsvDialect::Rfc4180;
    }
    throw core::InputError("dialect", "is \"" + dialect + "\"; el or rfc4180");
}

// "fiscpos-journal-2024-05-10-2024-05-11.csv" after the days asked for.
std::string csvName(const std::string& what, const Query& query) {
    std::string name = "fiscpos-" + what;
    for (const char* bound : {"from", "to"}) {
        if (const auto day = query.value(bound); day && day->size() == 10) {
            name += "-" + *day;
        }
    }
    return name + ".csv";
}

} // namespace

AuditPages::AuditPages(CashJournal& journal, std::vector<std::string> terminals,
                       core::Language language)
    : journal_(journal)
    , terminals_(std::move(terminals))
    , language_(language) {}

namespace {
constexpr std::string_view entryPrefix = "/audit/entry/";
} // namespace

bool AuditPages::serves(std::string_view path) {
    return path == "/audit" || path == "/audit/" || path == "/audit/export.csv" ||
           path == "/audit/summary.csv" ||
           (path.starts_with(entryPrefix) && path.size() > entryPrefix.size());
}

ServeResponse AuditPages::handle(const ServeRequest& request) {
    const std::string& path = request.path;
    if (path.starts_with(entryPrefix)) {
        return entry(request, path.substr(entryPrefix.size()));
    }
    if (path == "/audit/export.csv") {
        return entriesCsv(request);
    }
    if (path == "/audit/summary.csv") {
        return summaryCsv(request);
    }
    return index(request);
}

ServeResponse AuditPages::index(const ServeRequest& request) {
    Query query;
    try {
        query = readQuery(request, language_);
    } catch (const core::InputError& e) {
        return ServeResponse::html(400, errorPage(readableLanguage(request, language_), e.what()));
    }
    const Language language = query.language;
    const auto booked = bookEntries(journal_, query.filter);
    const std::string title = tr(language, "fiscpos cash journal");

    std::ostringstream html;
    html << header(query, "/audit", title) << verifySection(journal_.verify(), query)
         << filterForm(query, terminals_) << shownHeading(query, booked.size()) << downloads(query)
         << totalsSection(query, summarizeDays(booked)) << entriesTable(query, booked);
    return ServeResponse::html(200, page(language, title, html.str()));
}

ServeResponse AuditPages::entry(const ServeRequest& request, const std::string& typedId) {
    Query query;
    std::string entryId;
    try {
        query = languageQuery(request, language_);
        entryId = journal_.resolveId(typedId, "entry");
    } catch (const core::InputError& e) {
        return ServeResponse::html(400, errorPage(readableLanguage(request, language_), e.what()));
    }
    const Language language = query.language;
    const bool asked = query.languageAsked;
    const auto found = journal_.find(entryId);
    if (!found) {
        return ServeResponse::html(
            404, errorPage(language,
                           tr(language, "No entry {entry} in the journal.", {{"entry", typedId}})));
    }
    const EntryLookup lookup = [this](const std::string& id) {
        return journal_.find(id);
    };
    const std::optional<JournalEntry> original =
        found->originalEntry ? journal_.find(*found->originalEntry) : std::nullopt;
    const core::Money net = netAmount(*found, original);

    const std::string title = kindWords(language, found->kind) + " " +
                              money(language, found->amount) + " " + found->currency + " — " +
                              stateWords(language, found->state);
    std::ostringstream html;
    html << "<p><a href=\""
         << htmlEscape(asked ? "/audit?lang=" + std::string(core::languageCode(language))
                             : std::string("/audit"))
         << "\">" << markup(tr(language, "All entries")) << "</a></p>\n"
         << header(query, "/audit/entry/" + core::percentEncoded(found->id), title)
         << "<table id=\"facts\">";
    auto fact = [&](const std::string& label, const std::string& valueHtml) {
        html << "<tr><th>" << htmlEscape(label) << "</th><td>" << valueHtml << "</td></tr>\n";
    };
    fact(tr(language, "Entry"), "<code>" + htmlEscape(found->id) + "</code>");
    fact(tr(language, "Kind"), htmlEscape(kindWords(language, found->kind)));
    fact(tr(language, "State"), htmlEscape(stateWords(language, found->state)) +
                                    (found->voided() ? " (" + htmlEscape(tr(language, "voided")) +
                                                           " " + athensTime(*found->voidedAt) + ")"
                                                     : ""));
    fact(tr(language, "Amount"), htmlEscape(amountWithTip(language, *found)));
    fact(tr(language, "Net"), "<span id=\"net\">" + htmlEscape(money(language, net)) + "</span> " +
                                  htmlEscape(found->currency));
    fact(tr(language, "Business day"), htmlEscape(core::greekDay(businessDay(*found))));
    fact(tr(language, "Opened (Athens)"), athensTime(found->createdAt));
    fact(tr(language, "Last change (Athens)"), athensTime(found->updatedAt));
    fact(tr(language, "Terminal"),
         htmlEscape(found->terminal + " (" + found->network + ", TID " + found->tid + ")"));
    if (found->transactionId) {
        fact("transactionId", "<code>" + htmlEscape(*found->transactionId) + "</code>");
    }
    if (found->invoiceSeries || found->invoiceAa) {
        fact(tr(language, "Invoice"), invoiceText(*found));
    }
    if (found->outcome) {
        fact(tr(language, "Outcome"), htmlEscape(*found->outcome));
    }
    if (original) {
        fact(tr(language, "Of the entry"),
             entryLink(original->id,
                       kindWords(language, original->kind) + " " +
                           money(language, original->amount) + " " + original->currency + ", " +
                           core::greekAthensTime(original->createdAt),
                       query) +
                 " <small>" + htmlEscape(stateWords(language, original->state)) + "</small>");
    } else if (found->originalEntry) {
        fact(tr(language, "Of the entry"), htmlEscape(*found->originalEntry));
    }
    html << "</table>\n";

    JournalFilter linkedFilter;
    linkedFilter.originalEntry = found->id;
    const auto linked = bookEntries(journal_.list(linkedFilter), lookup);
    if (!linked.empty()) {
        html << "<h2>" << markup(tr(language, "Refunds, voids and captures of this entry"))
             << "</h2>\n<div class=\"scroll\"><table id=\"linked\"><tr><th>"
             << markup(tr(language, "Time (Athens)")) << "</th><th>" << markup(tr(language, "Kind"))
             << "</th><th>" << markup(tr(language, "State")) << "</th><th class=\"amount\">"
             << markup(tr(language, "Amount")) << "</th><th class=\"amount\">"
             << markup(tr(language, "Net")) << "</th><th>" << markup(tr(language, "Entry"))
             << "</th></tr>\n";
        core::Money back;
        for (const auto& item : linked) {
            if (item.entry.kind != EntryKind::Completion) {
                back = back - item.net;
            }
            html << "<tr class=\"linked\" data-entry=\"" << htmlEscape(item.entry.id)
                 << "\" data-kind=\"" << kindName(item.entry.kind) << "\"><td>"
                 << athensTime(item.entry.createdAt) << "</td><td>"
                 << htmlEscape(kindWords(language, item.entry.kind)) << "</td>"
                 << stateCell(language, item.entry) << amountWithTipCell(language, item.entry)
                 << amountCell(language, item.net, "net") << "<td class=\"id\">"
                 << entryLink(item.entry.id, item.entry.id.substr(0, 8), query) << "</td></tr>\n";
        }
        html << "</table></div>\n<p id=\"given-back\">"
             << markup(tr(language, "Given back so far: {back} of {amount} {currency}."),
                       {{"back", htmlEscape(money(language, back))},
                        {"amount", htmlEscape(money(language, found->amount + found->tip))},
                        {"currency", htmlEscape(found->currency)}})
             << "</p>\n";
    }

    html << "<details><summary>" << markup(tr(language, "Every field as the journal keeps it"))
         << "</summary><table>";
    const core::Json fields = entryToJson(*found);
    for (const auto& [name, value] : fields.items()) {
        html << "<tr><th>" << htmlEscape(name) << "</th><td class=\"id\">";
        if (name == "original_entry" && value.is_string()) {
            html << entryLink(value.get<std::string>(), value.get<std::string>(), query);
        } else if (!value.is_null()) {
            html << htmlEscape(value.is_string() ? value.get<std::string>()
                                                 : core::dumpJson(value));
        }
        html << "</td></tr>\n";
    }
    html << "</table></details>\n<h2>" << markup(tr(language, "Events")) << "</h2>\n"
         << "<div class=\"scroll\"><table id=\"events\"><tr><th>#</th><th>"
         << markup(tr(language, "Time (Athens)")) << "</th><th>" << markup(tr(language, "Event"))
         << "</th><th>" << markup(tr(language, "State")) << "</th><th>HTTP</th><th>"
         << markup(tr(language, "Answer")) << "</th><th>" << markup(tr(language, "Note"))
         << "</th><th>" << markup(tr(language, "Exchange")) << "</th></tr>\n";
    for (const auto& event : journal_.events(found->id)) {
        const EventRecord& record = event.record;
        html << "<tr><td>" << event.seq << "</td><td>" << athensTime(event.at) << "</td><td>"
             << htmlEscape(record.kind) << "</td><td>";
        if (event.toState) {
            html << (event.fromState ? std::string(stateName(*event.fromState)) + " → " : "")
                 << stateName(*event.toState);
        }
        html << "</td><td class=\"id\">" << text(record.httpMethod) << " " << text(record.url)
             << "</td><td>"
             << (record.httpStatus
                     ? std::to_string(*record.httpStatus)
                     : (record.httpMethod ? htmlEscape(tr(language, "no answer")) : ""))
             << "</td><td>" << text(record.note);
        if (record.transportError) {
            html << "<br>" << htmlEscape(*record.transportError);
        }
        html << "</td><td>";
        if (record.requestHeaders || record.requestBody || record.responseBody) {
            html << "<details><summary>" << markup(tr(language, "bodies")) << "</summary>";
            if (record.requestHeaders) {
                html << markup(tr(language, "request headers")) << preBlock(record.requestHeaders);
            }
            if (record.requestBody && !record.requestBody->empty()) {
                html << markup(tr(language, "request")) << preBlock(record.requestBody);
            }
            if (record.responseBody && !record.responseBody->empty()) {
                html << markup(tr(language, "response")) << preBlock(record.responseBody);
            }
            html << "</details>";
        }
        if (event.changes != "{}" && !event.changes.empty()) {
            html << markup(tr(language, "changes")) << preBlock(event.changes);
        }
        html << "<small>hash <code>" << htmlEscape(event.hash.substr(0, 16))
             << "…</code></small></td></tr>\n";
    }
    html << "</table></div>\n";
    return ServeResponse::html(200, page(language, title, html.str()));
}

ServeResponse AuditPages::entriesCsv(const ServeRequest& request) {
    try {
        const Query query = readQuery(request, language_);
        return csvAnswer(journal_.exportCsv(query.filter, dialectOf(request)),
                         csvName("journal", query));
    } catch (const core::InputError& e) {
        return ServeResponse::error(400, "input", e.what(), e.field());
    }
}

ServeResponse AuditPages::summaryCsv(const ServeRequest& request) {
    try {
        const Query query = readQuery(request, language_);
        return csvAnswer(exportSummaryCsv(summarizeDays(bookEntries(journal_, query.filter)),
                                          dialectOf(request)),
                         csvName("summary", query));
    } catch (const core::InputError& e) {
        return ServeResponse::error(400, "input", e.what(), e.field());
    }
}

} // namespace fiscpos::plugin::http_api
