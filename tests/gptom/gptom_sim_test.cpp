// The GP tom terminal against the simulated Cloud API over real HTTP on loopback: every outcome
// of GP's simulator amounts, a failed task looked up before "not charged", cancellations and
// their limits, batch-close totals, tasks queued on one device finishing in any order, tokens
// refreshed and renewed, the master account, and a create whose answer is lost. Simulated time
// runs fast; waits poll the terminal on the simulator's clock with a bound.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "gptom/gptom_terminal.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/gptom/gptom_test_support.hpp"
#include "tests/support/gptom_sim.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace fiscpos;
using namespace fiscpos::gptom;
using core::Json;
using core::Money;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr const char* automaticTid = "12345678";
constexpr const char* assistedTid = "12345679";

// A simulator in the test process with the GP tom party (verifying with Mellon's public test
// key), and a terminal for its automatic device 12345678 on the per-terminal account.
struct GptomSim {
    explicit GptomSim(sim::GptomPartyOptions options = {}, double timeScale = 100.0)
        : server(fiscpos::test::fastSimOptions(timeScale)) {
        fiscpos::test::addGptomParty(server, std::move(options));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        terminal = makeTerminal();
    }

    std::unique_ptr<GptomTerminal> makeTerminal(const std::string& tid = automaticTid,
                                                bool master = false) {
        return std::make_unique<GptomTerminal>(
            gptom::test::simSettings(server.baseUrl() + "/gptom", tid, master), server.clock());
    }

    Json send(const std::string& method, const std::string& target, const Json& body) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json(method, target, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           target << ": " << response.status << " " << response.body);
        return response.json(target);
    }
    Json control(const std::string& action, const Json& body = Json::object()) {
        return send("POST", "/gptom/_control/" + action, body);
    }
    void fault(const Json& rule) { send("POST", "/_sim/faults", rule); }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["gptom"];
    }
    std::int64_t stat(const char* name) { return stats()[name].get<std::int64_t>(); }
    std::int64_t created(const char* kind) {
        return stats()["tasks_by_kind"][kind].get<std::int64_t>();
    }

    // Polls query(reference) until the report is final, for at most `bound` of simulated time.
    TerminalReport waitFinal(GptomTerminal& on, const std::string& reference,
                             milliseconds bound = seconds(60)) {
        const milliseconds until = server.clock().elapsed() + bound;
        for (;;) {
            TerminalReport report = on.query(reference);
            if (report.stage == TerminalStage::Final || server.clock().elapsed() > until) {
                BOOST_TEST_REQUIRE(report.stage == TerminalStage::Final,
                                   "not final: " << report.networkStatus << " " << report.message);
                return report;
            }
            server.clock().sleepFor(milliseconds(500));
        }
    }
    TerminalReport waitFinal(const std::string& reference, milliseconds bound = seconds(60)) {
        return waitFinal(*terminal, reference, bound);
    }

    // A sale of `cents` signed by the provider for `tid`, under a fresh reference.
    core::PaymentRequest sale(std::int64_t cents, const std::string& tid = automaticTid) {
        return gptom::test::signedSale(cents, tid, std::to_string(++invoice), core::newUuid());
    }

    // Starts a sale and waits for its final report.
    TerminalReport pay(const core::PaymentRequest& request) {
        const TerminalReport started = terminal->start(request);
        BOOST_TEST((started.stage == TerminalStage::Pending), started.message);
        BOOST_TEST(!started.ids.intentId.empty());
        return waitFinal(request.reference);
    }

    core::VoidRequest voidOf(const TerminalReport& sale) {
        core::VoidRequest request;
        request.reference = core::newUuid();
        request.original = sale.ids;
        request.amount = sale.amount.value_or(Money());
        return request;
    }

    sim::SimServer server;
    std::unique_ptr<core::HttpClient> http; // for the control endpoints
    std::unique_ptr<GptomTerminal> terminal;
    int invoice = 0;
};

// Records the exchanges of a terminal.
struct Exchanges {
    explicit Exchanges(GptomTerminal& terminal) {
        terminal.observe([this](const core::HttpExchange& exchange) { seen.push_back(exchange); });
    }
    std::size_t count(const std::string& method, const std::string& ending, int status) const {
        std::size_t n = 0;
        for (const auto& exchange : seen) {
            const std::string path = exchange.url.substr(0, exchange.url.find('?'));
            if (exchange.method == method && exchange.status == status &&
                path.size() >= ending.size() &&
                path.compare(path.size() - ending.size(), ending.size(), ending) == 0) {
                ++n;
            }
        }
        return n;
    }
    std::vector<core::HttpExchange> seen;
};

sim::GptomPartyOptions quickTimeout() {
    sim::GptomPartyOptions options;
    options.timing.timeoutAfter = seconds(120);
    return options;
}

} // namespace

BOOST_AUTO_TEST_SUITE(gptom_sim)

BOOST_AUTO_TEST_CASE(an_approved_sale_reads_the_transaction_of_the_finished_task) {
    GptomSim sim;
    const auto request = sim.sale(1111);
    const TerminalReport started = sim.terminal->start(request);
    BOOST_TEST(started.stage == TerminalStage::Pending);
    const TerminalReport report = sim.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.networkStatus == "COMPLETED/APPROVED");
    BOOST_TEST(report.ids.intentId == started.ids.intentId);
    BOOST_TEST(report.ids.networkTransactionRef.size() == 10U); // amsID
    BOOST_TEST(!report.ids.transactionId.empty());
    BOOST_TEST(report.tid == automaticTid);
    BOOST_TEST(report.authCode.size() == 6U);
    BOOST_TEST(report.rrn.size() == 12U);
    BOOST_TEST(report.maskedPan.find("****") == 0U);
    BOOST_TEST(!report.cardType.empty());
    BOOST_TEST_REQUIRE(report.amount.has_value());
    BOOST_TEST(report.amount->toString() == "11.11");
    BOOST_TEST(sim.created("sale") == 1);
    BOOST_TEST(sim.stat("signature_failures") == 0);
    BOOST_TEST(sim.terminal->traits().queuesRequests);
}

BOOST_AUTO_TEST_CASE(a_finished_task_can_carry_a_declined_payment) {
    GptomSim sim;
    const TerminalReport report = sim.pay(sim.sale(1122));
    BOOST_TEST(report.outcome == PaymentOutcome::Declined);
    BOOST_TEST(report.networkStatus == "COMPLETED/DECLINED");
    BOOST_TEST(report.authCode.empty());
    BOOST_TEST(report.message.find("nothing was charged") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_timeout_stays_in_progress_past_the_deadline_and_is_never_not_found) {
    GptomSim sim(quickTimeout());
    const auto request = sim.sale(1123);
    sim.terminal->start(request);
    // As long as the device holds the task the payment is open: never NotFound, never final.
    const milliseconds until = sim.server.clock().elapsed() + seconds(60);
    bool onDevice = false;
    while (sim.server.clock().elapsed() < until) {
        const TerminalReport report = sim.terminal->query(request.reference);
        BOOST_TEST_REQUIRE(report.stage != TerminalStage::Final);
        BOOST_TEST_REQUIRE(report.stage != TerminalStage::NotFound);
        onDevice = onDevice || report.stage == TerminalStage::OnDevice;
        sim.server.clock().sleepFor(seconds(2));
    }
    BOOST_TEST(onDevice);
    // The device gives up; GP holds no transaction for the task: not charged, with evidence.
    const TerminalReport report = sim.waitFinal(request.reference, seconds(120));
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("TIMEOUT") != std::string::npos, report.message);
}

BOOST_AUTO_TEST_CASE(a_failed_task_is_looked_up_before_not_charged_is_said) {
    GptomSim sim;
    Exchanges exchanges(*sim.terminal);
    const TerminalReport report = sim.pay(sim.sale(1124));
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("EXCEPTION") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("no transaction") != std::string::npos, report.message);
    BOOST_TEST(exchanges.count("GET", "/transaction", 404) == 1U);
}

BOOST_AUTO_TEST_CASE(a_failed_task_whose_transaction_shows_the_charge_is_approved) {
    GptomSim sim;
    const TerminalReport report = sim.pay(sim.sale(1125));
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.message.find("FAILED") != std::string::npos, report.message);
    BOOST_TEST(!report.ids.networkTransactionRef.empty());
}

BOOST_AUTO_TEST_CASE(a_transaction_served_apart_from_the_task_is_read_too) {
    GptomSim sim;
    sim.control("settings", Json{{"embed_transaction", false}});
    Exchanges exchanges(*sim.terminal);
    const TerminalReport report = sim.pay(sim.sale(1240));
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.ids.networkTransactionRef.size() == 10U);
    BOOST_TEST(exchanges.count("GET", "/transaction", 200) == 1U);
}

BOOST_AUTO_TEST_CASE(a_signature_the_device_refuses_fails_the_sale) {
    GptomSim sim;
    auto request = sim.sale(1240);
    request.signature.signatureBase64 = sim.sale(1240).signature.signatureBase64;
    const TerminalReport report = sim.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("PROVIDER_SIGNATURE") != std::string::npos, report.message);
    BOOST_TEST(sim.stat("signature_failures") == 1);
}

BOOST_AUTO_TEST_CASE(a_cancellation_on_the_same_terminal) {
    GptomSim sim;
    const TerminalReport sale = sim.pay(sim.sale(2000));
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    const core::VoidRequest cancel = sim.voidOf(sale);
    const TerminalReport started = sim.terminal->voidPayment(cancel);
    BOOST_TEST(started.stage == TerminalStage::Pending);
    const TerminalReport voided = sim.waitFinal(cancel.reference);
    BOOST_TEST(voided.outcome == PaymentOutcome::Approved);
    BOOST_TEST(voided.ids.networkTransactionRef != sale.ids.networkTransactionRef);
    BOOST_TEST(voided.amount->toString() == "20.00");
    BOOST_TEST(sim.created("storno") == 1);

    // GP refuses a second cancellation outright: reported failed, no task.
    const TerminalReport again = sim.terminal->voidPayment(sim.voidOf(sale));
    BOOST_TEST(again.stage == TerminalStage::Final);
    BOOST_TEST(again.outcome == PaymentOutcome::Failed);
    BOOST_TEST(again.networkStatus == "REFUSED 422");
    BOOST_TEST(sim.created("storno") == 1);
}

BOOST_AUTO_TEST_CASE(a_cancellation_after_93_days_is_refused_before_any_task) {
    GptomSim sim;
    const TerminalReport sale = sim.pay(sim.sale(1500));
    sim.control("backdate", Json{{"amsID", sale.ids.networkTransactionRef}, {"days", 94}});
    gptom::test::requireFieldError<core::InputError>(
        [&] { sim.terminal->voidPayment(sim.voidOf(sale)); }, "original.date");
    BOOST_TEST(sim.created("storno") == 0);
    // Named by its amsID only, the adapter cannot tell: GP refuses it, nothing is created.
    core::VoidRequest byAmsId = sim.voidOf(sale);
    byAmsId.original.intentId.clear();
    BOOST_TEST(sim.terminal->voidPayment(byAmsId).networkStatus == "REFUSED 422");
    BOOST_TEST(sim.created("storno") == 0);
}

BOOST_AUTO_TEST_CASE(a_cancellation_on_another_terminal_is_refused) {
    GptomSim sim;
    const TerminalReport sale = sim.pay(sim.sale(1500));
    const auto other = sim.makeTerminal(assistedTid);
    const TerminalReport refused = other->voidPayment(sim.voidOf(sale));
    BOOST_TEST(refused.outcome == PaymentOutcome::Failed);
    BOOST_TEST(refused.message.find("terminal " + std::string(automaticTid)) != std::string::npos,
               refused.message);
    BOOST_TEST(sim.created("storno") == 0);
}

BOOST_AUTO_TEST_CASE(a_batch_close_reports_the_totals_of_its_batch) {
    GptomSim sim;
    BOOST_TEST(sim.pay(sim.sale(1111)).outcome == PaymentOutcome::Approved);
    const TerminalReport big = sim.pay(sim.sale(2000));
    BOOST_TEST(sim.pay(sim.sale(1122)).outcome == PaymentOutcome::Declined);
    const core::VoidRequest cancel = sim.voidOf(big);
    sim.terminal->voidPayment(cancel);
    BOOST_TEST(sim.waitFinal(cancel.reference).outcome == PaymentOutcome::Approved);

    const std::string close = core::newUuid();
    BOOST_TEST(sim.terminal->closeBatch(close).stage == TerminalStage::Pending);
    const TerminalReport closed = sim.waitFinal(close);
    BOOST_TEST(closed.outcome == PaymentOutcome::Approved);
    BOOST_TEST_REQUIRE(closed.batch.has_value());
    BOOST_TEST(closed.batch->batchId == "1");
    BOOST_TEST(closed.batch->saleCount == 2);
    BOOST_TEST(closed.batch->saleTotal.toString() == "31.11");
    BOOST_TEST(closed.batch->refundCount == 1);
    BOOST_TEST(closed.batch->refundTotal.toString() == "20.00");

    // The next batch holds only what came after.
    sim.pay(sim.sale(500));
    const std::string next = core::newUuid();
    sim.terminal->closeBatch(next);
    const TerminalReport second = sim.waitFinal(next);
    BOOST_TEST_REQUIRE(second.batch.has_value());
    BOOST_TEST(second.batch->batchId == "2");
    BOOST_TEST(second.batch->saleCount == 1);
    BOOST_TEST(second.batch->saleTotal.toString() == "5.00");
    BOOST_TEST(second.batch->refundCount == 0);
    BOOST_TEST(sim.created("close_batch") == 2);
    BOOST_TEST(sim.stat("batches_closed") == 2);
}

BOOST_AUTO_TEST_CASE(queued_tasks_finish_in_the_order_the_cashier_taps_them) {
    GptomSim sim;
    const auto terminal = sim.makeTerminal(assistedTid);
    std::vector<core::PaymentRequest> sales;
    std::vector<std::string> tasks;
    for (int i = 0; i < 3; ++i) {
        sales.push_back(sim.sale(1000 + i, assistedTid));
        const TerminalReport started = terminal->start(sales.back());
        BOOST_TEST(started.stage == TerminalStage::Pending);
        tasks.push_back(started.ids.intentId);
    }
    // Nothing runs until the cashier taps a task.
    sim.server.clock().sleepFor(seconds(30));
    for (const auto& sale : sales) {
        BOOST_TEST(terminal->query(sale.reference).stage == TerminalStage::Pending);
    }
    sim.control("tap", Json{{"taskId", tasks[2]}});
    const TerminalReport third = sim.waitFinal(*terminal, sales[2].reference);
    BOOST_TEST(third.outcome == PaymentOutcome::Approved);
    BOOST_TEST(third.amount->toString() == "10.02");
    BOOST_TEST(terminal->query(sales[0].reference).stage == TerminalStage::Pending);
    BOOST_TEST(terminal->query(sales[1].reference).stage == TerminalStage::Pending);

    sim.control("tap", Json{{"taskId", tasks[0]}});
    BOOST_TEST(terminal->query(sales[0].reference).stage == TerminalStage::OnDevice);
    BOOST_TEST(sim.waitFinal(*terminal, sales[0].reference).outcome == PaymentOutcome::Approved);
    // The cashier removes the last one from the queue: nothing was charged.
    sim.control("tap", Json{{"taskId", tasks[1]}, {"cancel", true}});
    const TerminalReport removed = sim.waitFinal(*terminal, sales[1].reference);
    BOOST_TEST(removed.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(sim.created("sale") == 3);
}

BOOST_AUTO_TEST_CASE(tasks_queued_on_an_automatic_device_run_one_after_another) {
    GptomSim sim;
    std::vector<core::PaymentRequest> sales;
    for (int i = 0; i < 3; ++i) {
        sales.push_back(sim.sale(700 + i));
        sim.terminal->start(sales.back());
    }
    for (const auto& sale : sales) {
        BOOST_TEST(sim.waitFinal(sale.reference).outcome == PaymentOutcome::Approved);
    }
    BOOST_TEST(sim.created("sale") == 3);
    BOOST_TEST(sim.stat("transactions") == 3);
}

BOOST_AUTO_TEST_CASE(an_access_token_is_refreshed_when_expires_in_runs_out) {
    sim::GptomPartyOptions options;
    options.accessLifetime = seconds(120);
    GptomSim sim(options);
    BOOST_TEST(sim.terminal->query(core::newUuid()).stage == TerminalStage::NotFound);
    sim.server.clock().sleepFor(seconds(121));
    BOOST_TEST(sim.terminal->query(core::newUuid()).stage == TerminalStage::NotFound);
    BOOST_TEST(sim.stat("token_refreshes") == 1);
    BOOST_TEST(sim.stat("unauthenticated") == 0);
    BOOST_TEST(sim.stat("token_logins") == 1);
}

BOOST_AUTO_TEST_CASE(a_task_refused_for_an_expired_token_is_created_once_under_a_new_one) {
    GptomSim sim;
    sim.terminal->client().login();
    sim.control("expire-tokens");
    const auto request = sim.sale(1111);
    BOOST_TEST(sim.terminal->start(request).stage == TerminalStage::Pending);
    BOOST_TEST(sim.stat("unauthenticated") == 1);
    BOOST_TEST(sim.stat("token_refreshes") == 1);
    BOOST_TEST(sim.created("sale") == 1);

    // Both tokens expire: the refresh is refused at both places and the client logs in again.
    sim.control("expire-tokens", Json{{"refresh", true}});
    BOOST_TEST(sim.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.stat("token_refresh_failures") == 2);
    BOOST_TEST(sim.stat("token_logins") == 2);
    BOOST_TEST(sim.created("sale") == 1);
}

BOOST_AUTO_TEST_CASE(the_refresh_is_tried_at_the_second_documented_place) {
    sim::GptomPartyOptions options;
    options.refreshPaths = {"/api/oauth/token"};
    GptomSim sim(options);
    sim.terminal->client().login();
    sim.control("expire-tokens");
    BOOST_TEST(sim.terminal->query(core::newUuid()).stage == TerminalStage::NotFound);
    BOOST_TEST(sim.stat("token_refresh_failures") == 1);
    BOOST_TEST(sim.stat("token_refreshes") == 1);
    BOOST_TEST(sim.stat("token_logins") == 1);
}

BOOST_AUTO_TEST_CASE(the_master_account_names_the_terminal_on_every_call) {
    GptomSim sim;
    sim.terminal = sim.makeTerminal(automaticTid, true);
    Exchanges exchanges(*sim.terminal);
    const TerminalReport sale = sim.pay(sim.sale(1111));
    BOOST_TEST(sale.outcome == PaymentOutcome::Approved);
    BOOST_TEST(sale.tid == automaticTid);
    BOOST_TEST(sim.stat("master_logins") == 1);
    BOOST_TEST(sim.stat("token_logins") == 0);
    for (const auto& exchange : exchanges.seen) {
        if (exchange.method == "GET") {
            BOOST_TEST(exchange.url.find("tid=12345678") != std::string::npos, exchange.url);
        } else if (exchange.url.find("/v1/tasks/") != std::string::npos) {
            BOOST_TEST(exchange.requestBody.find("\"tid\":\"12345678\"") != std::string::npos);
        } else {
            BOOST_TEST(exchange.requestBody.find("tid=") == std::string::npos);
        }
    }
    const core::VoidRequest cancel = sim.voidOf(sale);
    sim.terminal->voidPayment(cancel);
    BOOST_TEST(sim.waitFinal(cancel.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(a_lost_create_answer_is_found_by_our_reference_and_never_sent_twice) {
    GptomSim sim;
    sim.fault(
        Json{{"method", "POST"}, {"path", "/gptom/v1/tasks/TRANSACTION"}, {"kind", "drop_after"}});
    const auto request = sim.sale(1111);
    try {
        sim.terminal->start(request);
        BOOST_FAIL("the lost answer must be an error");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown(), e.what());
    }
    // A process started afterwards knows only the reference it journaled.
    const auto restarted = sim.makeTerminal();
    const TerminalReport found = restarted->query(request.reference);
    BOOST_TEST(found.stage != TerminalStage::NotFound);
    BOOST_TEST(!found.ids.intentId.empty());
    BOOST_TEST(sim.waitFinal(*restarted, request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(sim.created("sale") == 1);
}

BOOST_AUTO_TEST_CASE(a_create_that_never_arrived_is_not_found_by_our_reference) {
    GptomSim sim;
    sim.fault(Json{{"method", "POST"},
                   {"path", "/gptom/v1/tasks/TRANSACTION"},
                   {"kind", "status"},
                   {"status", 503}});
    const auto request = sim.sale(1111);
    BOOST_CHECK_THROW(sim.terminal->start(request), core::TransportError);
    BOOST_TEST(sim.terminal->query(request.reference).stage == TerminalStage::NotFound);
    BOOST_TEST(sim.created("sale") == 0);
}

BOOST_AUTO_TEST_CASE(refused_logins_name_the_setting) {
    GptomSim sim;
    GptomSettings settings = gptom::test::simSettings(sim.server.baseUrl() + "/gptom");
    settings.password = "wrong";
    gptom::test::requireFieldError<core::ConfigError>(
        [&] { GptomTerminal(settings, sim.server.clock()).query("r1"); }, "terminal.G1.password");
    settings = gptom::test::simSettings(sim.server.baseUrl() + "/gptom", "99999999");
    gptom::test::requireFieldError<core::ConfigError>(
        [&] { GptomClient(settings, sim.server.clock()).login(); }, "terminal.G1.password");
    settings = gptom::test::simSettings(sim.server.baseUrl() + "/gptom");
    settings.clientCredential = "bm90OnRoaXM=";
    gptom::test::requireFieldError<core::ConfigError>(
        [&] { GptomClient(settings, sim.server.clock()).login(); },
        "terminal.G1.client_credential");
}

BOOST_AUTO_TEST_CASE(no_sale_until_gp_confirms_a1155) {
    GptomSim sim;
    GptomSettings settings = gptom::test::simSettings(sim.server.baseUrl() + "/gptom");
    settings.a1155Confirmed = false;
    GptomTerminal terminal(settings, sim.server.clock());
    gptom::test::requireFieldError<core::ConfigError>([&] { terminal.start(sim.sale(1111)); },
                                                      "terminal.G1.a1155_confirmed");
    BOOST_TEST(sim.stat("tasks_created") == 0);
    // A batch close needs no confirmation.
    const std::string close = core::newUuid();
    terminal.closeBatch(close);
    BOOST_TEST(sim.waitFinal(terminal, close).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(devices_are_the_configured_terminal) {
    GptomSim sim;
    const auto devices = sim.terminal->devices();
    BOOST_TEST_REQUIRE(devices.size() == 1U);
    BOOST_TEST(devices[0].tid == automaticTid);
    BOOST_TEST(devices[0].name == "terminal.G1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gptom_promises)

BOOST_AUTO_TEST_CASE(a_token_refused_just_after_the_login_is_replaced_by_a_new_login) {
    GptomSim sim;
    sim.fault(Json{{"method", "GET"},
                   {"path", "/gptom/v1/"},
                   {"kind", "status"},
                   {"status", 401},
                   {"body", Json{{"error", "invalid_token"},
                                 {"error_description", "Invalid access token."}}}});
    BOOST_TEST(sim.terminal->query(core::newUuid()).stage == TerminalStage::NotFound);
    BOOST_TEST(sim.stat("token_logins") == 2);
}

BOOST_AUTO_TEST_CASE(an_unconfirmed_terminal_is_refused_by_admit_before_anything_is_signed) {
    GptomSim sim;
    GptomSettings settings = gptom::test::simSettings(sim.server.baseUrl() + "/gptom");
    settings.a1155Confirmed = false;
    GptomTerminal terminal(settings, sim.server.clock());
    gptom::test::requireFieldError<core::ConfigError>([&] { terminal.admit(sim.sale(1111)); },
                                                      "terminal.G1.a1155_confirmed");
    BOOST_TEST(!terminal.traits().carriesCustomerContact);
}

BOOST_AUTO_TEST_CASE(an_unreadable_token_answer_never_shows_the_access_token) {
    GptomSim sim;
    const std::string token = "3f9a0c4e1b7d2a6e8f0c1d2e3f4a5b6c7d8e9f0a";
    sim.fault(Json{{"method", "POST"},
                   {"path", "/gptom/cloud/oauth/token"},
                   {"kind", "status"},
                   {"status", 200},
                   {"count", 2},
                   {"body", R"({"access_token": ")" + token + R"(", "token_type": "bearer", )"}});
    try {
        sim.terminal->client().login();
        BOOST_FAIL("an unreadable token answer was accepted");
    } catch (const core::Error& e) {
        BOOST_TEST(std::string(e.what()).find(token.substr(0, 10)) == std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
