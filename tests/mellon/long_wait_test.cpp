// The long wait on WebECR (txninit's Timeout): the network holds the answer until the terminal
// finishes, so a payment is known final from one request; a wait that runs out leaves the payment
// to polling; a connection dropped while the network held the answer is asked about by reference,
// never sent again. Against the simulated Mellon network over loopback HTTP, whole payments through
// the PaymentService with a SQLite journal, on the simulator's clock (time runs 100 times faster).
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "einvoice/invoice.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/mellon/mellon_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>

using namespace fiscpos;
using namespace fiscpos::mellon;
using namespace fiscpos::mellon::test;
using core::Json;
using core::Money;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr const char* txninitPath = "/mellon/api/v2.2/terminal/358046/txninit/";
constexpr double timeScale = 100.0; // the simulated terminal's 4 s take 40 ms

std::string invoiceJson(const std::string& gross, const std::string& net, const std::string& vat) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "W", "aa": "1", "type": "11.1", "issued_at": ")" +
           core::athensIso8601(std::chrono::system_clock::now()) + R"(",
               "totals": {"net": ")" +
           net + R"(", "vat": ")" + vat + R"(", "gross": ")" + gross + R"("},
               "lines": [{"net": ")" +
           net + R"(", "vat_category": 1, "vat": ")" + vat + R"(",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

// The simulated Mellon network, a terminal waiting `waitSeconds` on txninit, and a PaymentService
// over it signing with Mellon's test key and journaling to a SQLite file.
struct LongWait {
    explicit LongWait(int waitSeconds, sim::MellonPartyOptions options = {})
        : server([] {
            sim::SimServerOptions serverOptions;
            serverOptions.timeScale = timeScale;
            return serverOptions;
        }())
        , clock(server.clock()) {
        server.addParty(std::make_shared<sim::MellonParty>(
            signing::PublicKey::fromPemFile(fiscpos::test::mellonPublicKey()), std::move(options),
            server.clock()));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        WebEcrSettings settings = settingsAt(server.baseUrl() + "/mellon");
        settings.waitSeconds = waitSeconds;
        terminal = std::make_shared<WebEcrTerminal>(settings, server.clock());
        journal = std::make_unique<plugin::CashJournal>(
            plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock));
        plugin::TerminalBinding binding{"A3",     "mellon", "99000031", "8", signing::Nsp::WebEcr,
                                        terminal, nullptr};
        plugin::PaymentServiceOptions serviceOptions;
        serviceOptions.schedule = plugin::PollSchedule(seconds(120));
        service = std::make_unique<plugin::PaymentService>(
            *journal, mellonSigner(),
            std::map<std::string, plugin::TerminalBinding>{{"A3", binding}}, clock, serviceOptions);
    }

    Json send(const std::string& method, const std::string& target, const Json& body) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json(method, target, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           target << ": " << response.status << " " << response.body);
        return response.json(target);
    }
    void fault(const Json& rule) { send("POST", "/_sim/faults", rule); }
    // The card details come inside the intent, so an approval needs no look-up of its
    // transaction: every GET counted is a question about the intent.
    void transactionInsideTheIntent() {
        send("POST", "/mellon/_control/settings", Json{{"transaction_as_object", true}});
    }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["mellon"];
    }
    std::int64_t requests(const char* method) {
        const Json byMethod = stats()["requests_by_method"];
        return byMethod.contains(method) ? byMethod[method].get<std::int64_t>() : 0;
    }

    plugin::PayRequest sale(const std::string& gross, const std::string& net,
                            const std::string& vat) const {
        plugin::PayRequest request;
        request.terminal = "A3";
        request.invoiceJson = invoiceJson(gross, net, vat);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }
    int intentsFor(const plugin::JournalEntry& entry) {
        const Json byReference = stats()["intents_by_reference"];
        if (!entry.networkReference || !byReference.contains(*entry.networkReference)) {
            return 0;
        }
        return byReference[*entry.networkReference].get<int>();
    }

    sim::SimServer server;
    const sim::SimClock& clock; // waits pass on simulated time
    std::filesystem::path dir = fiscpos::test::freshTempDir("long-wait");
    std::unique_ptr<core::HttpClient> http; // the control endpoints
    std::shared_ptr<WebEcrTerminal> terminal;
    std::unique_ptr<plugin::CashJournal> journal;
    std::unique_ptr<plugin::PaymentService> service;
};

} // namespace

BOOST_AUTO_TEST_SUITE(webecr_long_wait)

BOOST_AUTO_TEST_CASE(the_terminal_sends_its_wait_as_timeout_and_reports_the_final_answer) {
    LongWait world(60);
    std::vector<core::HttpExchange> exchanges;
    world.terminal->observe([&](const core::HttpExchange& e) { exchanges.push_back(e); });
    const auto request =
        saleRequest(sign(Money::fromCents(1240), "99000031", "T1"), core::newUuid());
    const auto before = world.server.clock().elapsed();
    const TerminalReport report = world.terminal->start(request);
    // The network held the answer until the terminal finished (4 simulated seconds).
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST((world.server.clock().elapsed() - before >= seconds(4)));
    BOOST_TEST_REQUIRE(exchanges.size() >= 2U);
    BOOST_TEST(Json::parse(exchanges[1].requestBody)["Timeout"] == 60);
}

BOOST_AUTO_TEST_CASE(the_read_timeout_of_the_waiting_call_covers_the_wait) {
    // The network holds txninit for 4 simulated seconds (400 ms at this scale): longer than the
    // 150 ms read timeout, well inside that timeout plus the wait.
    sim::SimServerOptions options;
    options.timeScale = 10;
    sim::SimServer server(options);
    server.addParty(std::make_shared<sim::MellonParty>(
        signing::PublicKey::fromPemFile(fiscpos::test::mellonPublicKey()),
        sim::MellonPartyOptions{}, server.clock()));
    server.start();
    WebEcrSettings settings = settingsAt(server.baseUrl() + "/mellon");
    settings.http.readTimeout = milliseconds(150);
    settings.waitSeconds = 30;
    WebEcrTerminal terminal(settings, server.clock());
    const auto request =
        saleRequest(sign(Money::fromCents(1240), "99000031", "T2"), core::newUuid());
    const TerminalReport report = terminal.start(request);
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(a_sale_that_finishes_within_the_wait_needs_no_question) {
    LongWait world(60);
    world.transactionInsideTheIntent();
    const auto postsBefore = world.requests("POST");
    std::vector<std::string> steps;
    const auto entry = world.service->pay(world.sale("1.24", "1.00", "0.24"),
                                          [&](const std::string&, const std::string& step,
                                              const std::string&) { steps.push_back(step); });
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED");
    BOOST_TEST(entry.transactionId.has_value());
    BOOST_TEST(!entry.rrn.value_or("").empty());
    // The login and one txninit, and not one question about the intent.
    BOOST_TEST(world.requests("POST") - postsBefore == 2);
    BOOST_TEST(world.requests("GET") == 0);
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(steps.back() == "APPROVED");
    BOOST_TEST(world.journal->verify().ok);
}

BOOST_AUTO_TEST_CASE(a_decline_within_the_wait_is_final_at_once) {
    LongWait world(60);
    world.transactionInsideTheIntent();
    const auto entry = world.service->pay(world.sale("9.99", "8.06", "1.93"));
    BOOST_TEST(plugin::stateName(entry.state) == "DECLINED");
    BOOST_TEST(world.requests("GET") == 0);
}

BOOST_AUTO_TEST_CASE(a_wait_that_runs_out_is_followed_by_polling) {
    // The terminal takes 20 simulated seconds; the network holds the answer for 5.
    sim::MellonPartyOptions options;
    options.timing.completeAfter = seconds(20);
    LongWait world(5, options);
    world.transactionInsideTheIntent();

    const auto request =
        saleRequest(sign(Money::fromCents(1240), "99000031", "T3"), core::newUuid());
    const auto before = world.server.clock().elapsed();
    const TerminalReport started = world.terminal->start(request);
    BOOST_TEST(started.stage == TerminalStage::OnDevice);
    BOOST_TEST((world.server.clock().elapsed() - before >= seconds(5)));
    BOOST_TEST(world.requests("GET") == 0);

    std::vector<std::string> steps;
    const auto entry = world.service->pay(world.sale("1.24", "1.00", "0.24"),
                                          [&](const std::string&, const std::string& step,
                                              const std::string&) { steps.push_back(step); });
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED");
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(world.requests("GET") > 0); // the questions that found the end
    const bool toldOnDevice = std::find(steps.begin(), steps.end(), "on_device") != steps.end();
    BOOST_TEST(toldOnDevice);
    BOOST_TEST(world.stats()["intents_created"] == 2);
}

BOOST_AUTO_TEST_CASE(a_connection_dropped_during_the_wait_is_asked_about_not_resent) {
    for (const auto& [gross, net, vat, state] : std::vector<std::array<std::string, 4>>{
             {"1.24", "1.00", "0.24", "APPROVED"}, {"9.99", "8.06", "1.93", "DECLINED"}}) {
        LongWait world(60);
        world.fault(Json{{"method", "POST"}, {"path", txninitPath}, {"kind", "drop_after"}});
        const auto entry = world.service->pay(world.sale(gross, net, vat));
        BOOST_TEST(plugin::stateName(entry.state) == state);
        BOOST_TEST(world.intentsFor(entry) == 1);
        BOOST_TEST(world.stats()["intents_created"] == 1);
        // The lost answer is in the journal, and so is what the question found.
        bool lost = false;
        for (const auto& event : world.journal->events(entry.id)) {
            lost = lost || event.record.transportError.value_or("").find("no complete answer") !=
                               std::string::npos;
        }
        BOOST_TEST(lost);
    }
}

BOOST_AUTO_TEST_CASE(a_connection_dropped_after_the_wait_ran_out_is_polled_to_the_end) {
    sim::MellonPartyOptions options;
    options.timing.completeAfter = seconds(20);
    LongWait world(5, options);
    world.fault(Json{{"method", "POST"}, {"path", txninitPath}, {"kind", "drop_after"}});
    const auto entry = world.service->pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED");
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(world.stats()["intents_created"] == 1);
}

BOOST_AUTO_TEST_CASE(a_void_waits_like_a_sale) {
    LongWait world(60);
    world.transactionInsideTheIntent();
    const auto sale = world.service->pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST_REQUIRE(plugin::stateName(sale.state) == "APPROVED");
    const auto voided = world.service->voidSale(sale.id);
    BOOST_TEST(plugin::stateName(voided.state) == "APPROVED");
    BOOST_TEST(world.requests("GET") == 0);
    BOOST_TEST(world.stats()["voids"] == 1);
}

BOOST_AUTO_TEST_CASE(a_wait_beyond_the_networks_limit_is_refused_before_sending) {
    LongWait world(0);
    WebEcrSettings settings = settingsAt(world.server.baseUrl() + "/mellon");
    settings.waitSeconds = 181;
    requireFieldError<core::ConfigError>([&] { settings.validate(); }, "terminal.A3.wait_seconds");
    settings.waitSeconds = -1;
    requireFieldError<core::ConfigError>([&] { WebEcrTerminal terminal(settings); },
                                         "terminal.A3.wait_seconds");
    TxnInit body;
    body.amount = Money::fromCents(124);
    body.customerReference = core::newUuid();
    body.timeoutSeconds = 200;
    requireFieldError<core::InputError>([&] { world.terminal->client().txninit(body); }, "Timeout");
    BOOST_TEST(world.stats()["intents_created"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()
