// fiscpos journal list | show ENTRY | export | summary | verify: the accountant's view of the cash
// journal. Times are shown in Athens time, amounts signed as they affect the till
// (plugin/journal/journal_accounting.hpp).
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/journal/journal_export.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

namespace fiscpos::cli {

namespace {

// The words people read, in one place (a Greek catalogue replaces them later).
namespace say {
constexpr const char* athensTime = "Athens time";
constexpr const char* kind = "kind";
constexpr const char* entry = "entry";
constexpr const char* notBooked = "not booked";
constexpr const char* voided = "voided";
constexpr const char* tip = "tip";
constexpr const char* tips = "tips";
constexpr const char* entries = "entries";
constexpr const char* noEntries = "no entries";
constexpr const char* state = "state";
constexpr const char* outcome = "outcome";
constexpr const char* businessDay = "business day";
constexpr const char* created = "created";
constexpr const char* updated = "updated";
constexpr const char* terminal = "terminal";
constexpr const char* tid = "TID";
constexpr const char* amount = "amount";
constexpr const char* till = "till";
constexpr const char* original = "original";
constexpr const char* key = "key";
constexpr const char* invoice = "invoice";
constexpr const char* invoiceNumber = "no.";
constexpr const char* invoiceType = "type";
constexpr const char* invoiceUid = "UID";
constexpr const char* issued = "issued";
constexpr const char* signature = "signature";
constexpr const char* signatureId = "id";
constexpr const char* provider = "provider";
constexpr const char* expires = "expires";
constexpr const char* signedInput = "Input";
constexpr const char* network = "network";
constexpr const char* reference = "reference";
constexpr const char* intent = "intent";
constexpr const char* transactionId = "transactionId";
constexpr const char* card = "card";
constexpr const char* rrn = "RRN";
constexpr const char* authCode = "auth code";
constexpr const char* linked = "Linked entries";
constexpr const char* events = "Events";
constexpr const char* note = "note";
constexpr const char* error = "error";
constexpr const char* noAnswer = "no answer";
constexpr const char* sales = "sales";
constexpr const char* refunds = "refunds";
constexpr const char* voids = "voids";
constexpr const char* net = "net";
constexpr const char* open = "open";
constexpr const char* inDoubt = "in doubt";
constexpr const char* batch = "batch";
constexpr const char* batchAgrees = "network agrees";
constexpr const char* batchDiffers = "network differs by";
} // namespace say

// The filters list, export and summary take.
const std::vector<std::string> filterOptions{"from", "to", "terminal", "state", "kind"};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    return first == std::string::npos ? ""
                                      : text.substr(first, text.find_last_not_of(' ') + 1 - first);
}

// --state APPROVED,in_doubt: the names stateName prints, any case.
std::vector<plugin::EntryState> parseStates(const std::string& text) {
    std::vector<plugin::EntryState> states;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const std::string name = trimmed(
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (name.empty()) {
            throw core::InputError("--state", "\"" + text +
                                                  "\" has an empty state name (expected "
                                                  "e.g. APPROVED,IN_DOUBT)");
        }
        states.push_back(plugin::parseState(core::asciiUpper(name), "--state"));
        if (comma == std::string::npos) {
            return states;
        }
        start = comma + 1;
    }
}

// The filter the options ask for; `allowed` names the filter options this action takes.
plugin::JournalFilter filterOf(const CommandArgs& args, const std::string& action,
                               const std::vector<std::string>& allowed) {
    for (const auto& name : filterOptions) {
        if (args.has(name) && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            throw core::InputError("--" + name, "does not apply to journal " + action);
        }
    }
    plugin::JournalFilter filter;
    plugin::filterBusinessDays(filter, args.get("from"), args.get("to"), "--from", "--to");
    if (const auto terminal = args.get("terminal")) {
        if (terminal->empty()) {
            throw core::InputError("--terminal", "is empty (expected a [terminal.NAME], e.g. A3)");
        }
        filter.terminal = *terminal;
    }
    if (const auto states = args.get("state")) {
        filter.states = parseStates(*states);
    }
    if (const auto kind = args.get("kind")) {
        filter.kind = plugin::parseKind(core::asciiLower(trimmed(*kind)), "--kind");
    }
    return filter;
}

plugin::CsvDialect csvDialectOf(const std::string& format) {
    return format == "csv-el" ? plugin::CsvDialect::ElGr : plugin::CsvDialect::Rfc4180;
}

// --format: json (the default), csv or csv-el.
std::string formatOf(const CommandArgs& args) {
    const std::string format = core::asciiLower(args.get("format").value_or("json"));
    if (format != "json" && format != "csv" && format != "csv-el") {
        throw core::InputError("--format", "\"" + args.get("format").value_or("") +
                                               "\" is not json, csv or csv-el");
    }
    return format;
}

std::string shownTime(const std::string& iso, bool seconds) {
    const auto at = core::timeIfReadable(iso);
    return at ? core::greekDateTime(core::toAthens(*at), seconds) : iso;
}

// "10/05/2024" of a business day "2024-05-10".
std::string shownDay(const std::string& isoDay) {
    try {
        return core::greekDate(core::toAthens(core::athensDay(isoDay, "day").begin));
    } catch (const core::InputError&) {
        return isoDay;
    }
}

std::string signedAmount(core::Money amount) {
    return (amount.cents() > 0 ? "+" : "") + amount.toString();
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.resize(width, ' ');
    }
    return text;
}

std::string rightAligned(const std::string& text, std::size_t width) {
    return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

// Whether the entry's kind moves money when it is approved.
bool booksMoney(plugin::EntryKind kind) {
    return kind != plugin::EntryKind::Preauth && kind != plugin::EntryKind::BatchClose;
}

// The widths of the columns of `journal list`.
constexpr std::size_t timeWidth = 18, kindWidth = 12, tillWidth = 10, stateWidth = 12,
                      terminalWidth = 8;

std::string listHeader() {
    return padded(say::athensTime, timeWidth) + padded(say::kind, kindWidth) +
           rightAligned(say::till, tillWidth) + "      " + padded(say::state, stateWidth) + " " +
           padded(say::terminal, terminalWidth) + "  " + say::entry;
}

// One line of `journal list` and of the linked entries of `journal show`.
std::string entryLine(const plugin::BookedEntry& booked) {
    const plugin::JournalEntry& entry = booked.entry;
    std::string line = padded(shownTime(entry.createdAt, false), timeWidth) +
                       padded(std::string(plugin::kindName(entry.kind)), kindWidth) +
                       rightAligned(signedAmount(booked.net), tillWidth) + " " + entry.currency +
                       "  " + padded(std::string(plugin::stateName(entry.state)), stateWidth) +
                       " " + padded(entry.terminal, terminalWidth) + "  " + entry.id;
    std::vector<std::string> notes;
    if (entry.tip.cents() > 0) {
        notes.push_back(entry.amount.toString() + " + " + say::tip + " " + entry.tip.toString());
    }
    if (booked.net.cents() == 0 && entry.amount.cents() > 0 && booksMoney(entry.kind)) {
        notes.push_back(entry.amount.toString() + " " + say::notBooked);
    }
    if (entry.voidedAt) {
        notes.push_back(std::string(say::voided) + " " + shownTime(*entry.voidedAt, false));
    }
    for (std::size_t i = 0; i < notes.size(); ++i) {
        line += (i == 0 ? "  (" : ", ") + notes[i] + (i + 1 == notes.size() ? ")" : "");
    }
    return line;
}

int listEntries(const CommandArgs& args, plugin::CashJournal& journal, Output& out) {
    const auto booked = plugin::bookEntries(
        journal, filterOf(args, "list", {"from", "to", "terminal", "state", "kind"}));
    core::Json list = core::Json::array();
    std::map<std::string, core::Money> totals;
    if (!booked.empty()) {
        out.line(listHeader());
    }
    for (const auto& entry : booked) {
        out.line(entryLine(entry));
        totals[entry.entry.currency] = totals[entry.entry.currency] + entry.net;
        list.push_back(plugin::entryToJson(entry.entry));
    }
    std::string total = booked.empty() ? std::string(say::noEntries)
                                       : std::to_string(booked.size()) + " " + say::entries;
    for (const auto& [currency, net] : totals) {
        total += std::string("; ") + say::till + " " + signedAmount(net) + " " + currency;
    }
    out.line(total);
    out.result({{"entries", list}});
    return ExitDone;
}

std::string
joinedNonEmpty(const std::vector<std::pair<const char*, std::optional<std::string>>>& parts) {
    std::string out;
    for (const auto& [label, value] : parts) {
        if (value && !value->empty()) {
            out += (out.empty() ? "" : ", ") + std::string(label) + (*label ? " " : "") + *value;
        }
    }
    return out;
}

// "key=value" for the columns an event set, long values shortened; the state is shown apart.
std::string changedFields(const std::string& changes) {
    core::Json json;
    try {
        json = core::Json::parse(changes);
    } catch (const core::Json::exception&) {
        return changes;
    }
    if (!json.is_object()) {
        return "";
    }
    std::string out;
    for (const auto& [column, value] : json.items()) {
        if (column == "state") {
            continue;
        }
        std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        if (text.size() > 48) {
            text = text.substr(0, 45) + "...";
        }
        out += (out.empty() ? "" : " ") + column + "=" + text;
    }
    return out;
}

// One event in one to three lines: time, seq, kind, state move, HTTP exchange; then what it set;
// then its note or error.
void showEvent(Output& out, const plugin::JournalEvent& event) {
    std::string line = "  " + shownTime(event.at, true) + "  #" + std::to_string(event.seq) + " " +
                       event.record.kind;
    if (event.toState) {
        line += "  " +
                (event.fromState ? std::string(plugin::stateName(*event.fromState)) + " -> "
                                 : std::string("-> ")) +
                std::string(plugin::stateName(*event.toState));
    }
    const auto& record = event.record;
    if (record.httpMethod || record.url) {
        line += "  " + record.httpMethod.value_or("") + (record.httpMethod ? " " : "") +
                record.url.value_or("") + ": " +
                (record.httpStatus ? std::to_string(*record.httpStatus) : say::noAnswer);
        if (record.durationUs) {
            line += " (" + std::to_string(*record.durationUs / 1000) + " ms)";
        }
    }
    out.line(line);
    if (record.kind != plugin::event_kind::Opened) {
        if (const std::string set = changedFields(event.changes); !set.empty()) {
            out.line("      " + set);
        }
    }
    if (record.note) {
        out.line(std::string("      ") + say::note + ": " + *record.note);
    }
    if (record.transportError) {
        out.line(std::string("      ") + say::error + ": " + *record.transportError);
    }
}

int showEntry(const std::string& typed, plugin::CashJournal& journal, Output& out) {
    const auto entry = journal.get(journal.resolveId(typed, "entry"));
    const auto events = journal.events(entry.id);
    if (out.json()) {
        core::Json shown = plugin::entryToJson(entry);
        shown["events"] = core::Json::array();
        for (const auto& event : events) {
            shown["events"].push_back(plugin::eventToJson(event));
        }
        out.result(shown);
        return ExitDone;
    }
    const auto original = entry.originalEntry ? journal.find(*entry.originalEntry)
                                              : std::optional<plugin::JournalEntry>();
    out.line(std::string(plugin::kindName(entry.kind)) + " " + entry.id);
    out.field(say::state, std::string(plugin::stateName(entry.state)) +
                              (entry.voidedAt ? std::string(", ") + say::voided + " " +
                                                    shownTime(*entry.voidedAt, true)
                                              : std::string()));
    if (entry.outcome) {
        out.field(say::outcome, *entry.outcome);
    }
    out.field(say::businessDay, shownDay(plugin::businessDay(entry)));
    out.field(say::created, shownTime(entry.createdAt, true));
    out.field(say::updated, shownTime(entry.updatedAt, true));
    out.field(say::terminal,
              entry.terminal + " (" + entry.network + ", " + say::tid + " " + entry.tid + ")");
    out.field(say::amount, entry.amount.toString() + " " + entry.currency +
                               (entry.tip.cents() > 0
                                    ? std::string(" + ") + say::tip + " " + entry.tip.toString()
                                    : std::string()));
    out.field(say::till, signedAmount(plugin::netAmount(entry, original)) + " " + entry.currency);
    if (entry.originalEntry) {
        out.field(say::original,
                  *entry.originalEntry +
                      (original ? " (" + std::string(plugin::kindName(original->kind)) + " " +
                                      shownTime(original->createdAt, false) + ", " +
                                      std::string(plugin::stateName(original->state)) + ")"
                                : std::string()));
    }
    if (entry.idempotencyKey) {
        out.field(say::key, *entry.idempotencyKey);
    }
    const std::string invoice =
        joinedNonEmpty({{"", entry.invoiceSeries},
                        {say::invoiceNumber, entry.invoiceAa},
                        {say::invoiceType, entry.invoiceType},
                        {say::invoiceUid, entry.invoiceUid},
                        {say::issued, entry.invoiceIssuedAt
                                          ? std::optional(shownTime(*entry.invoiceIssuedAt, true))
                                          : std::nullopt}});
    if (!invoice.empty()) {
        out.field(say::invoice, invoice);
    }
    const std::string signature = joinedNonEmpty(
        {{say::signatureId, entry.signatureId},
         {say::provider, entry.providerId},
         {say::expires, entry.signatureExpiresAt
                            ? std::optional(shownTime(*entry.signatureExpiresAt, true))
                            : std::nullopt},
         {say::signedInput, entry.signatureInput}});
    if (!signature.empty()) {
        out.field(say::signature, signature);
    }
    const std::string network = joinedNonEmpty({{say::reference, entry.networkReference},
                                                {say::intent, entry.networkIntentId},
                                                {say::transactionId, entry.transactionId}});
    if (!network.empty()) {
        out.field(say::network, network);
    }
    const std::string card = joinedNonEmpty({{"", entry.cardType},
                                             {"", entry.maskedPan},
                                             {say::rrn, entry.rrn},
                                             {say::authCode, entry.authCode}});
    if (!card.empty()) {
        out.field(say::card, card);
    }
    plugin::JournalFilter linked;
    linked.originalEntry = entry.id;
    const auto linkedEntries = plugin::bookEntries(journal, linked);
    if (!linkedEntries.empty()) {
        out.line(say::linked);
        for (const auto& booked : linkedEntries) {
            out.line("  " + entryLine(booked));
        }
    }
    out.line(say::events);
    for (const auto& event : events) {
        showEvent(out, event);
    }
    return ExitDone;
}

// The widths of the columns of `journal summary`.
constexpr std::size_t dayWidth = 14, countWidth = 16, amountWidth = 10, netWidth = 14,
                      openWidth = 6, inDoubtWidth = 10;

std::string summaryHeader() {
    return padded(say::businessDay, dayWidth) + padded(say::terminal, terminalWidth + 2) +
           padded(say::sales, countWidth) + padded(say::tips, amountWidth) +
           padded(say::refunds, countWidth) + padded(say::voids, countWidth) +
           padded(say::net, netWidth) + padded(say::open, openWidth) +
           padded(say::inDoubt, inDoubtWidth) + say::batch;
}

std::string summaryLine(const plugin::DaySummary& day) {
    auto countAndTotal = [&](std::int64_t count, core::Money total) {
        return padded(std::to_string(count) + " / " + total.toString(), countWidth);
    };
    std::string line =
        padded(shownDay(day.businessDay), dayWidth) + padded(day.terminal, terminalWidth + 2) +
        countAndTotal(day.saleCount, day.saleTotal) + padded(day.tipTotal.toString(), amountWidth) +
        countAndTotal(day.refundCount, day.refundTotal) +
        countAndTotal(day.voidCount, day.voidTotal) +
        padded(signedAmount(day.net) + " " + day.currency, netWidth) +
        padded(std::to_string(day.openCount), openWidth) +
        padded(std::to_string(day.inDoubtCount), inDoubtWidth);
    if (day.batch && day.batchDifference) {
        line += day.batchDifference->cents() == 0
                    ? std::string(say::batchAgrees)
                    : std::string(say::batchDiffers) + " " + signedAmount(*day.batchDifference);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
}

// The daily summary per terminal: as a table for people, --json, or exported with --format.
int summarize(const CommandArgs& args, plugin::CashJournal& journal, Output& out, bool exported) {
    const plugin::JournalFilter filter = filterOf(args, "summary", {"from", "to", "terminal"});
    const auto days = plugin::summarizeDays(plugin::bookEntries(journal, filter));
    if (exported || args.has("format")) {
        const std::string format = formatOf(args);
        if (format == "json") {
            std::cout << plugin::exportSummaryJson(days, core::systemClock().now());
        } else {
            std::cout << plugin::exportSummaryCsv(days, csvDialectOf(format));
        }
        return ExitDone;
    }
    core::Json json = core::Json::array();
    out.line(days.empty() ? std::string(say::noEntries) : summaryHeader());
    for (const auto& day : days) {
        out.line(summaryLine(day));
        json.push_back(plugin::summaryToJson(day));
    }
    out.result({{"days", json}});
    return ExitDone;
}

int exportEntries(const CommandArgs& args, plugin::CashJournal& journal) {
    const std::string format = formatOf(args);
    const plugin::JournalFilter filter =
        filterOf(args, "export", {"from", "to", "terminal", "state", "kind"});
    std::cout << (format == "json" ? journal.exportJson(filter)
                                   : journal.exportCsv(filter, csvDialectOf(format)));
    return ExitDone;
}

int verify(plugin::CashJournal& journal, Output& out) {
    const auto report = journal.verify();
    out.line(report.ok ? "journal verified: " + std::to_string(report.eventsChecked) +
                             " events, last hash " + report.lastHash
                       : "journal NOT verified:");
    for (const auto& problem : report.problems) {
        std::string where = problem.seq > 0 ? "event " + std::to_string(problem.seq) : "";
        if (!problem.entryId.empty()) {
            where += (where.empty() ? "" : ", ") + std::string("entry ") + problem.entryId;
        }
        out.line("  " + (where.empty() ? std::string("journal") : where) + ": " + problem.what);
    }
    out.result(report.toJson());
    return report.ok ? ExitDone : ExitBadInput;
}

int runJournal(const CommandArgs& args, CommandContext& context) {
    const auto& words = args.words();
    const std::string action = words.empty() ? "list" : words[0];
    if (action != "list" && action != "show" && action != "export" && action != "summary" &&
        action != "verify") {
        throw core::InputError("journal",
                               "\"" + action + "\" is not list, show, export, summary or verify");
    }
    if ((action == "show") != (words.size() == 2)) {
        throw core::InputError("journal", action == "show" ? "show needs the entry id"
                                                           : "unexpected \"" + words[1] + "\"");
    }
    if (action != "export" && action != "summary" && args.has("format")) {
        throw core::InputError("--format", "applies to journal export and summary only");
    }
    if (action != "export" && args.has("summary")) {
        throw core::InputError("--summary", "applies to journal export only (or run journal "
                                            "summary)");
    }
    if (action == "show" || action == "verify") {
        filterOf(args, action, {});
    }
    PaymentContext payments(context, false);
    auto& journal = payments.journal();
    Output& out = context.out;
    if (action == "show") {
        return showEntry(words[1], journal, out);
    }
    if (action == "export") {
        return args.has("summary") ? summarize(args, journal, out, true)
                                   : exportEntries(args, journal);
    }
    if (action == "summary") {
        return summarize(args, journal, out, false);
    }
    if (action == "verify") {
        return verify(journal, out);
    }
    return listEntries(args, journal, out);
}

} // namespace

Command makeJournalCommand() {
    return Command(
        {"journal",
         "list, show, export, summarize or verify the cash journal",
         "  list          entries one line each (the default): Athens time, kind,\n"
         "                the amount as it affects the till (+ sale, - refund or\n"
         "                void, 0.00 when not booked), state, terminal, entry\n"
         "  show ENTRY    one entry: its fields, the refunds and voids of a sale,\n"
         "                every event (--json: the entry and its events as JSON)\n"
         "  export        the entries, --format json (default, with every event),\n"
         "                csv or csv-el; with --summary the daily summary instead\n"
         "  summary       per Athens business day and terminal: sales, refunds,\n"
         "                voids, net, entries open or in doubt, the network's batch\n"
         "                totals and the difference; a table, or --format\n"
         "  verify        recompute the hash chain; exit status 1 when an event\n"
         "                was edited or deleted\n"
         "\n"
         "--from, --to, --terminal, --state and --kind filter list and export;\n"
         "summary takes --from, --to and --terminal. Days are Athens calendar\n"
         "days: a sale at 23:30 UTC in summer is on the next day.\n"
         "csv is RFC 4180 (comma, decimal point, UTC times); csv-el is for a\n"
         "Greek spreadsheet (UTF-8 BOM, ';', decimal comma, Athens time\n"
         "dd/mm/yyyy HH:MM:SS). See docs/journal.md.\n"
         "\n"
         "Example:\n"
         "  fiscpos --config fiscpos.ini journal export --format csv-el \\\n"
         "      --from 2024-05-01 --to 2024-05-31 --terminal A3 \\\n"
         "      --state approved > may-A3.csv",
         {{"format", "export format: json (default), csv or csv-el", "FORMAT"},
          {"summary", "export the daily summary per terminal instead of the entries"},
          {"from", "the first business day (Athens), e.g. 2024-05-01", "YYYY-MM-DD"},
          {"to", "the last business day (Athens), included", "YYYY-MM-DD"},
          {"terminal", "only the entries of this [terminal.NAME]", "NAME"},
          {"state", "only entries in these states, e.g. APPROVED,IN_DOUBT (any case)",
           "STATE[,STATE]"},
          {"kind",
           "only entries of this kind: sale, refund, void, preauth, completion or "
           "batch_close",
           "KIND"}},
         "list | show ENTRY | export [--format json|csv|csv-el] [--summary] | summary | verify "
         "[--from DAY] [--to DAY] [--terminal NAME] [--state STATES] [--kind KIND]",
         2},
        runJournal);
}

} // namespace fiscpos::cli
