// fiscpos journal list | show ENTRY | export --format json|csv | verify: the accountant's view of
// the cash journal.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/errors.hpp"

#include <iostream>

namespace fiscpos::cli {

namespace {

int runJournal(const CommandArgs& args, CommandContext& context) {
    PaymentContext payments(context, false);
    auto& journal = payments.journal();
    Output& out = context.out;
    const auto& words = args.words();
    const std::string action = words.empty() ? "list" : words[0];
    if (action != "list" && action != "show" && action != "export" && action != "verify") {
        throw core::InputError("journal", "\"" + action + "\" is not list, show, export or verify");
    }
    if ((action == "show") != (words.size() == 2)) {
        throw core::InputError("journal", action == "show" ? "show needs the entry id"
                                                           : "unexpected \"" + words[1] + "\"");
    }
    if (action == "show") {
        const auto entry = journal.get(journal.resolveId(words[1], "entry"));
        core::Json events = core::Json::array();
        for (const auto& event : journal.events(entry.id)) {
            events.push_back(plugin::eventToJson(event));
        }
        core::Json shown = plugin::entryToJson(entry);
        shown["events"] = events;
        if (out.json()) {
            out.result(shown);
        } else {
            std::cout << core::dumpJson(shown, 2) << '\n';
        }
        return ExitDone;
    }
    if (action == "export") {
        const std::string format = args.get("format").value_or("json");
        if (format == "json") {
            std::cout << journal.exportJson() << '\n';
        } else if (format == "csv") {
            std::cout << journal.exportCsv();
        } else {
            throw core::InputError("--format", "\"" + format + "\" is not json or csv");
        }
        return ExitDone;
    }
    if (action == "verify") {
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
    core::Json list = core::Json::array();
    for (const auto& entry : journal.list()) {
        out.line(entry.createdAt + "  " + std::string(plugin::stateName(entry.state)) + "  " +
                 std::string(plugin::kindName(entry.kind)) + "  " + entry.amount.toString() + " " +
                 entry.currency + "  " + entry.terminal + "  " + entry.id);
        list.push_back(plugin::entryToJson(entry));
    }
    out.result({{"entries", list}});
    return ExitDone;
}

} // namespace

Command makeJournalCommand() {
    return Command(
        {"journal",
         "list, show, export or verify the cash journal",
         "  list           every entry, one line each (the default)\n"
         "  show ENTRY     one entry with all its events\n"
         "  export         the whole journal, --format json (default) or csv\n"
         "  verify         recompute the hash chain; exit status 1 when an event was edited or "
         "deleted",
         {{"format", "export format: json or csv", "FORMAT"}},
         "list | show ENTRY | export [--format json|csv] | verify",
         2},
        runJournal);
}

} // namespace fiscpos::cli
