// fiscpos journal list | show ENTRY | export | summary | verify: the accountant's view of the cash
// journal. Times are shown in Athens time, amounts signed as they affect the till
// (plugin/journal/journal_accounting.hpp).
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "plugin/journal/entry_words.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/journal/journal_export.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

namespace fiscpos::cli {

namespace {

// The words people read, in their language (po/el.po). TID, UID, Input, transactionId and RRN
// are the names on the receipt and in myDATA, in both languages.
struct Words {
    explicit Words(core::Language shown)
        : language(shown)
        , athensTime(core::tr(shown, "Athens time"))
        , kind(core::tr(shown, "kind"))
        , entry(core::tr(shown, "entry"))
        , notBooked(core::tr(shown, "not booked"))
        , voided(core::tr(shown, "voided"))
        , tip(core::tr(shown, "tip"))
        , tips(core::tr(shown, "tips"))
        , entries(core::tr(shown, "entries"))
        , noEntries(core::tr(shown, "no entries"))
        , state(core::tr(shown, "state"))
        , outcome(core::tr(shown, "outcome"))
        , businessDay(core::tr(shown, "business day"))
        , created(core::tr(shown, "created"))
        , updated(core::tr(shown, "updated"))
        , terminal(core::tr(shown, "terminal"))
        , tid("TID")
        , amount(core::tr(shown, "amount"))
        , till(core::tr(shown, "till"))
        , original(core::tr(shown, "original"))
        , key(core::tr(shown, "key"))
        , invoice(core::tr(shown, "invoice"))
        , invoiceNumber(core::tr(shown, "no."))
        , invoiceType(core::tr(shown, "type"))
        , invoiceUid("UID")
        , issued(core::tr(shown, "issued"))
        , signature(core::tr(shown, "signature"))
        , signatureId(core::tr(shown, "id"))
        , provider(core::tr(shown, "provider"))
        , expires(core::tr(shown, "expires"))
        , signedInput("Input")
        , network(core::tr(shown, "network"))
        , reference(core::tr(shown, "reference"))
        , intent(core::tr(shown, "intent"))
        , transactionId("transactionId")
        , preloadedUntil(core::tr(shown, "preloaded until"))
        , card(core::tr(shown, "card"))
        , rrn("RRN")
        , authCode(core::tr(shown, "auth code"))
        , linked(core::tr(shown, "Linked entries"))
        , events(core::tr(shown, "Events"))
        , note(core::tr(shown, "note"))
        , error(core::tr(shown, "error"))
        , noAnswer(core::tr(shown, "no answer"))
        , sales(core::tr(shown, "sales"))
        , refunds(core::tr(shown, "refunds"))
        , voids(core::tr(shown, "voids"))
        , net(core::tr(shown, "net"))
        , open(core::tr(shown, "open"))
        , inDoubt(core::tr(shown, "in doubt"))
        , batch(core::tr(shown, "batch"))
        , batchAgrees(core::tr(shown, "network agrees"))
        , batchDiffers(core::tr(shown, "network differs by")) {}

    core::Language language;
    std::string athensTime, kind, entry, notBooked, voided, tip, tips, entries, noEntries, state,
        outcome, businessDay, created, updated, terminal, tid, amount, till, original, key, invoice,
        invoiceNumber, invoiceType, invoiceUid, issued, signature, signatureId, provider, expires,
        signedInput, network, reference, intent, transactionId, preloadedUntil, card, rrn, authCode,
        linked, events, note, error, noAnswer, sales, refunds, voids, net, open, inDoubt, batch,
        batchAgrees, batchDiffers;

    std::string money(core::Money value) const { return core::moneyText(language, value); }
    // "+1.24", "-1.24", "0.00": as the amount affects the till.
    std::string signedMoney(core::Money value) const {
        return (value.cents() > 0 ? "+" : "") + money(value);
    }
    // The kind and state columns: the journal's names in English ("sale", "APPROVED"), words in
    // Greek.
    std::string kindText(plugin::EntryKind of) const {
        return language == core::Language::English ? std::string(plugin::kindName(of))
                                                   : plugin::kindWords(language, of);
    }
    std::string stateText(plugin::EntryState of) const {
        return language == core::Language::English ? std::string(plugin::stateName(of))
                                                   : plugin::stateWords(language, of);
    }
};

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

// Padded to `width` characters (not bytes: Greek letters take two).
std::string padded(std::string text, std::size_t width) {
    const std::size_t length = core::utf8Length(text);
    if (length < width) {
        text.append(width - length, ' ');
    }
    return text;
}

std::string rightAligned(const std::string& text, std::size_t width) {
    const std::size_t length = core::utf8Length(text);
    return length < width ? std::string(width - length, ' ') + text : text;
}

// Whether the entry's kind moves money when it is approved.
bool booksMoney(plugin::EntryKind kind) {
    return kind != plugin::EntryKind::Preauth && kind != plugin::EntryKind::BatchClose;
}

// The columns of `journal list` and of the linked entries of `journal show`: as wide as their
// widest text, the header's included.
struct ListLayout {
    static constexpr std::size_t timeWidth = 18, tillWidth = 10;
    std::size_t kindWidth, stateWidth, terminalWidth;

    ListLayout(const Words& say, const std::vector<plugin::BookedEntry>& booked)
        : kindWidth(core::utf8Length(say.kind))
        , stateWidth(core::utf8Length(say.state))
        , terminalWidth(core::utf8Length(say.terminal)) {
        for (const auto& item : booked) {
            kindWidth = std::max(kindWidth, core::utf8Length(say.kindText(item.entry.kind)));
            stateWidth = std::max(stateWidth, core::utf8Length(say.stateText(item.entry.state)));
            terminalWidth = std::max(terminalWidth, core::utf8Length(item.entry.terminal));
        }
        kindWidth += 2;
    }

    std::string header(const Words& say) const {
        return padded(say.athensTime, timeWidth) + padded(say.kind, kindWidth) +
               rightAligned(say.till, tillWidth) + "      " + padded(say.state, stateWidth) + " " +
               padded(say.terminal, terminalWidth) + "  " + say.entry;
    }

    std::string line(const Words& say, const plugin::BookedEntry& booked) const {
        const plugin::JournalEntry& entry = booked.entry;
        std::string line = padded(core::greekAthensTime(entry.createdAt, false), timeWidth) +
                           padded(say.kindText(entry.kind), kindWidth) +
                           rightAligned(say.signedMoney(booked.net), tillWidth) + " " +
                           entry.currency + "  " + padded(say.stateText(entry.state), stateWidth) +
                           " " + padded(entry.terminal, terminalWidth) + "  " + entry.id;
        std::vector<std::string> notes;
        if (entry.tip.cents() > 0) {
            notes.push_back(say.money(entry.amount) + " + " + say.tip + " " + say.money(entry.tip));
        }
        if (booked.net.cents() == 0 && entry.amount.cents() > 0 && booksMoney(entry.kind)) {
            notes.push_back(say.money(entry.amount) + " " + say.notBooked);
        }
        if (entry.voidedAt) {
            notes.push_back(say.voided + " " + core::greekAthensTime(*entry.voidedAt, false));
        }
        for (std::size_t i = 0; i < notes.size(); ++i) {
            line += (i == 0 ? "  (" : ", ") + notes[i] + (i + 1 == notes.size() ? ")" : "");
        }
        return line;
    }
};

int listEntries(const CommandArgs& args, plugin::CashJournal& journal, Output& out,
                const Words& say) {
    const auto booked = plugin::bookEntries(
        journal, filterOf(args, "list", {"from", "to", "terminal", "state", "kind"}));
    core::Json list = core::Json::array();
    std::map<std::string, core::Money> totals;
    const ListLayout layout(say, booked);
    if (!booked.empty()) {
        out.line(layout.header(say));
    }
    for (const auto& entry : booked) {
        out.line(layout.line(say, entry));
        totals[entry.entry.currency] = totals[entry.entry.currency] + entry.net;
        list.push_back(plugin::entryToJson(entry.entry));
    }
    std::string total =
        booked.empty() ? say.noEntries : std::to_string(booked.size()) + " " + say.entries;
    for (const auto& [currency, net] : totals) {
        total += "; " + say.till + " " + say.signedMoney(net) + " " + currency;
    }
    out.line(total);
    out.result({{"entries", list}});
    return ExitDone;
}

std::string
joinedNonEmpty(const std::vector<std::pair<std::string, std::optional<std::string>>>& parts) {
    std::string out;
    for (const auto& [label, value] : parts) {
        if (value && !value->empty()) {
            out += (out.empty() ? "" : ", ") + label + (label.empty() ? "" : " ") + *value;
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
void showEvent(Output& out, const plugin::JournalEvent& event, const Words& say) {
    std::string line = "  " + core::greekAthensTime(event.at, true) + "  #" +
                       std::to_string(event.seq) + " " + event.record.kind;
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
                (record.httpStatus ? std::to_string(*record.httpStatus) : say.noAnswer);
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
        out.line("      " + say.note + ": " + *record.note);
    }
    if (record.transportError) {
        out.line("      " + say.error + ": " + *record.transportError);
    }
}

int showEntry(const std::string& typed, plugin::CashJournal& journal, Output& out,
              const Words& say) {
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
    out.line(say.kindText(entry.kind) + " " + entry.id);
    out.field(say.state, say.stateText(entry.state) +
                             (entry.voidedAt ? ", " + say.voided + " " +
                                                   core::greekAthensTime(*entry.voidedAt, true)
                                             : std::string()));
    if (entry.outcome) {
        out.field(say.outcome, *entry.outcome);
    }
    out.field(say.businessDay, core::greekDay(plugin::businessDay(entry)));
    out.field(say.created, core::greekAthensTime(entry.createdAt, true));
    out.field(say.updated, core::greekAthensTime(entry.updatedAt, true));
    out.field(say.terminal,
              entry.terminal + " (" + entry.network + ", " + say.tid + " " + entry.tid + ")");
    out.field(say.amount, say.money(entry.amount) + " " + entry.currency +
                              (entry.tip.cents() > 0 ? " + " + say.tip + " " + say.money(entry.tip)
                                                     : std::string()));
    out.field(say.till, say.signedMoney(plugin::netAmount(entry, original)) + " " + entry.currency);
    if (entry.originalEntry) {
        out.field(say.original,
                  *entry.originalEntry +
                      (original ? " (" + say.kindText(original->kind) + " " +
                                      core::greekAthensTime(original->createdAt, false) + ", " +
                                      say.stateText(original->state) + ")"
                                : std::string()));
    }
    if (entry.idempotencyKey) {
        out.field(say.key, *entry.idempotencyKey);
    }
    const std::string invoice = joinedNonEmpty(
        {{"", entry.invoiceSeries},
         {say.invoiceNumber, entry.invoiceAa},
         {say.invoiceType, entry.invoiceType},
         {say.invoiceUid, entry.invoiceUid},
         {say.issued, entry.invoiceIssuedAt
                          ? std::optional(core::greekAthensTime(*entry.invoiceIssuedAt, true))
                          : std::nullopt}});
    if (!invoice.empty()) {
        out.field(say.invoice, invoice);
    }
    const std::string signature = joinedNonEmpty(
        {{say.signatureId, entry.signatureId},
         {say.provider, entry.providerId},
         {say.expires, entry.signatureExpiresAt
                           ? std::optional(core::greekAthensTime(*entry.signatureExpiresAt, true))
                           : std::nullopt},
         {say.signedInput, entry.signatureInput}});
    if (!signature.empty()) {
        out.field(say.signature, signature);
    }
    const std::string network = joinedNonEmpty(
        {{say.reference, entry.networkReference},
         {say.intent, entry.networkIntentId},
         {say.transactionId, entry.transactionId},
         {say.preloadedUntil, entry.preloadUntil
                                  ? std::optional(core::greekAthensTime(*entry.preloadUntil, false))
                                  : std::nullopt}});
    if (!network.empty()) {
        out.field(say.network, network);
    }
    const std::string card = joinedNonEmpty({{"", entry.cardType},
                                             {"", entry.maskedPan},
                                             {say.rrn, entry.rrn},
                                             {say.authCode, entry.authCode}});
    if (!card.empty()) {
        out.field(say.card, card);
    }
    plugin::JournalFilter linked;
    linked.originalEntry = entry.id;
    const auto linkedEntries = plugin::bookEntries(journal, linked);
    if (!linkedEntries.empty()) {
        out.line(say.linked);
        const ListLayout layout(say, linkedEntries);
        for (const auto& booked : linkedEntries) {
            out.line("  " + layout.line(say, booked));
        }
    }
    out.line(say.events);
    for (const auto& event : events) {
        showEvent(out, event, say);
    }
    return ExitDone;
}

// The widths of the columns of `journal summary`.
constexpr std::size_t dayWidth = 14, countWidth = 16, amountWidth = 10, netWidth = 14,
                      openWidth = 6, inDoubtWidth = 10, terminalWidth = 10;

std::string summaryHeader(const Words& say) {
    return padded(say.businessDay, dayWidth) + padded(say.terminal, terminalWidth) +
           padded(say.sales, countWidth) + padded(say.tips, amountWidth) +
           padded(say.refunds, countWidth) + padded(say.voids, countWidth) +
           padded(say.net, netWidth) + padded(say.open, openWidth + 2) +
           padded(say.inDoubt, inDoubtWidth) + say.batch;
}

std::string summaryLine(const plugin::DaySummary& day, const Words& say) {
    auto countAndTotal = [&](std::int64_t count, core::Money total) {
        return padded(std::to_string(count) + " / " + say.money(total), countWidth);
    };
    std::string line =
        padded(core::greekDay(day.businessDay), dayWidth) + padded(day.terminal, terminalWidth) +
        countAndTotal(day.saleCount, day.saleTotal) + padded(say.money(day.tipTotal), amountWidth) +
        countAndTotal(day.refundCount, day.refundTotal) +
        countAndTotal(day.voidCount, day.voidTotal) +
        padded(say.signedMoney(day.net) + " " + day.currency, netWidth) +
        padded(std::to_string(day.openCount), openWidth + 2) +
        padded(std::to_string(day.inDoubtCount), inDoubtWidth);
    if (day.batch && day.batchDifference) {
        line += day.batchDifference->cents() == 0
                    ? say.batchAgrees
                    : say.batchDiffers + " " + say.signedMoney(*day.batchDifference);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
}

// The daily summary per terminal: as a table for people, --json, or exported with --format.
int summarize(const CommandArgs& args, plugin::CashJournal& journal, Output& out, bool exported,
              const Words& say) {
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
    out.line(days.empty() ? say.noEntries : summaryHeader(say));
    for (const auto& day : days) {
        out.line(summaryLine(day, say));
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
    const Words say(payments.runtime().language());
    if (action == "show") {
        return showEntry(words[1], journal, out, say);
    }
    if (action == "export") {
        return args.has("summary") ? summarize(args, journal, out, true, say)
                                   : exportEntries(args, journal);
    }
    if (action == "summary") {
        return summarize(args, journal, out, false, say);
    }
    if (action == "verify") {
        return verify(journal, out);
    }
    return listEntries(args, journal, out, say);
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
