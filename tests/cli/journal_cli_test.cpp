// `fiscpos journal` as an accountant runs it, on a SQLite journal the test wrote at chosen times:
// the export filters and formats, the daily summary, the human list and show views, and the
// errors for bad option values.
#include "core/json.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "tests/support/journal_entries.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

namespace core = fiscpos::core;
using namespace fiscpos::plugin;
using Entry = fiscpos::test::JournalWriter::Entry;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A configuration with only a journal, and entries on 10 and 11 May 2024 (Athens, UTC+3).
struct Accountant {
    std::filesystem::path dir = fiscpos::test::freshTempDir("journal-cli");
    std::filesystem::path config = dir / "fiscpos.ini";
    core::ManualClock clock{core::toTimePoint(core::parseIso8601("2024-05-10T06:00:00Z", "t"))};
    JournalEntry sale, voidOfSale, lateSale, refund, declined, otherTerminal;

    Accountant() {
        std::ofstream(config) << "[journal]\nurl = sqlite:journal.db\n";
        CashJournal journal = CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock);
        const fiscpos::test::JournalWriter writer{journal, clock};
        sale = writer.write({.at = "2024-05-10T09:00:00Z",
                             .amount = "12.40",
                             .tip = "1.00",
                             .rrn = "012345678901"});
        voidOfSale = writer.write({.kind = EntryKind::Void,
                                   .at = "2024-05-10T09:05:00Z",
                                   .amount = "12.40",
                                   .original = sale.id});
        // 23:30 UTC is 02:30 on 11 May in Athens.
        lateSale = writer.write({.at = "2024-05-10T23:30:00Z", .amount = "5.00"});
        refund = writer.write({.kind = EntryKind::Refund,
                               .at = "2024-05-11T10:00:00Z",
                               .amount = "2.00",
                               .original = lateSale.id});
        declined = writer.write(
            {.at = "2024-05-11T11:00:00Z", .amount = "3.00", .state = EntryState::Declined});
        otherTerminal =
            writer.write({.terminal = "B7", .at = "2024-05-11T12:00:00Z", .amount = "7.00"});
    }

    fiscpos::test::ProcessResult fiscpos(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return fiscpos::test::runProcess(fiscpos::test::fiscposBinary(), args);
    }

    // The ids of the entries `journal export` (JSON) gives with `filters`.
    std::vector<std::string> exported(const std::vector<std::string>& filters) const {
        std::vector<std::string> args{"journal", "export"};
        args.insert(args.end(), filters.begin(), filters.end());
        const auto run = fiscpos(args);
        BOOST_TEST_REQUIRE(run.exitCode == 0, run.err);
        std::vector<std::string> ids;
        const auto json = core::parseJson(run.out, "journal export", core::JsonOrigin::Response);
        for (const auto& entry : json["entries"]) {
            ids.push_back(entry["id"].get<std::string>());
        }
        return ids;
    }
};

std::vector<std::string> ids(std::initializer_list<const JournalEntry*> entries) {
    std::vector<std::string> out;
    for (const auto* entry : entries) {
        out.push_back(entry->id);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(journal_cli)

BOOST_FIXTURE_TEST_CASE(export_filters_by_athens_day_terminal_state_and_kind, Accountant) {
    BOOST_TEST(exported({}) ==
               ids({&sale, &voidOfSale, &lateSale, &refund, &declined, &otherTerminal}));
    BOOST_TEST(exported({"--from", "2024-05-10", "--to", "2024-05-10"}) ==
               ids({&sale, &voidOfSale}));
    BOOST_TEST(exported({"--from", "2024-05-11"}) ==
               ids({&lateSale, &refund, &declined, &otherTerminal}));
    BOOST_TEST(exported({"--to", "2024-05-10"}) == ids({&sale, &voidOfSale}));
    BOOST_TEST(exported({"--terminal", "B7"}) == ids({&otherTerminal}));
    BOOST_TEST(exported({"--state", "declined"}) == ids({&declined}));
    BOOST_TEST(exported({"--state", "Declined, approved", "--terminal", "A3", "--from",
                         "2024-05-11"}) == ids({&lateSale, &refund, &declined}));
    BOOST_TEST(exported({"--kind", "VOID"}) == ids({&voidOfSale}));
    BOOST_TEST(exported({"--from", "2024-06-01"}).empty());

    const auto json = fiscpos({"journal", "export", "--kind", "void"});
    const auto entry =
        core::parseJson(json.out, "export", core::JsonOrigin::Response)["entries"][0];
    BOOST_TEST(entry["business_day"] == "2024-05-10");
    BOOST_TEST(entry["net_amount"] == "-13.40"); // the sale and its tip taken back
}

BOOST_FIXTURE_TEST_CASE(export_writes_both_csv_dialects, Accountant) {
    const auto csv = fiscpos({"journal", "export", "--format", "csv", "--terminal", "A3"});
    BOOST_TEST_REQUIRE(csv.exitCode == 0, csv.err);
    BOOST_TEST(csv.out.starts_with("id,opened_seq,created_at,"));
    BOOST_TEST(contains(csv.out, ",business_day,net_amount\r\n"));
    BOOST_TEST(contains(csv.out, ",2024-05-10T23:30:00Z,"), csv.out);
    BOOST_TEST(contains(csv.out, ",2024-05-11,5.00\r\n"), csv.out);
    BOOST_TEST(contains(csv.out, ",2024-05-10,-13.40\r\n"), csv.out);

    const auto el = fiscpos(
        {"journal", "export", "--format", "csv-el", "--kind", "sale", "--to", "2024-05-10"});
    BOOST_TEST_REQUIRE(el.exitCode == 0, el.err);
    BOOST_TEST(el.out.starts_with("\xEF\xBB\xBF\"id\";\"opened_seq\";"));
    BOOST_TEST(contains(el.out, ";10/05/2024 12:00:00;"), el.out);
    BOOST_TEST(contains(el.out, ";12,40;1,00;\"EUR\";"), el.out);
    BOOST_TEST(contains(el.out, ";\"'012345678901\";"), el.out);
    BOOST_TEST(contains(el.out, ";10/05/2024;13,40\r\n"), el.out);
    BOOST_TEST(el.out.find(',') == el.out.find(",40;"), "no comma but in amounts");
}

BOOST_FIXTURE_TEST_CASE(the_daily_summary_comes_per_day_and_terminal, Accountant) {
    const auto json = fiscpos({"journal", "export", "--summary"});
    BOOST_TEST_REQUIRE(json.exitCode == 0, json.err);
    const auto days = core::parseJson(json.out, "summary", core::JsonOrigin::Response)["days"];
    BOOST_TEST_REQUIRE(days.size() == 3U);
    BOOST_TEST(days[0]["business_day"] == "2024-05-10");
    BOOST_TEST(days[0]["net"] == "0.00");
    BOOST_TEST(days[0]["voids"]["total"] == "13.40");
    BOOST_TEST(days[1]["business_day"] == "2024-05-11");
    BOOST_TEST(days[1]["terminal"] == "A3");
    BOOST_TEST(days[1]["net"] == "3.00");
    BOOST_TEST(days[2]["terminal"] == "B7");

    const auto el = fiscpos(
        {"journal", "summary", "--format", "csv-el", "--terminal", "A3", "--from", "2024-05-11"});
    BOOST_TEST_REQUIRE(el.exitCode == 0, el.err);
    BOOST_TEST(el.out.starts_with("\xEF\xBB\xBF\"business_day\";\"terminal\";"));
    BOOST_TEST(contains(el.out, "\r\n11/05/2024;\"A3\";\"EUR\";3;1;5,00;0,00;1;2,00;0;0,00;3,00;"),
               el.out);

    const auto table = fiscpos({"--lang", "en", "journal", "summary"});
    BOOST_TEST_REQUIRE(table.exitCode == 0, table.err);
    BOOST_TEST(contains(table.out, "10/05/2024"), table.out);
    BOOST_TEST(contains(table.out, "+3.00 EUR"), table.out);
    const auto greek = fiscpos({"journal", "summary"});
    BOOST_TEST(contains(greek.out, "εργάσιμη ημέρα"), greek.out);
    BOOST_TEST(contains(greek.out, "+3,00 EUR"), greek.out);
    const auto viaJson = fiscpos({"--json", "journal", "summary", "--to", "2024-05-10"});
    BOOST_TEST(core::parseJson(viaJson.out, "summary", core::JsonOrigin::Response)["days"].size() ==
               1U);
}

BOOST_FIXTURE_TEST_CASE(list_and_show_speak_athens_time_and_the_till, Accountant) {
    const auto list = fiscpos({"--lang", "en", "journal", "list", "--terminal", "A3"});
    BOOST_TEST_REQUIRE(list.exitCode == 0, list.err);
    BOOST_TEST(contains(list.out, "10/05/2024 12:00  sale"), list.out);
    BOOST_TEST(contains(list.out, "+13.40 EUR  APPROVED"), list.out);
    BOOST_TEST(contains(list.out, "11/05/2024 02:30  sale"), list.out); // 23:30 UTC
    BOOST_TEST(contains(list.out, "-13.40 EUR  APPROVED"), list.out);
    BOOST_TEST(contains(list.out, "0.00 EUR  DECLINED"), list.out);
    BOOST_TEST(contains(list.out, "3.00 not booked"), list.out);
    BOOST_TEST(contains(list.out, "5 entries; till +3.00 EUR"), list.out);
    BOOST_TEST(!contains(list.out, "2024-05-10T"), list.out);

    const auto listJson = fiscpos({"--json", "journal", "list", "--kind", "refund"});
    const auto listed = core::parseJson(listJson.out, "list", core::JsonOrigin::Response);
    BOOST_TEST_REQUIRE(listed["entries"].size() == 1U);
    BOOST_TEST(listed["entries"][0]["created_at"] == "2024-05-11T10:00:00Z");

    const auto show = fiscpos({"--lang", "en", "journal", "show", sale.id.substr(0, 8)});
    BOOST_TEST_REQUIRE(show.exitCode == 0, show.err);
    BOOST_TEST(contains(show.out, "sale " + sale.id), show.out);
    BOOST_TEST(contains(show.out, "business day  10/05/2024"), show.out);
    BOOST_TEST(contains(show.out, "12.40 EUR + tip 1.00"), show.out);
    BOOST_TEST(contains(show.out, "till          +13.40 EUR"), show.out);
    BOOST_TEST(contains(show.out, "Linked entries"), show.out);
    BOOST_TEST(contains(show.out, "-13.40 EUR  APPROVED A3        " + voidOfSale.id), show.out);
    BOOST_TEST(contains(show.out, "10/05/2024 12:00:00  #1 opened"), show.out);
    BOOST_TEST(contains(show.out, "SIGNING -> APPROVED"), show.out);
    BOOST_TEST(contains(show.out, "note: voided by entry " + voidOfSale.id), show.out);

    // Greek by default: the kinds and states in words, decimal commas, the labels aligned by
    // characters.
    const auto lista = fiscpos({"journal", "list", "--terminal", "A3"});
    BOOST_TEST_REQUIRE(lista.exitCode == 0, lista.err);
    BOOST_TEST(contains(lista.out, "ώρα Αθήνας"), lista.out);
    BOOST_TEST(contains(lista.out, "10/05/2024 12:00  πώληση"), lista.out);
    BOOST_TEST(contains(lista.out, "+13,40 EUR  εγκρίθηκε"), lista.out);
    BOOST_TEST(contains(lista.out, "0,00 EUR  απορρίφθηκε"), lista.out);
    BOOST_TEST(contains(lista.out, "3,00 δεν καταχωρήθηκε"), lista.out);
    BOOST_TEST(contains(lista.out, "5 εγγραφές; ταμείο +3,00 EUR"), lista.out);
    const auto deixe = fiscpos({"journal", "show", sale.id});
    BOOST_TEST(contains(deixe.out, "πώληση " + sale.id), deixe.out);
    BOOST_TEST(contains(deixe.out, "  εργάσιμη ημέρα 10/05/2024"), deixe.out);
    BOOST_TEST(contains(deixe.out, "  ταμείο        +13,40 EUR"), deixe.out);
    BOOST_TEST(contains(deixe.out, "12,40 EUR + φιλοδώρημα 1,00"), deixe.out);
    BOOST_TEST(contains(deixe.out, "Συνδεδεμένες εγγραφές"), deixe.out);

    // --json keeps the machine output: the entry's columns and its events.
    const auto shownJson = fiscpos({"--json", "journal", "show", voidOfSale.id});
    const auto shown = core::parseJson(shownJson.out, "show", core::JsonOrigin::Response);
    BOOST_TEST(shown["id"] == voidOfSale.id);
    BOOST_TEST(shown["amount"] == "12.40");
    BOOST_TEST(shown["events"].size() == 2U);
    BOOST_TEST(!shown.contains("net_amount"));
}

BOOST_FIXTURE_TEST_CASE(bad_option_values_are_refused_naming_the_option, Accountant) {
    struct Case {
        std::vector<std::string> args;
        std::string option;
        std::string reason;
    };
    const std::vector<Case> cases{
        {{"export", "--from", "2024-13-01"}, "--from", "is not a calendar day"},
        {{"export", "--from", "10/05/2024"}, "--from", "expected e.g. 2024-05-10"},
        {{"export", "--to", ""}, "--to", "is not a calendar day"},
        {{"export", "--from", "2024-05-11", "--to", "2024-05-10"}, "--to", "comes before --from"},
        {{"export", "--state", "PAID"}, "--state", "is not an entry state"},
        {{"export", "--state", "APPROVED,"}, "--state", "empty state name"},
        {{"export", "--kind", "payment"}, "--kind", "\"payment\""},
        {{"export", "--terminal", ""}, "--terminal", "is empty"},
        {{"export", "--format", "xlsx"}, "--format", "is not json, csv or csv-el"},
        {{"export", "--summary", "--state", "APPROVED"}, "--state", "does not apply"},
        {{"summary", "--kind", "sale"}, "--kind", "does not apply"},
        {{"list", "--format", "csv"}, "--format", "applies to journal export and summary"},
        {{"list", "--summary"}, "--summary", "applies to journal export only"},
        {{"verify", "--from", "2024-05-10"}, "--from", "does not apply to journal verify"},
        {{"show", "abcdef", "--terminal", "A3"}, "--terminal", "does not apply"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"--json", "journal"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        const auto run = fiscpos(args);
        BOOST_TEST_CONTEXT(c.args[0] << " " << c.args[1]) {
            BOOST_TEST(run.exitCode == 1, run.err);
            BOOST_TEST(contains(run.err, c.option + ": "), run.err);
            BOOST_TEST(contains(run.err, c.reason), run.err);
            BOOST_TEST(!contains(run.err, "terminate called"));
            const auto error =
                core::parseJson(run.out, "error", core::JsonOrigin::Response)["error"];
            BOOST_TEST(error["field"] == c.option);
        }
    }
}

BOOST_AUTO_TEST_CASE(help_lists_the_options_with_an_example) {
    const auto help =
        fiscpos::test::runProcess(fiscpos::test::fiscposBinary(), {"journal", "--help"});
    BOOST_TEST(help.exitCode == 0);
    for (const char* option : {"--from", "--to", "--terminal", "--state", "--kind", "--format",
                               "--summary", "csv-el", "Example:"}) {
        BOOST_TEST(contains(help.out, option), option);
    }
}

BOOST_AUTO_TEST_SUITE_END()
