// The WebECR client and terminal against the simulated Mellon network over real HTTP on loopback:
// tokens, refresh and re-login, revoked keys, pairing, the terminal list across pages, sales to
// every outcome, voids, refunds, lost answers, and the lists of a period. Simulated time runs
// fast; waits poll the network on the simulator's clock with a bound.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "mellon/webecr_client.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/journal/journal_event.hpp"
#include "plugin/pairing.hpp"
#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/mellon/mellon_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>

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

constexpr const char* defaultKey = "c2ltLXdlYmVjci1rZXktMQ";
constexpr const char* txninitPath = "/mellon/api/v2.2/terminal/358046/txninit/";

sim::SimServerOptions serverOptions(double timeScale) {
    sim::SimServerOptions options;
    options.timeScale = timeScale;
    return options;
}

// A simulator in the test process with the Mellon party (verifying with Mellon's public test
// key), and a WebECR terminal configured for its counter 1 (pos_id 358046, TID 99000031).
struct WebEcrSim {
    explicit WebEcrSim(sim::MellonPartyOptions options = {}, double timeScale = 100.0)
        : server(serverOptions(timeScale)) {
        server.addParty(std::make_shared<sim::MellonParty>(
            signing::PublicKey::fromPemFile(fiscpos::test::mellonPublicKey()), std::move(options),
            server.clock()));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        terminal = std::make_unique<WebEcrTerminal>(settings(), server.clock());
    }

    WebEcrSettings settings() const { return settingsAt(server.baseUrl() + "/mellon"); }

    Json send(const std::string& method, const std::string& target, const Json& body) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json(method, target, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           target << ": " << response.status << " " << response.body);
        return response.json(target);
    }
    Json control(const std::string& action, const Json& body = Json::object()) {
        return send("POST", "/mellon/_control/" + action, body);
    }
    void fault(const Json& rule) { send("POST", "/_sim/faults", rule); }
    Json stats() {
        const core::HttpResponse response = http->send(core::HttpRequest::get("/_sim/stats"));
        return response.json("stats")["mellon"];
    }
    std::int64_t stat(const char* name) { return stats()[name].get<std::int64_t>(); }

    // Polls query(reference) until the report is final, for at most `bound` of simulated time.
    TerminalReport waitFinal(const std::string& reference, milliseconds bound = seconds(60)) {
        const milliseconds until = server.clock().elapsed() + bound;
        for (;;) {
            TerminalReport report = terminal->query(reference);
            if (report.stage == TerminalStage::Final || server.clock().elapsed() > until) {
                BOOST_TEST_REQUIRE(report.stage == TerminalStage::Final,
                                   "not final: " << report.networkStatus);
                return report;
            }
            server.clock().sleepFor(milliseconds(500));
        }
    }

    // A sale of `cents` signed by the provider for `tid`, under a fresh reference.
    core::PaymentRequest sale(std::int64_t cents, const std::string& tid = "99000031") {
        return saleRequest(sign(Money::fromCents(cents), tid, std::to_string(++invoice)),
                           core::newUuid());
    }

    // Starts a sale and waits for its final report.
    TerminalReport pay(const core::PaymentRequest& request) {
        const TerminalReport started = terminal->start(request);
        BOOST_TEST(started.stage != TerminalStage::NotFound);
        BOOST_TEST(!started.ids.intentId.empty());
        return waitFinal(request.reference);
    }

    sim::SimServer server;
    std::unique_ptr<core::HttpClient> http; // for the control endpoints
    std::unique_ptr<WebEcrTerminal> terminal;
    int invoice = 0;
};

sim::MellonPartyOptions quickTiming() {
    sim::MellonPartyOptions options;
    options.timing.lateApproval = seconds(20);
    options.timing.deviceTimeout = seconds(30);
    return options;
}

template <class E> void requireThrows(const std::function<void()>& call, const char* code) {
    try {
        call();
    } catch (const E& e) {
        BOOST_TEST(e.code() == code, e.what());
        return;
    }
    BOOST_FAIL(std::string("expected an error with code ") + code);
}

} // namespace

BOOST_AUTO_TEST_SUITE(webecr_sim)

BOOST_AUTO_TEST_CASE(login_refresh_and_login_again) {
    WebEcrSim sim;
    WebEcrClient& client = sim.terminal->client();
    BOOST_TEST(client.terminals().size() == 3U);
    BOOST_TEST(sim.stat("token_logins") == 1);

    // The access token expires: the client refreshes it and the call goes through.
    sim.control("expire-tokens");
    BOOST_TEST(client.terminals().size() == 3U);
    BOOST_TEST(sim.stat("token_refreshes") == 1);
    BOOST_TEST(sim.stat("token_logins") == 1);

    // Both expire: the refresh is refused and the client logs in again.
    sim.control("expire-tokens", Json{{"refresh", true}});
    BOOST_TEST(client.terminals().size() == 3U);
    BOOST_TEST(sim.stat("token_refresh_failures") == 1);
    BOOST_TEST(sim.stat("token_logins") == 2);
}

BOOST_AUTO_TEST_CASE(an_access_token_near_its_exp_is_refreshed_before_use) {
    sim::MellonPartyOptions options;
    options.accessLifetime = seconds(120);
    WebEcrSim sim(options);
    WebEcrClient& client = sim.terminal->client();
    client.terminals();
    // The terminal reads `exp` on the simulator's clock: past it, the client refreshes first
    // instead of meeting a 401.
    sim.server.clock().sleepFor(seconds(121));
    client.terminals();
    BOOST_TEST(sim.stat("token_refreshes") == 1);
    BOOST_TEST(sim.stat("unauthenticated") == 0);
    BOOST_TEST(sim.stat("token_logins") == 1);
}

BOOST_AUTO_TEST_CASE(a_payment_refused_for_an_expired_token_is_sent_once_more) {
    WebEcrSim sim;
    sim.terminal->client().login();
    sim.control("expire-tokens", Json{{"refresh", true}});
    const auto request = sim.sale(1240);
    BOOST_TEST(sim.terminal->start(request).stage == TerminalStage::Pending);
    // Refused once, the refresh refused too, a new login, and the txninit sent again.
    BOOST_TEST(sim.stat("unauthenticated") == 2);
    BOOST_TEST(sim.stat("token_refresh_failures") == 1);
    BOOST_TEST(sim.stat("token_logins") == 2);
    BOOST_TEST(sim.stats()["intents_created"] == 1);
    BOOST_TEST(sim.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(an_unversioned_root_as_epay_serves_it) {
    sim::MellonPartyOptions options;
    options.pathPrefix = "";
    options.apiVersions = {""};
    WebEcrSim sim(options);
    WebEcrSettings settings = sim.settings();
    settings.pathPrefix.clear();
    settings.apiVersion.clear();
    sim.terminal = std::make_unique<WebEcrTerminal>(settings, sim.server.clock());
    BOOST_TEST(sim.terminal->devices().size() == 3U);
    BOOST_TEST(sim.pay(sim.sale(1240)).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(a_refused_password_names_the_setting) {
    WebEcrSim sim;
    WebEcrSettings settings = sim.settings();
    settings.password = "wrong";
    WebEcrClient client(settings);
    requireFieldError<core::ConfigError>([&] { client.login(); }, "terminal.A3.password");
    requireFieldError<core::ConfigError>([&] { client.terminals(); }, "terminal.A3.password");
}

BOOST_AUTO_TEST_CASE(a_token_call_is_tried_again_after_a_lost_answer) {
    WebEcrSim sim;
    sim.fault(Json{{"method", "POST"}, {"path", "/mellon/api/token/"}, {"kind", "drop_after"}});
    BOOST_TEST(sim.terminal->client().terminals().size() == 3U);
    BOOST_TEST(sim.stat("token_logins") == 2);
}

BOOST_AUTO_TEST_CASE(a_revoked_key_asks_for_pairing_again) {
    for (const int status : {403, 401}) {
        sim::MellonPartyOptions options;
        options.revokedKeyStatus = status;
        WebEcrSim sim(options);
        BOOST_TEST(sim.terminal->devices().size() == 3U);
        sim.control("revoke-key");

        try {
            sim.terminal->devices();
            BOOST_FAIL("a revoked key must not pass");
        } catch (const PairingRequired& e) {
            BOOST_TEST(e.code() == "pair_again");
            BOOST_TEST(std::string(e.what()).find("pair the terminal again with fiscpos pair") !=
                       std::string::npos);
        }
        // A payment under a revoked key is not a failed payment: nothing is charged.
        const auto request = sim.sale(1240);
        requireThrows<PairingRequired>([&] { sim.terminal->start(request); }, "pair_again");
        BOOST_TEST(sim.stats()["intents_created"] == 0);

        // Pairing again gives a new key that works.
        const std::string key = sim.terminal->client().redeem("12345678");
        BOOST_TEST(!key.empty());
        BOOST_TEST(key != defaultKey);
        BOOST_TEST(sim.terminal->devices().size() == 3U);
        BOOST_TEST(sim.terminal->start(request).stage != TerminalStage::NotFound);
    }
}

BOOST_AUTO_TEST_CASE(pairing_redeems_the_code) {
    WebEcrSim sim;
    WebEcrSettings settings = sim.settings();
    settings.apiKey.clear();
    WebEcrClient client(settings);
    requireFieldError<core::ConfigError>([&] { client.terminals(); }, "terminal.A3.api_key");
    requireFieldError<core::InputError>([&] { client.redeem("12"); }, "code");
    requireFieldError<core::InputError>([&] { client.redeem(""); }, "code");
    std::vector<core::HttpExchange> seen;
    const core::HttpObserver record = [&seen](const core::HttpExchange& e) {
        seen.push_back(e);
    };
    BOOST_TEST(client.redeem("8413239096", record) == defaultKey);
    BOOST_TEST(client.settings().apiKey == defaultKey);
    BOOST_TEST(client.terminals().size() == 3U);
    BOOST_TEST(sim.stat("redeems") == 1);

    // Kept as a journal record, the exchange has neither the code nor the key it was redeemed for.
    BOOST_TEST_REQUIRE(seen.size() == 1U);
    const auto kept = plugin::EventRecord::fromExchange("network.response", seen.front());
    BOOST_TEST(kept.requestBody->find("8413239096") == std::string::npos, *kept.requestBody);
    BOOST_TEST(kept.responseBody->find(defaultKey) == std::string::npos, *kept.responseBody);
    BOOST_TEST(kept.responseBody->find("[redacted]") != std::string::npos, *kept.responseBody);
}

BOOST_AUTO_TEST_CASE(terminals_across_pages) {
    WebEcrSim sim; // two terminals per page
    std::vector<std::string> paths;
    sim.terminal->observe([&paths](const core::HttpExchange& exchange) {
        if (exchange.method == "GET") {
            paths.push_back(exchange.url);
        }
    });
    const auto devices = sim.terminal->devices();
    BOOST_TEST_REQUIRE(devices.size() == 3U);
    BOOST_TEST(devices[0].id == "358046");
    BOOST_TEST(devices[0].tid == "99000031");
    BOOST_TEST(devices[0].name == "Counter 1");
    BOOST_TEST(devices[0].status == "available");
    BOOST_TEST(devices[2].id == "358048");
    BOOST_TEST(devices[2].tid == "64999964");
    BOOST_TEST(paths.size() == 2U);
    BOOST_TEST(paths.back().find("/mellon/api/v2.2/terminal/?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_sale_approved_end_to_end) {
    WebEcrSim sim;
    std::vector<core::HttpExchange> exchanges;
    sim.terminal->observe([&exchanges](const core::HttpExchange& e) { exchanges.push_back(e); });
    const auto request = sim.sale(1240);
    const TerminalReport started = sim.terminal->start(request);
    BOOST_TEST(started.stage == TerminalStage::Pending);
    BOOST_TEST(started.networkStatus == "PENDING");

    const TerminalReport report = sim.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.networkStatus == "COMPLETED/APPROVED");
    BOOST_TEST(report.ids.intentId == started.ids.intentId);
    BOOST_TEST(report.ids.transactionId.size() == 21U);
    BOOST_TEST(!report.ids.networkTransactionRef.empty());
    BOOST_TEST(report.tid == "99000031");
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.authCode.empty());
    BOOST_TEST(!report.maskedPan.empty());
    BOOST_TEST(!report.cardType.empty());
    BOOST_TEST(report.amount.value().cents() == 1240);

    // What went on the wire: the token call, then Bearer and X-Api-Key on the txninit.
    BOOST_TEST_REQUIRE(exchanges.size() >= 3U);
    BOOST_TEST(exchanges[0].url.find("/mellon/api/token/") != std::string::npos);
    const core::HttpExchange& txninit = exchanges[1];
    BOOST_TEST(txninit.url == sim.server.baseUrl() + txninitPath);
    bool bearer = false, key = false;
    for (const auto& [name, value] : txninit.requestHeaders) {
        bearer = bearer || (name == "Authorization" && value.rfind("Bearer ", 0) == 0);
        key = key || (name == "X-Api-Key" && value == defaultKey);
    }
    BOOST_TEST(bearer);
    BOOST_TEST(key);
    const Json body = Json::parse(txninit.requestBody);
    BOOST_TEST(body["Amount"] == 1240);
    BOOST_TEST(body["CustomerReference"] == request.reference);
    BOOST_TEST(body["ProviderData"]["ProviderId"] == "8");
    BOOST_TEST(sim.stats()["signature_failures"] == 0);
}

BOOST_AUTO_TEST_CASE(card_details_are_looked_up_under_our_reference) {
    WebEcrSim sim;
    WebEcrSettings settings = sim.settings();
    settings.waitSeconds = 60; // the answer to txninit is final
    WebEcrTerminal terminal(settings, sim.server.clock());
    std::vector<core::HttpExchange> exchanges;
    terminal.observe([&exchanges](const core::HttpExchange& e) { exchanges.push_back(e); });
    const auto gets = [&exchanges] {
        std::vector<std::string> urls;
        for (const auto& exchange : exchanges) {
            if (exchange.method == "GET") {
                urls.push_back(exchange.url);
            }
        }
        return urls;
    };

    // Earlier payments on the terminal fill more than a page of its transaction list.
    for (int i = 0; i < 22; ++i) {
        terminal.start(sim.sale(100 + i));
    }
    exchanges.clear();
    const auto request = sim.sale(1240);
    TerminalReport report = terminal.start(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!report.rrn.empty());
    auto urls = gets();
    BOOST_TEST_REQUIRE(urls.size() == 1U);
    BOOST_TEST(urls[0].find("CustomerReference=" + request.reference) != std::string::npos);

    // A network that refuses the filter is asked for the period, and the record is found there.
    sim.fault(Json{{"method", "GET"},
                   {"path", "/mellon/api/v2.2/transaction/"},
                   {"kind", "status"},
                   {"status", 400}});
    exchanges.clear();
    report = terminal.start(sim.sale(1240));
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!report.rrn.empty());
    urls = gets();
    BOOST_TEST_REQUIRE(urls.size() >= 2U);
    BOOST_TEST(urls[1].find("CustomerReference") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(card_details_embedded_in_the_intent_and_lowercase_ids) {
    WebEcrSim sim;
    sim.control("settings", Json{{"transaction_as_object", true}, {"intent_id_key", "id"}});
    std::atomic<int> transactionLists{0};
    sim.terminal->observe([&transactionLists](const core::HttpExchange& e) {
        if (e.url.find("/transaction/?") != std::string::npos) {
            ++transactionLists;
        }
    });
    const TerminalReport report = sim.pay(sim.sale(2500));
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!report.ids.intentId.empty());
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.maskedPan.empty());
    BOOST_TEST(report.ids.transactionId.size() == 21U);
    // The details came with the intent: no look-up in the transaction list.
    BOOST_TEST(transactionLists.load() == 0);
}

BOOST_AUTO_TEST_CASE(declined_cancelled_busy_and_batch_full) {
    WebEcrSim sim;
    struct Case {
        std::int64_t cents;
        PaymentOutcome outcome;
        const char* words;
    };
    const Case cases[] = {
        {999, PaymentOutcome::Declined, "declined"},
        {3333, PaymentOutcome::Cancelled, "cancelled on the terminal"},
        {6666, PaymentOutcome::Failed, "terminal busy"},
        {7777, PaymentOutcome::Failed, "batch full: close the batch on the terminal"},
    };
    for (const Case& c : cases) {
        const TerminalReport report = sim.pay(sim.sale(c.cents));
        BOOST_TEST(report.outcome == c.outcome, c.cents);
        BOOST_TEST(report.message.find(c.words) != std::string::npos, report.message);
    }
}

BOOST_AUTO_TEST_CASE(late_approval) {
    WebEcrSim sim(quickTiming());
    const auto request = sim.sale(2222);
    sim.terminal->start(request);
    sim.server.clock().sleepFor(seconds(10));
    BOOST_TEST(sim.terminal->query(request.reference).stage == TerminalStage::OnDevice);
    const TerminalReport report = sim.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(a_tampered_signature_fails_on_the_terminal) {
    WebEcrSim sim;
    auto request = sim.sale(1240);
    // The signature of another invoice: well formed, but not over this Input.
    request.signature.signatureBase64 =
        sign(Money::fromCents(1240), "99000031", "other").signatureBase64;
    const TerminalReport report = sim.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.networkStatus == "COMPLETED/FAILED");
    BOOST_TEST(sim.stats()["signature_failures"] == 1);
}

BOOST_AUTO_TEST_CASE(void_by_intent_id_and_by_transaction_id) {
    WebEcrSim sim;
    const TerminalReport sale = sim.pay(sim.sale(1500));
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);

    core::VoidRequest byIntent;
    byIntent.reference = core::newUuid();
    byIntent.original = sale.ids;
    const TerminalReport started = sim.terminal->voidPayment(byIntent);
    BOOST_TEST(!started.ids.intentId.empty());
    BOOST_TEST(started.ids.intentId != sale.ids.intentId);
    const TerminalReport voided = sim.waitFinal(byIntent.reference);
    BOOST_TEST(voided.outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.stats()["voids"] == 1);

    const TerminalReport second = sim.pay(sim.sale(1600));
    core::VoidRequest byTransaction;
    byTransaction.reference = core::newUuid();
    byTransaction.original.transactionId = second.ids.transactionId;
    sim.terminal->voidPayment(byTransaction);
    BOOST_TEST(sim.waitFinal(byTransaction.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.stats()["voids"] == 2);

    core::VoidRequest nothing;
    nothing.reference = core::newUuid();
    requireFieldError<core::InputError>([&] { sim.terminal->voidPayment(nothing); }, "original");
}

BOOST_AUTO_TEST_CASE(refund_of_an_approved_sale) {
    WebEcrSim sim;
    const TerminalReport sale = sim.pay(sim.sale(2000));
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);

    // The credit document has its own signature.
    core::PaymentRequest refund = sim.sale(800);
    refund.kind = core::PaymentKind::Refund;
    refund.original = sale.ids;
    std::string sentInitial;
    sim.terminal->observe([&sentInitial](const core::HttpExchange& e) {
        if (e.method == "POST" && e.url.find("/txninit/") != std::string::npos) {
            sentInitial = Json::parse(e.requestBody)["InitialTransaction"].dump();
        }
    });
    const TerminalReport refunded = sim.pay(refund);
    BOOST_TEST(refunded.outcome == PaymentOutcome::Approved);
    BOOST_TEST(sentInitial == sale.ids.networkTransactionRef);
    BOOST_TEST(sim.stats()["refunds"] == 1);

    // A refund naming a transaction the network does not know is refused outright.
    core::PaymentRequest stray = sim.sale(100);
    stray.kind = core::PaymentKind::Refund;
    stray.original = core::NetworkPaymentIds{"", "", "42"};
    const TerminalReport refused = sim.terminal->start(stray);
    BOOST_TEST(refused.stage == TerminalStage::Final);
    BOOST_TEST(refused.outcome == PaymentOutcome::Failed);
    BOOST_TEST(refused.networkStatus == "REFUSED 400");
    BOOST_TEST(refused.message.find("InitialTransaction") != std::string::npos, refused.message);
}

BOOST_AUTO_TEST_CASE(an_unknown_reference_is_not_found) {
    WebEcrSim sim;
    const TerminalReport report = sim.terminal->query(core::newUuid());
    BOOST_TEST(report.stage == TerminalStage::NotFound);
    BOOST_TEST(!report.outcome.has_value());
}

BOOST_AUTO_TEST_CASE(a_lost_txninit_answer_is_found_by_reference) {
    WebEcrSim sim;
    sim.fault(Json{{"method", "POST"}, {"path", txninitPath}, {"kind", "drop_after"}});
    const auto request = sim.sale(1240);
    try {
        sim.terminal->start(request);
        BOOST_FAIL("the answer should have been lost");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    // Never sent twice; the intent is there under our reference.
    BOOST_TEST(sim.stats()["intents_by_reference"][request.reference] == 1);
    BOOST_TEST(sim.terminal->client().intentsByReference(request.reference).size() == 1U);
    BOOST_TEST(sim.terminal->query(request.reference).stage != TerminalStage::NotFound);
    BOOST_TEST(sim.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.stats()["intents_created"] == 1);
}

BOOST_AUTO_TEST_CASE(a_server_error_on_txninit_leaves_the_outcome_open) {
    WebEcrSim sim;
    sim.fault(Json{{"method", "POST"}, {"path", txninitPath}, {"kind", "status"}, {"status", 503}});
    const auto request = sim.sale(1240);
    try {
        sim.terminal->start(request);
        BOOST_FAIL("a 503 must not read as a report");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.stats()["intents_created"] == 0);
    BOOST_TEST(sim.terminal->query(request.reference).stage == TerminalStage::NotFound);
}

BOOST_AUTO_TEST_CASE(an_unreadable_txninit_answer_leaves_the_outcome_open) {
    WebEcrSim sim;
    sim.fault(
        Json{{"method", "POST"}, {"path", txninitPath}, {"kind", "malformed"}, {"apply", true}});
    const auto request = sim.sale(1240);
    try {
        sim.terminal->start(request);
        BOOST_FAIL("an unreadable answer must not read as a report");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.stats()["intents_created"] == 1);
    BOOST_TEST(sim.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(communication_lost_is_resolved_from_the_transactions) {
    WebEcrSim sim(quickTiming());
    const auto request = sim.sale(1313);
    sim.terminal->start(request);
    const TerminalReport report = sim.waitFinal(request.reference);
    // The intent says UNKNOWN, but the network's transaction record shows the charge.
    BOOST_TEST(report.networkStatus == "COMPLETED/UNKNOWN");
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.ids.networkTransactionRef.empty());
    BOOST_TEST(report.message.find("transaction record") != std::string::npos, report.message);
}

BOOST_AUTO_TEST_CASE(a_wrong_pos_id_names_the_setting) {
    WebEcrSim sim;
    WebEcrSettings settings = sim.settings();
    settings.posId = "999999";
    WebEcrTerminal terminal(settings, sim.server.clock());
    requireFieldError<core::ConfigError>([&] { terminal.start(sim.sale(100)); },
                                         "terminal.A3.pos_id");
}

BOOST_AUTO_TEST_CASE(lists_of_a_period_follow_every_page) {
    sim::MellonPartyOptions options;
    options.pageSize = 2;
    WebEcrSim sim(options);
    const core::TimePoint from = sim.server.clock().now() - seconds(1);
    std::set<std::string> references;
    for (int i = 0; i < 3; ++i) {
        const auto request = sim.sale(1000 + i);
        references.insert(request.reference);
        sim.pay(request);
    }
    WebEcrClient& client = sim.terminal->client();
    const core::TimePoint to = sim.server.clock().now() + seconds(1);
    const auto intents = client.intentsByPeriod(from, to);
    BOOST_TEST(intents.size() == 3U);
    for (const auto& intent : intents) {
        BOOST_TEST(references.count(intent.customerReference) == 1U);
    }
    const auto transactions = client.transactions("99000031", from, to);
    BOOST_TEST(transactions.size() == 3U);
    for (const auto& transaction : transactions) {
        BOOST_TEST(transaction.approved.value_or(false));
        BOOST_TEST(references.count(transaction.customerReference) == 1U);
    }
    BOOST_TEST(client.transactions("99000032", from, to).empty());
    BOOST_TEST(client.intentsByPeriod(to + seconds(5), to + seconds(10)).empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(webecr_promises)

BOOST_AUTO_TEST_CASE(a_token_refused_just_after_login_is_replaced_not_read_as_a_revoked_key) {
    WebEcrSim sim;
    // The first question after the login is refused the way simplejwt refuses a token.
    sim.fault(Json{{"method", "GET"},
                   {"path", "/mellon/api/v2.2/transactionintent/"},
                   {"kind", "status"},
                   {"status", 401},
                   {"body", Json{{"detail", "Given token not valid for any token type"},
                                 {"code", "token_not_valid"}}}});
    const TerminalReport report = sim.terminal->query(core::newUuid());
    BOOST_TEST(report.stage == TerminalStage::NotFound);
    BOOST_TEST(sim.stat("token_logins") == 2); // logged in again once
}

BOOST_AUTO_TEST_CASE(a_token_refused_twice_is_not_a_revoked_pairing_either) {
    WebEcrSim sim;
    sim.fault(Json{
        {"method", "GET"},
        {"path", "/mellon/api/v2.2/transactionintent/"},
        {"kind", "status"},
        {"status", 401},
        {"count", 2},
        {"body", Json{{"detail", "Token is invalid or expired"}, {"code", "token_not_valid"}}}});
    requireThrows<core::HttpStatusError>([&] { sim.terminal->query(core::newUuid()); },
                                         "http_status");
    BOOST_TEST(sim.stat("token_logins") == 2);
}

BOOST_AUTO_TEST_CASE(unknown_is_settled_from_a_record_that_shows_a_few_seconds_later) {
    WebEcrSim sim({}, 20.0);
    const auto request = sim.sale(1314);
    sim.terminal->start(request);
    const TerminalReport report = sim.waitFinal(request.reference);
    BOOST_TEST(report.networkStatus == "COMPLETED/UNKNOWN");
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.authCode.empty());
}

BOOST_AUTO_TEST_CASE(unknown_without_a_record_is_in_doubt_within_seconds) {
    WebEcrSim sim({}, 20.0);
    const auto request = sim.sale(1315);
    sim.terminal->start(request);
    const TerminalReport report = sim.waitFinal(request.reference);
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::InDoubt);
    BOOST_TEST(report.message.find("do not charge again") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("run status") != std::string::npos, report.message);
    // A few questions over a few seconds of simulated time, not minutes.
    const auto began = sim.server.clock().elapsed();
    sim.terminal->query(request.reference);
    BOOST_TEST((sim.server.clock().elapsed() - began) < seconds(10));
    BOOST_TEST((sim.server.clock().elapsed() - began) >= seconds(3));
}

BOOST_AUTO_TEST_CASE(a_preauthorisation_is_refused_before_anything_is_sent) {
    WebEcrSim sim;
    auto request = sim.sale(1240);
    request.preauth = true;
    BOOST_CHECK_THROW(sim.terminal->admit(request), core::NotSupportedError);
    BOOST_CHECK_THROW(sim.terminal->start(request), core::NotSupportedError);
    auto completion = sim.sale(1240);
    completion.kind = core::PaymentKind::PreauthCompletion;
    completion.original = core::NetworkPaymentIds{"1", "075121702285176315144", "8091750"};
    BOOST_CHECK_THROW(sim.terminal->start(completion), core::NotSupportedError);
    // Nothing went to the network: no sale standing in for a pre-authorisation.
    BOOST_TEST(sim.stats()["intents_created"] == 0);
    BOOST_TEST(sim.stats()["sales"] == 0);
    BOOST_TEST(sim.stats()["preauths"] == 0);
    BOOST_TEST(sim.terminal->traits().carriesCustomerContact);
    BOOST_TEST(sim.terminal->traits().declineMayTurnWithin.count() == 0);
}

BOOST_AUTO_TEST_CASE(the_simulator_tells_a_preauthorisation_from_a_sale) {
    WebEcrSim sim;
    const auto request = sim.sale(1240);
    TxnInit body;
    body.txnType = 2;
    body.amount = request.amount;
    body.customerReference = request.reference;
    body.providerData = providerData(request.signature, "8");
    sim.terminal->client().txninit(body);
    BOOST_TEST(sim.stats()["preauths"] == 1);
    BOOST_TEST(sim.stats()["sales"] == 0);
}

BOOST_AUTO_TEST_CASE(an_unreadable_token_answer_never_shows_the_token) {
    WebEcrSim sim;
    const std::string secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXZhbHVl.Zm9vYmFy12345";
    sim.fault(Json{{"method", "POST"},
                   {"path", "/mellon/api/token/"},
                   {"kind", "status"},
                   {"status", 200},
                   {"count", 2},
                   {"body", "{\"access\": \"" + secret + "\", \"refresh\": "}});
    try {
        sim.terminal->client().login();
        BOOST_FAIL("an unreadable token answer was accepted");
    } catch (const core::Error& e) {
        BOOST_TEST(std::string(e.what()).find("c2VjcmV0") == std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(pairing_keeps_an_environment_reference_and_says_where_the_key_goes) {
    WebEcrSim sim;
    const auto file = fiscpos::test::freshTempDir("pair-env") / "fiscpos.ini";
    const std::string text = "[terminal.A3]\nnsp = mellon\nurl = " + sim.server.baseUrl() +
                             "/mellon\nusername = sim-user\npassword = sim-password\n"
                             "api_key = ${FISCPOS_TEST_UNSET_A3_KEY}\npos_id = 358046\n"
                             "tid = 99000031\nprovider_id = 8\n";
    std::ofstream(file) << text;
    std::vector<std::string> said;
    plugin::pairTerminal(file, "A3", "12345678",
                         [&said](const std::string& line) { said.push_back(line); });
    std::stringstream after;
    after << std::ifstream(file).rdbuf();
    BOOST_TEST(after.str() == text); // the reference stays; no key in clear over it
    BOOST_TEST_REQUIRE(!said.empty());
    BOOST_TEST(said.back().find("set FISCPOS_TEST_UNSET_A3_KEY to the new key") !=
                   std::string::npos,
               said.back());
    // The key is in a file only its owner reads, never in a message.
    const auto keyFile = file.parent_path() / "A3.api_key";
    std::stringstream key;
    key << std::ifstream(keyFile).rdbuf();
    BOOST_TEST(!key.str().empty());
    for (const auto& line : said) {
        BOOST_TEST(line.find(key.str().substr(0, key.str().size() - 1)) == std::string::npos, line);
    }
    const bool ownerOnly =
        (std::filesystem::status(keyFile).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    BOOST_TEST(ownerOnly);
    BOOST_TEST(sim.stat("redeems") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
