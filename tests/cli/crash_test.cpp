// The crash test: `fiscpos pay` is killed (SIGKILL) after signing, after journaling the network
// reference, after the network accepted the intent, and while polling. `fiscpos reconcile` then
// ends each entry in the right state, and the simulated network holds exactly as many intents for
// the payment as it should: one at most, never two.
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/provider_invoice.hpp"
#include "signing/ecdsa.hpp"
#include "signing/provider_invoices.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/fault.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sms_sim.hpp"
#include "tests/support/smtp_server.hpp"
#include "tests/support/test_journal.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

using namespace fiscpos;

namespace {

struct CrashWorld {
    sim::SimServer server{[] {
        sim::SimServerOptions options;
        options.timeScale = 100; // a 4-second approval takes 40 ms
        return options;
    }()};
    std::filesystem::path dir = test::freshTempDir("crash");
    std::filesystem::path config = dir / "fiscpos.ini";
    std::string journalUrl = test::testJournalUrl(dir);
    std::filesystem::path invoice = dir / "sale.json";

    // gross, net and VAT of the sale: 22.22 stays on the terminal for 150 s simulated (1.5 s).
    explicit CrashWorld(const std::string& gross = "1.24", const std::string& net = "1.00",
                        const std::string& vat = "0.24") {
        test::addPaymentParties(server, "crash-token");
        server.start();
        std::ofstream(config) << "[journal]\nurl = " << journalUrl << "\n"
                              << "[provider]\nurl = " << server.baseUrl()
                              << "/provider\ntoken = crash-token\nprovider_id = 999\n"
                              << "[terminal.A3]\nnsp = mellon\nurl = " << server.baseUrl()
                              << "/mellon\nusername = sim-user\npassword = sim-password\n"
                              << "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = 358046\n"
                              << "tid = 99000031\nprovider_id = 999\n"
                              // Asynchronous txninit, so that "pending" is a step to kill at.
                              << "wait_seconds = 0\n";
        std::ofstream(invoice) << R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
            "series": "A", "aa": "41", "type": "11.1", "issued_at": ")"
                               << core::athensIso8601(std::chrono::system_clock::now()) << R"(",
            "totals": {"net": ")"
                               << net << R"(", "vat": ")" << vat << R"(", "gross": ")" << gross
                               << R"("},
            "lines": [{"net": ")"
                               << net << R"(", "vat_category": 1, "vat": ")" << vat << R"(",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
    }

    test::ProcessResult fiscpos(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> all{"--config", config.string(), "--json"};
        all.insert(all.end(), args.begin(), args.end());
        return test::runProcess(test::fiscposBinary(), all, env);
    }

    core::Json onlyEntry() const {
        const auto listed = fiscpos({"journal", "list"});
        BOOST_TEST_REQUIRE(listed.exitCode == 0, listed.err);
        const auto entries =
            core::parseJson(listed.out, "journal list", core::JsonOrigin::Response)["entries"];
        BOOST_TEST_REQUIRE(entries.size() == 1u);
        return entries[0];
    }

    int intentsFor(const core::Json& entry) {
        const auto stats = server.stats()["mellon"];
        if (!entry.contains("network_reference") || entry["network_reference"].is_null()) {
            return stats["intents_created"].get<int>();
        }
        const auto reference = entry["network_reference"].get<std::string>();
        return stats["intents_by_reference"].contains(reference)
                   ? stats["intents_by_reference"][reference].get<int>()
                   : 0;
    }

    // Kills `fiscpos pay` at `step`, then reconciles until nothing is open (a bounded number of
    // tries: the simulated terminal finishes within milliseconds). Returns the settled entry.
    core::Json crashAndRecover(const std::string& step) {
        const auto paid = fiscpos(
            {"pay", "--terminal", "A3", "--invoice", invoice.string(), "--key", "crash-" + step},
            {{"FISCPOS_TEST_KILL_AT", step}});
        BOOST_TEST_REQUIRE(paid.exitCode != 0, "the payment was not killed at " + step);
        BOOST_TEST(paid.out.empty()); // killed before it could answer
        const std::string openState = onlyEntry()["state"].get<std::string>();
        BOOST_TEST((openState == "SIGNING" || openState == "SENDING" || openState == "SENT"),
                   openState);
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto reconciled = fiscpos({"reconcile"});
            if (reconciled.exitCode == 0) {
                break;
            }
            BOOST_TEST_REQUIRE(reconciled.exitCode == 3, reconciled.err);
        }
        // The same payment asked again returns the settled entry, never a second intent.
        const auto again = fiscpos(
            {"pay", "--terminal", "A3", "--invoice", invoice.string(), "--key", "crash-" + step});
        BOOST_TEST(again.exitCode != 1, again.err);
        const auto entry = onlyEntry();
        BOOST_TEST(fiscpos({"journal", "verify"}).exitCode == 0);
        return entry;
    }
};

} // namespace

// What the cashier reads (not --json): the outcome in plain words naming the kind of operation,
// in Greek by default and in English with --lang en; the progress lines in the same language.
BOOST_AUTO_TEST_CASE(the_cashier_reads_plain_words_in_greek_or_english) {
    CrashWorld world;
    const auto cashier = [&](const std::vector<std::string>& args) {
        std::vector<std::string> all{"--config", world.config.string()};
        all.insert(all.end(), args.begin(), args.end());
        return test::runProcess(test::fiscposBinary(), all, {});
    };
    const auto paid = cashier(
        {"pay", "--terminal", "A3", "--invoice", world.invoice.string(), "--key", "words-1"});
    BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
    BOOST_TEST(paid.out.starts_with("ΕΓΚΡΙΘΗΚΕ: πώληση 1,24 EUR στο τερματικό A3 (TID 99000031): "
                                    "η κάρτα χρεώθηκε\n"),
               paid.out);
    BOOST_TEST(paid.err.find("fiscpos: signing: υπογραφή από τον πάροχο για 1.24 EUR") !=
                   std::string::npos,
               paid.err);
    const std::string entry = world.onlyEntry()["id"].get<std::string>();

    const auto voided = cashier({"--lang", "en", "void", "--entry", entry.substr(0, 8)});
    BOOST_TEST_REQUIRE(voided.exitCode == 0, voided.err);
    BOOST_TEST(voided.out.starts_with("APPROVED: void of a sale of 1.24 EUR on terminal A3 (TID "
                                      "99000031): the sale is cancelled\n"),
               voided.out);
    BOOST_TEST(voided.err.find("fiscpos: sending: asking the network to void the sale " + entry) !=
                   std::string::npos,
               voided.err);

    const auto badLanguage = cashier({"--lang", "gr", "status", "--entry", entry});
    BOOST_TEST(badLanguage.exitCode == 1);
    BOOST_TEST(badLanguage.err.find("--lang") != std::string::npos, badLanguage.err);
}

BOOST_AUTO_TEST_SUITE(crash_recovery)

BOOST_AUTO_TEST_CASE(killed_after_signing_nothing_is_charged) {
    CrashWorld world;
    const auto entry = world.crashAndRecover("signed");
    BOOST_TEST(entry["state"].get<std::string>() == "NOT_CHARGED");
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(killed_after_journaling_the_reference_nothing_is_charged) {
    CrashWorld world;
    const auto entry = world.crashAndRecover("sending");
    BOOST_TEST(entry["state"].get<std::string>() == "NOT_CHARGED");
    BOOST_TEST(world.intentsFor(entry) == 0);
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(killed_after_the_intent_was_accepted_the_approval_is_found) {
    CrashWorld world;
    const auto entry = world.crashAndRecover("pending");
    BOOST_TEST(entry["state"].get<std::string>() == "APPROVED");
    // The recovered approval goes into the myDATA invoice, valid against AADE's XSD.
    const auto xml =
        world.fiscpos({"invoice", "--entry", entry["id"].get<std::string>(), "--invoice",
                       world.invoice.string(), "--xsd-dir", test::mydataXsdDir().string()});
    BOOST_TEST_REQUIRE(xml.exitCode == 0, xml.err);
    const auto answer = core::parseJson(xml.out, "invoice", core::JsonOrigin::Response);
    BOOST_TEST(answer["xml"].get<std::string>().find("<transactionId>" +
                                                     entry["transaction_id"].get<std::string>()) !=
               std::string::npos);
    BOOST_TEST(answer["xsd"].get<std::string>() == "valid against InvoicesDoc-v2.0.1.xsd");
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(killed_while_polling_the_approval_is_found) {
    CrashWorld world("22.22", "17.92", "4.30");
    const auto entry = world.crashAndRecover("on_device");
    BOOST_TEST(entry["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

// Issuing the invoice of an approved payment through the provider: once, however often `issue`
// runs, whenever it was killed, and whatever answer was lost.
BOOST_AUTO_TEST_SUITE(invoice_issuing)

namespace {

// An approved sale in `world`; returns its entry id.
std::string approvedSale(CrashWorld& world) {
    const auto paid = world.fiscpos(
        {"pay", "--terminal", "A3", "--invoice", world.invoice.string(), "--key", "issue-sale"});
    BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
    return core::parseJson(paid.out, "pay", core::JsonOrigin::Response)["id"].get<std::string>();
}

core::Json issue(CrashWorld& world, const std::string& entry, int exitCode = 0,
                 const std::map<std::string, std::string>& env = {}) {
    const auto issued = world.fiscpos({"issue", "--entry", entry}, env);
    BOOST_TEST_REQUIRE(issued.exitCode == exitCode, issued.err << issued.out);
    return issued.out.empty() ? core::Json(nullptr)
                              : core::parseJson(issued.out, "issue", core::JsonOrigin::Response);
}

std::int64_t invoicesIssued(CrashWorld& world) {
    return world.server.stats()["provider"]["invoices_issued"].get<std::int64_t>();
}

// Sets [provider] issue in the world's configuration.
void setIssue(CrashWorld& world, const std::string& value) {
    std::ifstream in(world.config);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string token = "token = crash-token\n";
    text.replace(text.find(token), token.size(), token + "issue = " + value + "\n");
    std::ofstream(world.config) << text;
}

void faultOnce(CrashWorld& world, const std::string& method, const std::string& path,
               sim::FaultKind kind, int status = 503) {
    sim::FaultRule rule;
    rule.method = method;
    rule.path = path;
    rule.kind = kind;
    rule.status = status;
    world.server.faults().add(rule);
}

} // namespace

BOOST_AUTO_TEST_CASE(an_approved_payment_is_issued_once_with_its_mark_and_link) {
    CrashWorld world;
    const std::string entry = approvedSale(world);
    const auto first = issue(world, entry);
    BOOST_TEST(first["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(!first["mark"].get<std::string>().empty());
    BOOST_TEST(first["url"].get<std::string>().starts_with("https://"));
    BOOST_TEST(!first["from_journal"].get<bool>());

    const auto again = issue(world, entry);
    BOOST_TEST(again["from_journal"].get<bool>());
    BOOST_TEST(again["mark"] == first["mark"]);
    BOOST_TEST(invoicesIssued(world) == 1);
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_CASE(killed_after_journaling_the_request_the_rerun_asks_first_and_issues_once) {
    CrashWorld world;
    const std::string entry = approvedSale(world);
    const auto killed =
        world.fiscpos({"issue", "--entry", entry}, {{"FISCPOS_TEST_KILL_AT", "issuing"}});
    BOOST_TEST((killed.exitCode > 3 && killed.out.empty()), "not killed: " << killed.err);
    BOOST_TEST(invoicesIssued(world) == 0);
    const auto issued = issue(world, entry);
    BOOST_TEST(issued["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(invoicesIssued(world) == 1);
    BOOST_TEST(world.server.stats()["provider"]["invoice_duplicates"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_is_found_by_uid_or_left_in_doubt_never_issued_twice) {
    CrashWorld world;
    const std::string entry = approvedSale(world);
    // The provider issues, the answer is lost, and so is the look-up: in doubt (exit 3).
    faultOnce(world, "POST", "/provider/v2/invoices", sim::FaultKind::DropAfter);
    faultOnce(world, "GET", "/provider/v2/invoices", sim::FaultKind::Status, 503);
    issue(world, entry, 3);
    BOOST_TEST(invoicesIssued(world) == 1);
    // Run again: found by its UID, nothing sent.
    const auto issued = issue(world, entry);
    BOOST_TEST(!issued["mark"].is_null());
    BOOST_TEST(invoicesIssued(world) == 1);
    BOOST_TEST(world.server.stats()["provider"]["invoice_duplicates"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(two_issues_at_once_issue_one_invoice) {
    CrashWorld world;
    const std::string entry = approvedSale(world);
    std::vector<test::ProcessResult> results(3);
    std::vector<std::thread> runs;
    for (auto& result : results) {
        runs.emplace_back([&world, &entry, &result] {
            result = world.fiscpos({"issue", "--entry", entry});
        });
    }
    for (auto& run : runs) {
        run.join();
    }
    std::set<std::string> marks;
    for (const auto& result : results) {
        BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
        marks.insert(core::parseJson(result.out, "issue", core::JsonOrigin::Response)["mark"]);
    }
    BOOST_TEST(marks.size() == 1U); // the same invoice for every run
    BOOST_TEST(invoicesIssued(world) == 1);
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_CASE(a_queued_invoice_gets_its_mark_on_a_later_run) {
    CrashWorld world;
    const std::string entry = approvedSale(world);
    core::HttpClient control(world.server.baseUrl());
    control.send(core::HttpRequest::json("POST", "/provider/_control/mydata", {{"down", true}}));
    const auto queued = issue(world, entry);
    BOOST_TEST(queued["state"].get<std::string>() == "QUEUED");
    BOOST_TEST(queued["mark"].is_null());
    BOOST_TEST(issue(world, entry)["state"].get<std::string>() == "QUEUED");

    control.send(core::HttpRequest::json("POST", "/provider/_control/mydata", {{"down", false}}));
    const auto sent = issue(world, entry);
    BOOST_TEST(sent["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(sent["url"] == queued["url"]);
    BOOST_TEST(issue(world, entry)["from_journal"].get<bool>());
    BOOST_TEST(world.server.stats()["provider"]["invoices_queued"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(issue_on_approval_issues_right_after_the_payment) {
    CrashWorld wrong;
    setIssue(wrong, "always");
    const auto refused = wrong.fiscpos(
        {"pay", "--terminal", "A3", "--invoice", wrong.invoice.string(), "--key", "k"});
    BOOST_TEST(refused.exitCode == 1);
    BOOST_TEST(refused.err.find("provider.issue") != std::string::npos, refused.err);
    BOOST_TEST(wrong.server.stats()["provider"]["signatures_created"].get<int>() == 0);

    CrashWorld world;
    setIssue(world, "on_approval");
    const auto paid = world.fiscpos(
        {"pay", "--terminal", "A3", "--invoice", world.invoice.string(), "--key", "k"});
    BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
    BOOST_TEST(paid.err.find("MARK") != std::string::npos, paid.err);
    BOOST_TEST(invoicesIssued(world) == 1);
    const auto answer = core::parseJson(paid.out, "pay", core::JsonOrigin::Response);
    const std::string entry = answer["id"].get<std::string>();
    BOOST_TEST(answer["invoice"]["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(!answer["invoice"]["mark"].is_null());
    BOOST_TEST(issue(world, entry)["from_journal"].get<bool>());
    BOOST_TEST(invoicesIssued(world) == 1);
}

BOOST_AUTO_TEST_CASE(a_card_paid_later_is_added_to_the_invoice_issued_earlier_once) {
    CrashWorld world;
    // The ERP issued the invoice earlier, on credit, through the provider.
    const auto invoice = einvoice::loadInvoiceFile(world.invoice);
    signing::ProviderClientOptions options;
    options.baseUrl = world.server.baseUrl() + "/provider";
    options.token = "crash-token";
    signing::ProviderInvoices invoices(options);
    const auto issued = invoices.issue(
        einvoice::providerInvoiceBody(
            invoice,
            {einvoice::simplePaymentLine(einvoice::payment_type::onCredit, invoice.totals.gross)}),
        invoice.uid(), false);
    BOOST_TEST_REQUIRE(issued.mark.has_value());
    // Its JSON now carries the MARK: the card payment is signed with it.
    std::ifstream in(world.invoice);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.insert(text.find('{') + 1, "\"mark\": \"" + *issued.mark + "\", ");
    const auto later = world.dir / "later.json";
    std::ofstream(later) << text;
    const auto paid =
        world.fiscpos({"pay", "--terminal", "A3", "--invoice", later.string(), "--key", "later"});
    BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
    const auto sale = core::parseJson(paid.out, "pay", core::JsonOrigin::Response);
    BOOST_TEST(sale["signature_input"].get<std::string>().find(";" + *issued.mark + ";") !=
               std::string::npos);
    const std::string entry = sale["id"].get<std::string>();

    // Killed before the request left, then its answer lost: added once all the same.
    const auto killed =
        world.fiscpos({"issue", "--entry", entry}, {{"FISCPOS_TEST_KILL_AT", "adding"}});
    BOOST_TEST((killed.exitCode > 3 && killed.out.empty()), "not killed: " << killed.err);
    faultOnce(world, "POST", "/provider/v2/invoices/" + *issued.mark + "/payments",
              sim::FaultKind::DropAfter);
    issue(world, entry, 3);
    const auto added = issue(world, entry);
    BOOST_TEST(added["payment"]["state"].get<std::string>() == "ADDED");
    BOOST_TEST(added["mark"].get<std::string>() == *issued.mark);
    BOOST_TEST(added["url"].get<std::string>() == issued.url);
    BOOST_TEST(issue(world, entry)["from_journal"].get<bool>());
    BOOST_TEST(world.server.stats()["provider"]["invoice_payments_added"].get<int>() == 1);
    BOOST_TEST(invoicesIssued(world) == 1); // the one issued on credit, nothing more
}

BOOST_AUTO_TEST_CASE(what_cannot_be_issued_is_refused_naming_why_and_nothing_is_sent) {
    CrashWorld world("9.99", "8.06", "1.93"); // the simulated terminal declines 9.99
    const auto declined = world.fiscpos(
        {"pay", "--terminal", "A3", "--invoice", world.invoice.string(), "--key", "declined"});
    BOOST_TEST_REQUIRE(declined.exitCode == 2, declined.err);
    const std::string entry =
        core::parseJson(declined.out, "pay", core::JsonOrigin::Response)["id"].get<std::string>();
    const auto refused = world.fiscpos({"issue", "--entry", entry});
    BOOST_TEST(refused.exitCode == 1);
    const auto error = core::parseJson(refused.out, "issue", core::JsonOrigin::Response)["error"];
    BOOST_TEST(error["field"].get<std::string>() == "--entry");
    BOOST_TEST(error["message"].get<std::string>().find("DECLINED") != std::string::npos);
    const auto unknown = world.fiscpos({"issue", "--entry", "no-such-entry"});
    BOOST_TEST(unknown.exitCode == 1);
    BOOST_TEST(world.server.stats()["provider"]["requests_by_method"].value("GET", 0) == 0);

    // An invoice of another day: the provider refuses it, naming its field; nothing is issued.
    CrashWorld other;
    const auto old = other.dir / "old.json";
    std::ifstream in(other.invoice);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string key = "\"issued_at\": \"";
    text.replace(text.find(key) + key.size(), 10, "2024-05-10"); // the date part
    std::ofstream(old) << text;
    const auto paid =
        other.fiscpos({"pay", "--terminal", "A3", "--invoice", old.string(), "--key", "old-sale"});
    BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
    const auto refusedByProvider = other.fiscpos(
        {"issue", "--entry",
         core::parseJson(paid.out, "pay", core::JsonOrigin::Response)["id"].get<std::string>()});
    BOOST_TEST(refusedByProvider.exitCode == 1);
    BOOST_TEST(core::parseJson(refusedByProvider.out, "issue",
                               core::JsonOrigin::Response)["error"]["field"]
                   .get<std::string>() == "header.issued_at");
    BOOST_TEST(invoicesIssued(other) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// The customer's receipt by e-mail, through a real SMTP server on loopback: one message per
// recipient however often `receipt` runs, wherever it was killed, and whoever runs it at once.
BOOST_AUTO_TEST_SUITE(receipt_delivery)

namespace {

// An approved, issued sale in a world whose [mail] points at `smtp`.
struct ReceiptWorld : CrashWorld {
    test::SmtpServer smtp;
    std::string entry;

    explicit ReceiptWorld(test::SmtpServerOptions options = {})
        : smtp(std::move(options)) {
        std::ofstream(config, std::ios::app)
            << "[mail]\nhost = 127.0.0.1\nport = " << smtp.port()
            << "\nsecurity = none\nfrom = receipts@shop.example.gr\n";
        const auto paid =
            fiscpos({"pay", "--terminal", "A3", "--invoice", invoice.string(), "--key", "r-sale"});
        BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
        entry = core::parseJson(paid.out, "pay", core::JsonOrigin::Response)["id"];
        BOOST_TEST_REQUIRE(fiscpos({"issue", "--entry", entry}).exitCode == 0);
    }

    core::Json receipt(const std::vector<std::string>& more, int exitCode,
                       const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> args{"receipt", "--entry", entry};
        args.insert(args.end(), more.begin(), more.end());
        const auto sent = fiscpos(args, env);
        BOOST_TEST_REQUIRE(sent.exitCode == exitCode, sent.err << sent.out);
        return sent.out.empty() ? core::Json(nullptr)
                                : core::parseJson(sent.out, "receipt", core::JsonOrigin::Response);
    }

    // The messages the server holds for `to`.
    std::size_t messagesTo(const std::string& to) const {
        std::size_t count = 0;
        for (const auto& message : smtp.messages()) {
            count += message.find("To: <" + to + ">") != std::string::npos ? 1 : 0;
        }
        return count;
    }
};

std::string deliveryState(const core::Json& answer) {
    return answer["deliveries"][0]["state"].get<std::string>();
}

} // namespace

BOOST_AUTO_TEST_CASE(each_recipient_gets_the_receipt_once_and_again_only_on_request) {
    ReceiptWorld world;
    const auto sent = world.receipt({"--email", "maria@example.gr"}, 0);
    BOOST_TEST(deliveryState(sent) == "SENT");
    BOOST_TEST(sent["message"].get<std::string>().find(sent["url"].get<std::string>()) !=
               std::string::npos);
    const auto again = world.receipt({"--email", "maria@example.gr"}, 0);
    BOOST_TEST(deliveryState(again) == "ALREADY_SENT");
    BOOST_TEST(again["deliveries"][0]["outbox"] == sent["deliveries"][0]["outbox"]);
    BOOST_TEST(world.messagesTo("maria@example.gr") == 1U);

    world.receipt({"--email", "nikos@example.gr"}, 0);
    BOOST_TEST(world.messagesTo("nikos@example.gr") == 1U);

    const auto resent = world.receipt(
        {"--email", "maria@example.gr", "--resend", "--reason", "the customer lost it"}, 0);
    BOOST_TEST(deliveryState(resent) == "SENT");
    BOOST_TEST(world.messagesTo("maria@example.gr") == 2U);
    const auto shown = world.fiscpos({"journal", "show", world.entry});
    BOOST_TEST(shown.out.find("the customer lost it") != std::string::npos);
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_CASE(killed_at_any_step_a_rerun_leaves_exactly_one_message) {
    ReceiptWorld world;
    // sending: before the row; accepted: the server took it, the journal does not know yet;
    // sent: journaled.
    for (const std::string step : {"sending", "accepted", "sent"}) {
        const std::string to = step + "@example.gr";
        const auto killed = world.fiscpos({"receipt", "--entry", world.entry, "--email", to},
                                          {{"FISCPOS_TEST_KILL_AT", step}});
        BOOST_TEST((killed.exitCode > 3 && killed.out.empty()), step << ": not killed");
        for (int rerun = 0; rerun < 2; ++rerun) {
            const auto again = world.fiscpos({"receipt", "--entry", world.entry, "--email", to});
            BOOST_TEST((again.exitCode == 0 || again.exitCode == 3), again.err);
            if (step == "accepted") {
                // It may have been sent, and it was: never again on its own.
                BOOST_TEST(again.exitCode == 3);
            }
        }
        BOOST_TEST(world.messagesTo(to) == 1U, step);
    }
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_CASE(two_runs_at_once_send_one_message) {
    ReceiptWorld world;
    std::vector<test::ProcessResult> results(3);
    std::vector<std::thread> runs;
    for (auto& result : results) {
        runs.emplace_back([&world, &result] {
            result = world.fiscpos({"receipt", "--entry", world.entry, "--email", "a@example.gr"});
        });
    }
    for (auto& run : runs) {
        run.join();
    }
    for (const auto& result : results) {
        BOOST_TEST(result.exitCode == 0, result.err);
    }
    BOOST_TEST(world.messagesTo("a@example.gr") == 1U);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_is_unknown_and_never_sent_again_on_its_own) {
    ReceiptWorld world({{}, {}, false, "", "", 0, true}); // the server never answers DATA
    const auto lost = world.receipt({"--email", "maria@example.gr"}, 3);
    BOOST_TEST(deliveryState(lost) == "UNKNOWN");
    BOOST_TEST(deliveryState(world.receipt({"--email", "maria@example.gr"}, 3)) == "UNKNOWN");
    BOOST_TEST(world.messagesTo("maria@example.gr") == 1U);
    world.receipt({"--email", "maria@example.gr", "--resend"}, 3);
    BOOST_TEST(world.messagesTo("maria@example.gr") == 2U);
}

BOOST_AUTO_TEST_CASE(a_refusal_may_be_tried_again) {
    ReceiptWorld world({{}, {}, false, "", "", 450, false});
    const auto refused = world.receipt({"--email", "maria@example.gr"}, 1);
    BOOST_TEST(deliveryState(refused) == "REFUSED");
    BOOST_TEST(world.smtp.messages().empty());
}

BOOST_AUTO_TEST_CASE(an_sms_goes_once_per_number_through_either_gateway) {
    for (const std::string gateway : {"yuboto", "routee"}) {
        ReceiptWorld world;
        test::SmsSim sms;
        std::ofstream(world.config, std::ios::app) << sms.section(gateway);
        const auto sent = world.receipt({"--sms", "69 1234 5678"}, 0);
        BOOST_TEST(deliveryState(sent) == "SENT");
        BOOST_TEST(sent["deliveries"][0]["to"].get<std::string>() == "+306912345678");
        BOOST_TEST(!sent["deliveries"][0]["gateway_id"].get<std::string>().empty());
        BOOST_TEST(deliveryState(world.receipt({"--sms", "+306912345678"}, 0)) == "ALREADY_SENT");
        const auto messages = sms.messages(gateway);
        BOOST_TEST_REQUIRE(messages.size() == 1U, gateway);
        BOOST_TEST(messages[0]["text"].get<std::string>() == sent["sms_text"].get<std::string>());
        BOOST_TEST(messages[0]["text"].get<std::string>().find(sent["url"].get<std::string>()) !=
                   std::string::npos);

        // A lost answer: it may have been sent; never again on its own.
        sim::FaultRule rule;
        rule.method = "POST";
        rule.path = gateway == "yuboto" ? "/sms/yuboto/omni/v1/Send" : "/sms/routee/sms";
        rule.kind = sim::FaultKind::DropAfter;
        sms.server.faults().add(rule);
        BOOST_TEST(deliveryState(world.receipt({"--sms", "+306900000001"}, 3)) == "UNKNOWN");
        BOOST_TEST(deliveryState(world.receipt({"--sms", "+306900000001"}, 3)) == "UNKNOWN");
        BOOST_TEST(sms.messages(gateway).size() == 2U, gateway);
    }
}

BOOST_AUTO_TEST_CASE(an_sms_killed_after_the_gateway_took_it_is_never_sent_again) {
    ReceiptWorld world;
    test::SmsSim sms;
    std::ofstream(world.config, std::ios::app) << sms.section("yuboto");
    const auto killed = world.fiscpos({"receipt", "--entry", world.entry, "--sms", "+306912345678"},
                                      {{"FISCPOS_TEST_KILL_AT", "accepted"}});
    BOOST_TEST((killed.exitCode > 3 && killed.out.empty()), "not killed");
    BOOST_TEST(deliveryState(world.receipt({"--sms", "+306912345678"}, 3)) == "UNKNOWN");
    BOOST_TEST(sms.messages("yuboto").size() == 1U);
    // The cashier checked with the customer: sent again, once more, with the reason journaled.
    world.receipt({"--sms", "+306912345678", "--resend", "--reason", "not received"}, 0);
    BOOST_TEST(sms.messages("yuboto").size() == 2U);
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_field_and_changes_nothing) {
    ReceiptWorld world;
    const auto events = [&] {
        return world.fiscpos({"journal", "show", world.entry}).out.size();
    };
    const auto before = events();
    const auto fieldOf = [&](const std::vector<std::string>& args) {
        const auto run = world.fiscpos(args);
        BOOST_TEST(run.exitCode == 1, run.err);
        return core::parseJson(run.out, "receipt", core::JsonOrigin::Response)["error"]["field"]
            .get<std::string>();
    };
    BOOST_TEST(fieldOf({"receipt", "--entry", world.entry, "--email", "maria@"}) == "--email");
    BOOST_TEST(fieldOf({"receipt", "--entry", "no-such-entry", "--email", "a@example.gr"}) ==
               "entry");
    BOOST_TEST(fieldOf({"receipt", "--entry", world.entry, "--email", "a@example.gr", "--lang",
                        "de"}) == "--lang");
    BOOST_TEST(fieldOf({"receipt", "--entry", world.entry, "--sms", "+306900000000"}) == "sms");
    test::SmsSim sms;
    std::ofstream(world.config, std::ios::app) << sms.section("yuboto", "max_parts = 1\n");
    BOOST_TEST(fieldOf({"receipt", "--entry", world.entry, "--sms", "2101234567"}) == "--sms");
    BOOST_TEST(fieldOf({"receipt", "--entry", world.entry, "--sms", "+306912345678"}) ==
               "sms.text"); // two parts, max_parts = 1
    BOOST_TEST(sms.messages("yuboto").empty());
    BOOST_TEST(events() == before);
    BOOST_TEST(world.smtp.messages().empty());

    // No [mail] section.
    CrashWorld bare;
    const auto sale = bare.fiscpos(
        {"pay", "--terminal", "A3", "--invoice", bare.invoice.string(), "--key", "bare"});
    const std::string bareEntry =
        core::parseJson(sale.out, "pay", core::JsonOrigin::Response)["id"].get<std::string>();
    // Not issued yet.
    const auto early = bare.fiscpos({"receipt", "--entry", bareEntry});
    BOOST_TEST(early.exitCode == 1);
    BOOST_TEST(early.out.find("fiscpos issue --entry") != std::string::npos, early.out);
    BOOST_TEST(bare.fiscpos({"issue", "--entry", bareEntry}).exitCode == 0);
    const auto noMail = bare.fiscpos({"receipt", "--entry", bareEntry, "--email", "a@example.gr"});
    BOOST_TEST(noMail.exitCode == 1);
    BOOST_TEST(core::parseJson(noMail.out, "receipt", core::JsonOrigin::Response)["error"]["field"]
                   .get<std::string>() == "mail");
    // Without a destination: the message and the QR code, nothing sent.
    const auto shown = bare.fiscpos({"receipt", "--entry", bareEntry});
    BOOST_TEST(shown.exitCode == 0, shown.err);
}

BOOST_AUTO_TEST_SUITE_END()

// Several fiscpos processes on one journal — CLI runs beside each other, or `serve` instances on
// one PostgreSQL database: a terminal's requests take turns, a key is one payment, and reconcile
// never settles an entry twice. Run on SQLite and, as crash_tests_postgresql, on PostgreSQL.
BOOST_AUTO_TEST_SUITE(instances)

namespace {

// A copy of the world's invoice numbered `aa`: another sale.
std::string invoiceNumbered(const CrashWorld& world, const std::string& aa) {
    std::ifstream in(world.invoice);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = R"("aa": "41")";
    text.replace(text.find(from), from.size(), R"("aa": ")" + aa + "\"");
    const auto path = world.dir / ("sale-" + aa + ".json");
    std::ofstream(path) << text;
    return path.string();
}

// Runs each argument list as its own fiscpos process, all at once.
std::vector<test::ProcessResult> atOnce(const CrashWorld& world,
                                        const std::vector<std::vector<std::string>>& runs,
                                        const std::map<std::string, std::string>& env = {}) {
    std::vector<test::ProcessResult> results(runs.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        threads.emplace_back([&, i] { results[i] = world.fiscpos(runs[i], env); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return results;
}

// How many events of the entry moved it to `state`.
int movesTo(const CrashWorld& world, const std::string& entry, const std::string& state) {
    const auto shown = world.fiscpos({"journal", "show", entry});
    BOOST_TEST_REQUIRE(shown.exitCode == 0, shown.err);
    int count = 0;
    const auto json = core::parseJson(shown.out, "journal show", core::JsonOrigin::Response);
    for (const auto& event : json["events"]) {
        count += event["to_state"] == state ? 1 : 0;
    }
    return count;
}

} // namespace

BOOST_AUTO_TEST_CASE(payments_on_one_terminal_from_several_processes_take_turns) {
    // 22.22 stays on the terminal for 1.5 s: requests that did not wait would overlap.
    CrashWorld world("22.22", "17.92", "4.30");
    std::vector<std::vector<std::string>> runs;
    for (const std::string aa : {"51", "52", "53"}) {
        runs.push_back({"pay", "--terminal", "A3", "--invoice", invoiceNumbered(world, aa), "--key",
                        "turns-" + aa});
    }
    int waited = 0;
    for (const auto& result : atOnce(world, runs)) {
        BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
        BOOST_TEST(core::parseJson(result.out, "pay", core::JsonOrigin::Response)["state"] ==
                   "APPROVED");
        // The cashier of a request that waits for the terminal is told why (in Greek, the
        // default: "the terminal is busy with another request").
        waited += result.err.find("fiscpos: waiting: το τερματικό A3 εξυπηρετεί άλλο αίτημα") !=
                          std::string::npos
                      ? 1
                      : 0;
    }
    BOOST_TEST(waited >= 1);
    const auto stats = world.server.stats()["mellon"];
    BOOST_TEST(stats["intents_created"].get<int>() == 3);
    BOOST_TEST(stats["overlapping_intents"].get<int>() == 0);
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_CASE(one_key_from_several_processes_is_one_payment) {
    CrashWorld world;
    const std::vector<std::string> pay{
        "pay", "--terminal", "A3", "--invoice", world.invoice.string(), "--key", "one-key"};
    std::set<std::string> ids;
    for (const auto& result : atOnce(world, {pay, pay, pay})) {
        BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
        const auto entry = core::parseJson(result.out, "pay", core::JsonOrigin::Response);
        BOOST_TEST(entry["state"] == "APPROVED");
        ids.insert(entry["id"].get<std::string>());
    }
    BOOST_TEST(ids.size() == 1U);
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(reconciles_at_once_settle_each_entry_once) {
    CrashWorld world("22.22", "17.92", "4.30");
    std::vector<std::string> ids;
    for (const std::string aa : {"61", "62"}) {
        const auto killed = world.fiscpos({"pay", "--terminal", "A3", "--invoice",
                                           invoiceNumbered(world, aa), "--key", "open-" + aa},
                                          {{"FISCPOS_TEST_KILL_AT", "on_device"}});
        BOOST_TEST_REQUIRE(killed.exitCode != 0, "not killed");
    }
    const auto listed = world.fiscpos({"journal", "list"});
    BOOST_TEST_REQUIRE(listed.exitCode == 0, listed.err);
    const auto journal = core::parseJson(listed.out, "journal list", core::JsonOrigin::Response);
    for (const auto& entry : journal["entries"]) {
        ids.push_back(entry["id"].get<std::string>());
    }
    BOOST_TEST_REQUIRE(ids.size() == 2U);
    // Three reconciles at once, then again until nothing is open.
    for (const auto& result : atOnce(world, {{"reconcile"}, {"reconcile"}, {"reconcile"}})) {
        BOOST_TEST((result.exitCode == 0 || result.exitCode == 3), result.err);
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto reconciled = world.fiscpos({"reconcile"});
        if (reconciled.exitCode == 0) {
            break;
        }
        BOOST_TEST_REQUIRE(reconciled.exitCode == 3, reconciled.err);
    }
    for (const auto& id : ids) {
        BOOST_TEST(movesTo(world, id, "APPROVED") == 1, id);
    }
    BOOST_TEST(world.server.stats()["mellon"]["intents_created"].get<int>() == 2);
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
}

BOOST_AUTO_TEST_SUITE_END()
