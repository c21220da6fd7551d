// The accountant's desk (`fiscpos serve` /audit) in a real browser: headless Chromium loads the
// pages of the real executable over loopback, with the audit token as Basic credentials, and the
// tests read the DOM back as the accountant reads the screen: the totals per business day and
// terminal with signed amounts, the batch differences flagged, the filter form used as a person
// uses it, the entry page with its linked refunds and voids, Greek by default and English on
// request, at a desk's 1024 px and on a tablet without sideways scrolling. Screenshots are written
// to <build>/test-artefacts/browser/.
//
// The journal is two terminals over 10 and 11 May 2024 (Athens summer time, UTC+3), written
// straight into it at chosen times (tests/support/journal_entries.hpp).
#include "core/clock.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "tests/browser/headless_browser.hpp"
#include "tests/support/journal_entries.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/test_journal.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace fiscpos;
using namespace fiscpos::plugin;
using core::Json;
using core::Money;
using Entry = test::JournalWriter::Entry;

namespace {

const std::string auditToken = "audit-token-0123456789ab";

core::TimePoint at(const char* iso) {
    return core::toTimePoint(core::parseIso8601(iso, "test"));
}

std::filesystem::path artefacts() {
    const char* build = std::getenv("FISCPOS_BINARY_DIR");
    return std::filesystem::path(build ? build : ".") / "test-artefacts" / "browser";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A shop's journal, `fiscpos serve` over it, and a browser signed in to its audit desk.
struct Desk {
    std::filesystem::path dir = test::freshTempDir("browser");
    core::ManualClock clock{at("2024-05-10T06:00:00Z")};
    std::string journalUrl = test::testJournalUrl(dir);
    CashJournal journal = CashJournal::open(journalUrl, clock);
    test::JournalWriter writer{journal, clock};
    JournalEntry tipped, lateSale, voidOfLate, afterMidnight, refund, inDoubt, opened, completion,
        tippedVoided, otherSale;
    std::unique_ptr<test::ServeProcess> serve;
    std::unique_ptr<test::HeadlessBrowser> browser;
    std::string basic; // the Authorization header of the desk

    Desk() {
        tipped = writer.write({.at = "2024-05-10T09:00:00Z", .amount = "1.24", .tip = "0.50"});
        // 23:30 and 23:45 in Athens: still 10 May.
        lateSale = writer.write({.at = "2024-05-10T20:30:00Z", .amount = "10.00"});
        voidOfLate = writer.write({.kind = EntryKind::Void,
                                   .at = "2024-05-10T20:45:00Z",
                                   .amount = "10.00",
                                   .original = lateSale.id});
        // 00:30 on 11 May in Athens, though 10 May in UTC.
        afterMidnight = writer.write({.at = "2024-05-10T21:30:00Z", .amount = "5.00"});
        refund = writer.write({.kind = EntryKind::Refund,
                               .at = "2024-05-11T08:00:00Z",
                               .amount = "1.00",
                               .original = tipped.id});
        writer.write(
            {.at = "2024-05-11T08:10:00Z", .amount = "3.00", .state = EntryState::Declined});
        inDoubt = writer.write(
            {.at = "2024-05-11T08:20:00Z", .amount = "7.00", .state = EntryState::InDoubt});
        opened = writer.write(
            {.at = "2024-05-11T08:30:00Z", .amount = "8.00", .state = EntryState::Signing});
        const JournalEntry preauth = writer.write(
            {.kind = EntryKind::Preauth, .at = "2024-05-11T09:00:00Z", .amount = "20.00"});
        completion = writer.write({.kind = EntryKind::Completion,
                                   .at = "2024-05-11T10:00:00Z",
                                   .amount = "15.00",
                                   .original = preauth.id});
        tippedVoided =
            writer.write({.at = "2024-05-11T11:00:00Z", .amount = "4.00", .tip = "0.30"});
        writer.write({.kind = EntryKind::Void,
                      .at = "2024-05-11T11:05:00Z",
                      .amount = "4.00",
                      .original = tippedVoided.id});
        // 11 May on A3: 5.00 + 15.00 + 4.30 − 1.00 − 4.30 = 19.00; the network agrees.
        writer.write({.kind = EntryKind::BatchClose,
                      .at = "2024-05-11T20:00:00Z",
                      .outcome = batchOutcome({"000042", 3, Money::parse("24.30", "t"), 2,
                                               Money::parse("5.30", "t")})});
        otherSale =
            writer.write({.terminal = "B7", .at = "2024-05-11T12:00:00Z", .amount = "2.00"});
        // B7's network counted 2.50: 0.50 more than the journal.
        writer.write({.kind = EntryKind::BatchClose,
                      .terminal = "B7",
                      .at = "2024-05-11T20:10:00Z",
                      .outcome = batchOutcome({"", 1, Money::parse("2.50", "t"), 0, Money{}})});

        // Nothing here is ever called: the desk reads the journal only.
        const auto config = dir / "fiscpos.ini";
        std::ofstream(config) << "[journal]\nurl = " << journalUrl
                              << "\n[provider]\nurl = http://127.0.0.1:9/provider\n"
                                 "token = unused-token\nprovider_id = 999\n"
                                 "[terminal.A3]\nnsp = mellon\nurl = http://127.0.0.1:9/mellon\n"
                                 "username = u\npassword = p\napi_key = c2ltLXdlYmVjci1rZXktMQ\n"
                                 "pos_id = 358046\ntid = 64999964\nprovider_id = 999\n"
                                 "[terminal.B7]\nnsp = mellon\nurl = http://127.0.0.1:9/mellon\n"
                                 "username = u\npassword = p\napi_key = c2ltLXdlYmVjci1rZXktMQ\n"
                                 "pos_id = 358047\ntid = 64999965\nprovider_id = 999\n"
                                 "[serve]\napi_token = erp-api-token-0123456789\naudit_token = "
                              << auditToken << "\n";
        serve = std::make_unique<test::ServeProcess>(config);
        try {
            browser = std::make_unique<test::HeadlessBrowser>(dir / "chromium");
        } catch (const std::exception& e) {
            BOOST_TEST_REQUIRE(false, e.what());
        }
        std::ostringstream encoded;
        {
            Poco::Base64Encoder encoder(encoded);
            encoder << "accountant:" << auditToken;
        }
        basic = "Basic " + encoded.str();
        browser->header("Authorization", basic);
        browser->window(1024, 768);
    }

    int open(const std::string& path) { return browser->open(serve->url() + path); }
    std::string text(const std::string& selector) {
        const Json value = browser->evaluate("(document.querySelector(" + Json(selector).dump() +
                                             ") || {textContent: null}).textContent");
        return value.is_string() ? value.get<std::string>() : "<no " + selector + ">";
    }
    // Whether the page scrolls sideways: wider than the window.
    bool fitsTheWindow() {
        return browser->evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            .get<bool>();
    }
    // How much wider than its box a table is (0 or less: it shows without scrolling sideways).
    int tableOverflow(const std::string& table) {
        return browser
            ->evaluate("(box => box.scrollWidth - box.clientWidth)(document.querySelector(" +
                       Json(table).dump() + ").parentElement)")
            .get<int>();
    }
    void screenshot(const std::string& name) { browser->screenshot(artefacts() / (name + ".png")); }

    // The totals table: day|terminal → net, flagged?, batch check.
    std::map<std::string, std::vector<std::string>> totals() {
        const Json rows = browser->evaluate(R"(
            Array.from(document.querySelectorAll('#totals tr.day')).map(r => [
                r.dataset.day + '|' + r.dataset.terminal,
                r.querySelector('td.net').textContent,
                r.classList.contains('flagged') ? 'flagged' : '',
                r.cells[r.cells.length - 1].textContent])
        )");
        std::map<std::string, std::vector<std::string>> out;
        for (const auto& row : rows) {
            out[row[0].get<std::string>()] = {row[1], row[2], row[3]};
        }
        return out;
    }
    // The net column of the entries table: entry id → text.
    std::map<std::string, std::string> nets(const std::string& table = "#entries") {
        const Json rows = browser->evaluate(
            "Array.from(document.querySelectorAll(" + Json(table + " tr[data-entry]").dump() +
            ")).map(r => [r.dataset.entry, r.querySelector('td.net').textContent])");
        std::map<std::string, std::string> out;
        for (const auto& row : rows) {
            out[row[0].get<std::string>()] = row[1].get<std::string>();
        }
        return out;
    }
    // What the link `selector` points at, fetched with the desk's credentials.
    std::string download(const std::string& selector) {
        const Poco::URI href(
            browser->evaluate("document.querySelector(" + Json(selector).dump() + ").href")
                .get<std::string>());
        Poco::Net::HTTPClientSession session(href.getHost(), href.getPort());
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, href.getPathAndQuery(),
                                       Poco::Net::HTTPRequest::HTTP_1_1);
        request.set("Authorization", basic);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::ostringstream body;
        body << session.receiveResponse(response).rdbuf();
        BOOST_TEST(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK, body.str());
        BOOST_TEST(response.getContentType().starts_with("text/csv"));
        return body.str();
    }
    std::size_t rows(const std::string& selector) {
        return browser->evaluate("document.querySelectorAll(" + Json(selector).dump() + ").length")
            .get<std::size_t>();
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(audit_desk)

BOOST_FIXTURE_TEST_CASE(the_desk_adds_up_each_day_and_terminal_in_greek, Desk) {
    BOOST_TEST_REQUIRE(open("/audit") == 200);
    BOOST_TEST(browser->evaluate("document.documentElement.lang").get<std::string>() == "el");
    BOOST_TEST(contains(text("#verify"), "Το ημερολόγιο ελέγχθηκε: εντάξει."));
    BOOST_TEST(contains(text("#shown"), "15 εγγραφές"), text("#shown"));
    BOOST_TEST(contains(text("#shown"), "όλες οι εργάσιμες ημέρες"), text("#shown"));

    // Business days in Athens time; refunds and voids negative; the batches against the journal.
    const auto days = totals();
    const std::map<std::string, std::vector<std::string>> expected{
        {"2024-05-10|A3", {"1,74", "", "—"}},
        {"2024-05-11|A3", {"19,00", "", "συμφωνεί"}},
        {"2024-05-11|B7", {"2,00", "flagged", "0,50"}}};
    BOOST_TEST(days.size() == expected.size());
    for (const auto& [key, want] : expected) {
        BOOST_TEST_CONTEXT(key) {
            BOOST_TEST_REQUIRE(days.count(key) == 1u);
            BOOST_TEST(days.at(key) == want, boost::test_tools::per_element());
        }
    }
    BOOST_TEST(text("#totals tr.total td.net") == "22,74");
    BOOST_TEST(contains(text("#batch-differences"), "1 σύνολο(α) πακέτου διαφέρουν"));
    // The 11 May row of A3: 3 sales 24,00, a refund and a void taken back, one open, one in doubt.
    const std::string day11 =
        R"(document.querySelector('#totals tr[data-day="2024-05-11"][data-terminal="A3"]'))";
    BOOST_TEST(browser->evaluate(day11 + ".cells[2].textContent").get<std::string>() ==
               "3 · 24,00");
    BOOST_TEST(browser->evaluate(day11 + ".cells[4].textContent").get<std::string>() ==
               "1 · -1,00");
    BOOST_TEST(browser->evaluate(day11 + ".cells[5].textContent").get<std::string>() ==
               "1 · -4,30");
    BOOST_TEST(browser->evaluate(day11 + ".cells[7].textContent").get<std::string>() == "1 / 1");

    // Each entry's signed net: the refund and the voids negative, what did not go through 0.
    const auto net = nets();
    BOOST_TEST(net.size() == 15u);
    BOOST_TEST(net.at(tipped.id) == "1,74");
    BOOST_TEST(net.at(refund.id) == "-1,00");
    BOOST_TEST(net.at(voidOfLate.id) == "-10,00");
    BOOST_TEST(net.at(inDoubt.id) == "0,00");
    BOOST_TEST(contains(text("tr[data-entry=\"" + lateSale.id + "\"] td[data-state]"),
                        "εγκρίθηκε (ακυρωμένη)"));
    // Athens time, dd/mm/yyyy: 20:30 UTC is 23:30 in Athens.
    BOOST_TEST(text("tr[data-entry=\"" + lateSale.id + "\"] td") == "10/05/2024 23:30:00");

    BOOST_TEST(fitsTheWindow());
    // At a desk's 1024 px not even the tables need their own sideways scrolling.
    BOOST_TEST(tableOverflow("#totals") <= 0);
    BOOST_TEST(tableOverflow("#entries") <= 0);
    // How close the entries are to needing their own scrolling (for the log: the layout's slack).
    BOOST_TEST_MESSAGE("entries table: " << browser
                                                ->evaluate(R"((t => {
                              t.style.width = 'min-content';
                              const least = t.offsetWidth;
                              t.style.width = '';
                              return least + ' px at least, in ' + t.parentElement.clientWidth;
                          })(document.querySelector('#entries')))")
                                                .get<std::string>());
    screenshot("audit-1024-el");
}

BOOST_FIXTURE_TEST_CASE(the_filter_form_narrows_the_page_and_the_heading_says_how, Desk) {
    BOOST_TEST_REQUIRE(open("/audit") == 200);
    // As a person does it: the dates, a terminal, then Show.
    browser->evaluate("document.querySelector('#from').value = '2024-05-11';"
                      "document.querySelector('#to').value = '2024-05-11';"
                      "document.querySelector('#terminal').value = 'B7'");
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#show').click()") == 200);
    const std::string search = browser->evaluate("location.search").get<std::string>();
    BOOST_TEST(contains(search, "from=2024-05-11"), search);
    BOOST_TEST(contains(search, "terminal=B7"), search);
    BOOST_TEST(text("#shown") ==
               "2 εγγραφές · εργάσιμες ημέρες 11/05/2024 έως 11/05/2024 · τερματικό B7");
    BOOST_TEST(rows("#entries tr[data-entry]") == 2u);
    const auto days = totals();
    BOOST_TEST_REQUIRE(days.size() == 1u);
    BOOST_TEST(days.begin()->first == "2024-05-11|B7");
    BOOST_TEST(text("#totals tr.total td.net") == "2,00");
    // The form shows what was chosen.
    BOOST_TEST(browser->evaluate("document.querySelector('#terminal').value").get<std::string>() ==
               "B7");
    BOOST_TEST(browser->evaluate("document.querySelector('#from').value").get<std::string>() ==
               "2024-05-11");
    screenshot("audit-filtered-b7");

    // The CSV link gives what is shown (fetched by the test: the page's Content-Security-Policy
    // lets no script of it fetch anything, the test's own included): the el-GR dialect, the same
    // two entries.
    const std::string csv = download("#csv-el");
    BOOST_TEST(csv.starts_with("\xEF\xBB\xBF"));
    BOOST_TEST(std::count(csv.begin(), csv.end(), '\n') == 3); // the header and two entries
    BOOST_TEST(contains(csv, otherSale.id));
    BOOST_TEST(contains(csv, ";\"B7\";"));
    const std::string summary = download("#summary-csv");
    BOOST_TEST(contains(summary, "11/05/2024"), summary);
    BOOST_TEST(contains(summary, "0,50"), summary);

    // A state and a kind, on every terminal again.
    browser->evaluate("document.querySelector('#terminal').value = '';"
                      "document.querySelector('#state').value = 'IN_DOUBT'");
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#show').click()") == 200);
    BOOST_TEST(text("#shown") == "1 εγγραφή · εργάσιμες ημέρες 11/05/2024 έως 11/05/2024 · "
                                 "όλα τα τερματικά · κατάσταση: αβέβαιη");
    BOOST_TEST(nets().count(inDoubt.id) == 1u);
    browser->evaluate("document.querySelector('#state').value = '';"
                      "document.querySelector('#kind').value = 'refund'");
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#show').click()") == 200);
    BOOST_TEST(rows("#entries tr[data-entry]") == 1u);
    BOOST_TEST(text("#totals tr.total td.net") == "-1,00");
}

BOOST_FIXTURE_TEST_CASE(an_entry_page_links_the_sale_with_its_refunds_and_voids, Desk) {
    // A unique prefix of the id is enough, as in `fiscpos journal show`.
    BOOST_TEST_REQUIRE(open("/audit/entry/" + tipped.id.substr(0, 8)) == 200);
    BOOST_TEST(text("h1") == "πώληση 1,24 EUR — εγκρίθηκε");
    BOOST_TEST(text("#net") == "1,74");
    BOOST_TEST(contains(text("#facts"), "10/05/2024 12:00:00"), text("#facts"));
    const auto linked = nets("#linked");
    BOOST_TEST_REQUIRE(linked.size() == 1u);
    BOOST_TEST(linked.at(refund.id) == "-1,00");
    BOOST_TEST(text("#given-back") == "Έχουν επιστραφεί έως τώρα: 1,00 από 1,74 EUR.");
    BOOST_TEST(fitsTheWindow());
    screenshot("audit-entry-sale");

    // To the refund, and from it back to its sale.
    BOOST_TEST_REQUIRE(
        browser->follow("document.querySelector('#linked tr[data-entry] a').click()") == 200);
    BOOST_TEST(text("#net") == "-1,00");
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#facts a').click()") == 200);
    BOOST_TEST(contains(browser->evaluate("location.pathname").get<std::string>(), tipped.id));

    // A voided sale shows its void.
    BOOST_TEST_REQUIRE(open("/audit/entry/" + lateSale.id) == 200);
    BOOST_TEST(contains(text("#facts"), "ακυρωμένη"));
    BOOST_TEST(nets("#linked").at(voidOfLate.id) == "-10,00");
    BOOST_TEST(text("#given-back") == "Έχουν επιστραφεί έως τώρα: 10,00 από 10,00 EUR.");
}

BOOST_FIXTURE_TEST_CASE(the_desk_fits_a_tablet_and_speaks_english_on_request, Desk) {
    browser->window(768, 1024, true);
    BOOST_TEST_REQUIRE(open("/audit?lang=en") == 200);
    BOOST_TEST(browser->evaluate("document.documentElement.lang").get<std::string>() == "en");
    BOOST_TEST(text("#shown") == "15 entries · every business day · every terminal");
    BOOST_TEST(text("#totals tr.total td.net") == "22.74");
    BOOST_TEST(contains(text("#verify"), "Journal verified: ok."));
    BOOST_TEST(fitsTheWindow());
    screenshot("audit-tablet-en");

    // The form keeps the language; the switch goes back to Greek with the same filter.
    browser->evaluate("document.querySelector('#terminal').value = 'A3'");
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#show').click()") == 200);
    BOOST_TEST(contains(text("#shown"), "terminal A3"), text("#shown"));
    BOOST_TEST_REQUIRE(browser->follow("document.querySelector('#language').click()") == 200);
    BOOST_TEST(contains(text("#shown"), "τερματικό A3"), text("#shown"));
}

BOOST_FIXTURE_TEST_CASE(a_wrong_filter_is_named_and_nothing_else_is_shown, Desk) {
    BOOST_TEST(open("/audit?from=yesterday") == 400);
    BOOST_TEST(contains(text(".problems"), "from"), text(".problems"));
    BOOST_TEST(rows("#entries") == 0u);
    BOOST_TEST(open("/audit?lang=fr") == 400);
    BOOST_TEST(contains(text(".problems"), "lang"), text(".problems"));
    BOOST_TEST(open("/audit/entry/nothing-like-it") == 404);
}

BOOST_AUTO_TEST_SUITE_END()
