// The legacy Orders per Source terminal (nsp = viva-orders) against the simulated Viva legacy API
// over real HTTP on loopback: an order picked up on the POS and paid, a declined card while the
// order is still payable, an order nobody fetches, a lost answer to the order, and recovery by
// MerchantTrns from another process.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/viva_sim.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/orders_terminal.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::Money;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// A simulator with the Viva parties and an Orders terminal for the POS of TID 16000010 (legacy
// source 0820160010), whose orders may be paid for a minute.
struct OrdersWorld {
    OrdersWorld()
        : server(sim::SimServerOptions{.timeScale = 100.0})
        , clock(server.clock()) {
        fiscpos::test::addVivaParties(server);
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        terminal = std::make_unique<OrdersTerminal>(settings(), clock);
    }

    VivaSettings settings() const {
        VivaSettings s = settingsAt(server.baseUrl());
        s.orderTimeout = seconds(60);
        return s;
    }

    Json control(const std::string& action, const Json& body) {
        const auto response =
            http->send(core::HttpRequest::json("POST", "/viva-legacy/_control/" + action, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           action << ": " << response.status << " " << response.body);
        return response.json(action);
    }
    void fault(const Json& rule) {
        BOOST_TEST_REQUIRE(http->send(core::HttpRequest::json("POST", "/_sim/faults", rule)).ok());
    }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["viva_legacy"];
    }

    TerminalReport waitFinal(const std::string& reference, OrdersTerminal& asked,
                             milliseconds bound = seconds(150)) {
        return viva::test::waitFinal(asked, server.clock(), reference, bound, milliseconds(1000));
    }
    TerminalReport waitFinal(const std::string& reference) {
        return waitFinal(reference, *terminal);
    }

    core::PaymentRequest sale(std::int64_t cents) {
        return saleRequest(sign(Money::fromCents(cents), testTid, std::to_string(++invoice)),
                           core::newUuid());
    }

    sim::SimServer server;
    const sim::SimClock& clock; // the terminals' clock: waits pass on simulated time
    std::unique_ptr<core::HttpClient> http;
    std::unique_ptr<OrdersTerminal> terminal;
    int invoice = 0;
};

} // namespace

BOOST_AUTO_TEST_SUITE(viva_orders_sim)

BOOST_AUTO_TEST_CASE(an_order_fetched_on_the_pos_and_paid) {
    OrdersWorld world;
    const auto request = world.sale(1240);
    const TerminalReport started = world.terminal->start(request);
    BOOST_TEST(started.stage == TerminalStage::OnDevice);
    BOOST_TEST(started.ids.intentId.size() == 16U); // the OrderCode
    const TerminalReport paid = world.waitFinal(request.reference);
    BOOST_TEST(paid.outcome == PaymentOutcome::Approved);
    BOOST_TEST(paid.ids.intentId == started.ids.intentId);
    BOOST_TEST(paid.ids.networkTransactionRef.size() == 36U);
    BOOST_TEST(paid.amount.value().cents() == 1240); // euros in the list, read exactly
    BOOST_TEST(paid.tid == testTid);
    BOOST_TEST(!paid.maskedPan.empty());
    BOOST_TEST(world.stats()["orders_created"] == 1);
}

BOOST_AUTO_TEST_CASE(a_declined_card_leaves_the_order_open_until_it_expires) {
    OrdersWorld world;
    const auto request = world.sale(999);
    world.terminal->start(request);
    // The card is declined a few seconds after F1; the cardholder could still try again.
    world.server.clock().sleepFor(seconds(15));
    const TerminalReport open = world.terminal->query(request.reference);
    BOOST_TEST(open.stage == TerminalStage::OnDevice);
    BOOST_TEST(open.networkStatus == "StatusId E");
    const TerminalReport final = world.waitFinal(request.reference);
    BOOST_TEST(final.outcome == PaymentOutcome::Declined);
}

BOOST_AUTO_TEST_CASE(an_order_nobody_fetches_expires_unpaid) {
    OrdersWorld world;
    world.control("settings", Json{{"auto_pickup", false}});
    const auto request = world.sale(1240);
    world.terminal->start(request);
    const TerminalReport report = world.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(report.message.find("expired unpaid") != std::string::npos, report.message);
}

BOOST_AUTO_TEST_CASE(an_order_whose_answer_is_lost_is_found_by_merchant_trns) {
    OrdersWorld world;
    world.control("settings", Json{{"auto_pickup", false}});
    world.fault(
        Json{{"method", "POST"}, {"path", "/viva-legacy/api/orders"}, {"kind", "drop_after"}});
    const auto request = world.sale(1240);
    try {
        world.terminal->start(request);
        BOOST_FAIL("expected a lost answer");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    // Nothing paid yet: the order may still be paid, so the payment is pending.
    BOOST_TEST(world.terminal->query(request.reference).stage == TerminalStage::Pending);
    const Json pressed = world.control("press-f1", Json{{"source_code", "0820160010"}});
    BOOST_TEST(!pressed["order_code"].is_null());
    BOOST_TEST(world.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.stats()["orders_created"] == 1);
}

BOOST_AUTO_TEST_CASE(another_process_recovers_by_merchant_trns) {
    OrdersWorld world;
    const auto request = world.sale(1240);
    world.terminal->start(request);
    BOOST_TEST_REQUIRE(world.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    OrdersTerminal restarted(world.settings(), world.clock);
    BOOST_TEST(restarted.query(request.reference).outcome == PaymentOutcome::Approved);
    // A reference with no payment: its order could still be paid for a while, then it is not.
    const std::string unknown = core::newUuid();
    BOOST_TEST(restarted.query(unknown).stage == TerminalStage::Pending);
    world.server.clock().sleepFor(seconds(95));
    BOOST_TEST(restarted.query(unknown).stage == TerminalStage::NotFound);
}

BOOST_AUTO_TEST_CASE(refused_orders_and_what_the_flow_cannot_do) {
    OrdersWorld world;
    VivaSettings unknownSource = world.settings();
    unknownSource.sourceCode = "9999999999";
    OrdersTerminal terminal(unknownSource, world.clock);
    const TerminalReport refused = terminal.start(world.sale(1240));
    BOOST_TEST(refused.stage == TerminalStage::Final);
    BOOST_TEST(refused.outcome == PaymentOutcome::Failed);
    BOOST_TEST(refused.message.find("nothing was charged") != std::string::npos);

    auto refund = world.sale(500);
    refund.kind = core::PaymentKind::Refund;
    BOOST_CHECK_THROW(world.terminal->start(refund), core::NotSupportedError);
    BOOST_CHECK_THROW(world.terminal->voidPayment(core::VoidRequest{}), core::NotSupportedError);
    BOOST_CHECK_THROW(world.terminal->devices(), core::NotSupportedError);
}

BOOST_AUTO_TEST_SUITE_END()
