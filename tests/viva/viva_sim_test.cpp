// The Viva Cloud Terminal API client and terminal against the simulated Viva network over real
// HTTP on loopback: sales to every outcome with their ids, the busy terminal, aborts, expiry,
// refunds with and without the sale, voids, pre-authorisations and their completion, tokens that
// expire, answers that are lost, requests that never arrive, recovery from another process, and
// the webhooks Viva sends. Simulated time runs fast; waits poll on the simulator's clock with a
// bound.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/viva_sim.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/legacy_client.hpp"
#include "viva/viva_terminal.hpp"
#include "viva/webhook.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::Money;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

constexpr const char* salePath = "/viva-api/ecr/v1/transactions:sale";

// A simulator in the test process with the Viva parties (verifying with Mellon's public test key)
// and a stand-in for the ERP's webhook endpoint, and a Viva terminal configured for 16000010.
struct VivaWorld {
    explicit VivaWorld(sim::VivaSimOptions options = {}, double timeScale = 100.0)
        : server(sim::SimServerOptions{.timeScale = timeScale})
        , clock(server.clock())
        , hooks(std::make_shared<fiscpos::test::WebhookRecorder>()) {
        server.addParty(hooks);
        fiscpos::test::addVivaParties(server, std::move(options));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        terminal = std::make_unique<VivaTerminal>(settings(), clock);
    }

    VivaSettings settings() const { return settingsAt(server.baseUrl()); }

    Json send(const std::string& method, const std::string& target, const Json& body) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json(method, target, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           target << ": " << response.status << " " << response.body);
        return response.json(target);
    }
    Json control(const std::string& action, const Json& body = Json::object()) {
        return send("POST", "/viva-api/_control/" + action, body);
    }
    void fault(const Json& rule) { send("POST", "/_sim/faults", rule); }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["viva_api"];
    }
    std::int64_t stat(const char* name) { return stats()[name].get<std::int64_t>(); }

    // Polls query(reference) until the report is final, for at most `bound` of simulated time.
    TerminalReport waitFinal(const std::string& reference, milliseconds bound = seconds(90),
                             VivaTerminal* on = nullptr) {
        return viva::test::waitFinal(on != nullptr ? *on : *terminal, server.clock(), reference,
                                     bound);
    }

    // A sale of `cents` signed by the provider for TID 16000010, under a fresh reference.
    core::PaymentRequest sale(std::int64_t cents) {
        return saleRequest(sign(Money::fromCents(cents), testTid, std::to_string(++invoice)),
                           core::newUuid());
    }
    // A refund of `cents` with the credit note's signature; of `original` when given.
    core::PaymentRequest refund(std::int64_t cents,
                                std::optional<core::NetworkPaymentIds> original) {
        core::PaymentRequest request = sale(cents);
        request.kind = core::PaymentKind::Refund;
        request.original = std::move(original);
        return request;
    }

    // Starts a payment and waits for its final report.
    TerminalReport pay(const core::PaymentRequest& request) {
        const TerminalReport started = terminal->start(request);
        BOOST_TEST(started.stage == TerminalStage::Pending);
        BOOST_TEST(started.networkStatus == "ACCEPTED");
        BOOST_TEST(started.ids.intentId == request.reference);
        return waitFinal(request.reference);
    }

    sim::SimServer server;
    const sim::SimClock& clock; // the terminals' clock: waits pass on simulated time
    std::shared_ptr<fiscpos::test::WebhookRecorder> hooks;
    std::unique_ptr<core::HttpClient> http; // for the control endpoints
    std::unique_ptr<VivaTerminal> terminal;
    int invoice = 0;
};

} // namespace

BOOST_AUTO_TEST_SUITE(viva_sim)

BOOST_AUTO_TEST_CASE(approved_sale_carries_every_id) {
    VivaWorld world;
    const auto request = world.sale(1240);
    const TerminalReport report = world.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.ids.intentId == request.reference);
    BOOST_TEST(allDigits(report.ids.transactionId), report.ids.transactionId); // aadeTransactionId
    BOOST_TEST(report.ids.networkTransactionRef.size() == 36U); // Viva's transaction UUID
    BOOST_TEST(report.ids.networkTransactionRef != report.ids.transactionId);
    BOOST_TEST(report.tid == testTid);
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.authCode.empty());
    BOOST_TEST(!report.maskedPan.empty());
    BOOST_TEST(!report.cardType.empty());
    BOOST_TEST(report.amount.value().cents() == 1240);
    // One session, its provider signature verified by the terminal.
    BOOST_TEST(world.stat("sessions_created") == 1);
    BOOST_TEST(world.stat("aade_failures") == 0);
    BOOST_TEST(world.stats()["session_posts"][request.reference] == 1);
}

BOOST_AUTO_TEST_CASE(declined_by_the_issuer) {
    VivaWorld world;
    const TerminalReport report = world.pay(world.sale(999));
    BOOST_TEST(report.outcome == PaymentOutcome::Declined);
    BOOST_TEST(report.message.find("1006") != std::string::npos, report.message);
    BOOST_TEST(report.ids.transactionId.empty());
}

BOOST_AUTO_TEST_CASE(cancelled_by_the_customer) {
    VivaWorld world;
    BOOST_TEST(world.pay(world.sale(3333)).outcome == PaymentOutcome::Cancelled);
}

BOOST_AUTO_TEST_CASE(a_failed_tap_then_the_pin_is_one_approval) {
    // 17.98: the card asks for the PIN after a failed tap; the session stays 202 and then
    // succeeds. Nothing is final before the session's 200.
    VivaWorld world;
    BOOST_TEST(world.pay(world.sale(1798)).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(busy_terminal_fails_the_second_sale_with_a_message) {
    VivaWorld world;
    const auto first = world.sale(8888); // never finishes: the terminal stays busy
    world.terminal->start(first);
    const TerminalReport second = world.pay(world.sale(1240));
    BOOST_TEST(second.outcome == PaymentOutcome::Failed);
    BOOST_TEST(second.networkStatus == "failed, eventId 1100");
    BOOST_TEST(second.message.find("terminal busy") != std::string::npos, second.message);
    BOOST_TEST(second.message.find("There is already a request in progress") != std::string::npos);
    // The first is still on the terminal; it ends when the terminal finishes it.
    BOOST_TEST(world.terminal->query(first.reference).stage == TerminalStage::OnDevice);
    world.control("finish", Json{{"sessionId", first.reference}, {"outcome", "approved"}});
    BOOST_TEST(world.waitFinal(first.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(abort_is_only_a_request_and_the_session_gives_the_outcome) {
    // The card is slow and the abort takes a while, so both aborts meet the session unfinished.
    sim::VivaSimOptions options;
    options.merchant.timing.completeAfter = seconds(300);
    options.merchant.timing.abortAfter = seconds(30);
    VivaWorld world(options);
    const auto request = world.sale(1240);
    world.terminal->start(request);
    const TerminalReport aborted = world.terminal->abort(request.reference);
    BOOST_TEST(aborted.networkStatus == "ABORT_REQUESTED");
    BOOST_TEST(aborted.stage == TerminalStage::OnDevice);
    BOOST_TEST(aborted.message.find("outcome still comes from the terminal") != std::string::npos);
    // A second abort while the first is under way.
    BOOST_TEST(world.terminal->abort(request.reference).networkStatus == "ABORT_ALREADY_REQUESTED");
    const TerminalReport final = world.waitFinal(request.reference);
    BOOST_TEST(final.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(final.message.find("1016") != std::string::npos, final.message);
}

BOOST_AUTO_TEST_CASE(an_abort_that_comes_too_late_leaves_the_payment_approved) {
    VivaWorld world;
    const auto request = world.sale(5050);
    world.terminal->start(request);
    BOOST_TEST(world.terminal->abort(request.reference).networkStatus == "ABORT_REQUESTED");
    BOOST_TEST(world.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(abort_refused_by_another_register_or_for_an_unknown_session) {
    VivaWorld world;
    const auto request = world.sale(8888);
    world.terminal->start(request);
    VivaSettings other = world.settings();
    other.cashRegister = "ERP-2";
    VivaTerminal otherRegister(other, world.clock);
    const auto refused =
        requireThrows<AbortRefused>([&] { otherRegister.abort(request.reference); });
    BOOST_TEST(refused.status() == 403);
    BOOST_TEST(std::string(refused.what()).find("ERP-2") != std::string::npos, refused.what());
    const auto unknown =
        requireThrows<AbortRefused>([&] { world.terminal->abort(core::newUuid()); });
    BOOST_TEST(unknown.status() == 404);
    world.control("finish", Json{{"sessionId", request.reference}, {"outcome", "cancelled"}});
}

BOOST_AUTO_TEST_CASE(a_session_that_never_reaches_the_terminal_expires) {
    VivaWorld world;
    const auto request = world.sale(6060);
    world.terminal->start(request);
    // Pending for about a minute, then expired.
    BOOST_TEST(world.terminal->query(request.reference).stage == TerminalStage::OnDevice);
    const TerminalReport report = world.waitFinal(request.reference, seconds(120));
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("1102") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("Viva app is open") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_terminal_refuses_a_signature_that_does_not_verify) {
    VivaWorld world;
    auto request = world.sale(1240);
    // A real signature, but over another Input.
    request.signature.signatureBase64 = world.sale(1250).signature.signatureBase64;
    const TerminalReport report = world.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("1076") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("provider_id") != std::string::npos);
    BOOST_TEST(world.stat("aade_failures") == 1);
}

BOOST_AUTO_TEST_CASE(referenced_refund_of_a_sale) {
    VivaWorld world;
    const TerminalReport sale = world.pay(world.sale(2000));
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    const TerminalReport refund = world.pay(world.refund(500, sale.ids));
    BOOST_TEST(refund.outcome == PaymentOutcome::Approved);
    BOOST_TEST(refund.amount.value().cents() == 500);
    BOOST_TEST(world.stat("refunds") == 1);
    // Beyond what is left of the sale: refused on the terminal, nothing refunded.
    const TerminalReport tooMuch = world.pay(world.refund(1600, sale.ids));
    BOOST_TEST(tooMuch.outcome == PaymentOutcome::Failed);
    BOOST_TEST(tooMuch.message.find("1009") != std::string::npos, tooMuch.message);
}

// IRIS asked of the terminal (paymentMethod IRIS): Viva reports it by the IRIS network's bankId
// and transaction type 60, no card number; the refund of it is an IRIS refund (61) and goes
// through the terminal. A card sale reports its card.
BOOST_AUTO_TEST_CASE(an_iris_sale_and_its_refund_are_reported_as_iris) {
    VivaWorld world;
    auto request = world.sale(1240);
    request.iris = true;
    const TerminalReport sale = world.pay(request);
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    BOOST_TEST(sale.cardType == "IRIS");
    BOOST_TEST(sale.maskedPan.empty());
    BOOST_TEST(!sale.ids.transactionId.empty());
    const TerminalReport refund = world.pay(world.refund(240, sale.ids));
    BOOST_TEST(refund.outcome == PaymentOutcome::Approved);
    BOOST_TEST(refund.cardType == "IRIS");
    const TerminalReport card = world.pay(world.sale(500));
    BOOST_TEST(card.cardType != "IRIS");
    BOOST_TEST(!card.maskedPan.empty());
    // IRIS is a sale's; a pre-authorisation cannot be one.
    auto preauth = world.sale(500);
    preauth.iris = true;
    preauth.preauth = true;
    BOOST_TEST(requireThrows<core::InputError>([&] { world.terminal->admit(preauth); }).field() ==
               "iris");
}

// A preloaded sale, where the installer turned it on (preload = on; off it is refused naming
// `preload`): aadePreloaded with the hours, in whole hours only. The session waits at the terminal
// well beyond a normal one, is approved when the customer pays (/_control/finish), and one nobody
// pays ends with eventId 1102 when it lapses, nothing charged.
BOOST_AUTO_TEST_CASE(a_preloaded_sale_waits_for_the_customer_or_lapses) {
    VivaWorld world({}, 1000.0);
    auto request = world.sale(1240);
    request.preload = std::chrono::hours(1);
    requireFieldError<core::InputError>([&] { world.terminal->admit(request); }, "preload",
                                        "preload = on");
    auto settings = world.settings();
    settings.preload = true;
    VivaTerminal preloading(settings, world.clock);
    BOOST_TEST_REQUIRE(preloading.traits().preload.has_value());
    BOOST_TEST(preloading.traits().preload->step.count() == 60);
    auto odd = request;
    odd.preload = std::chrono::minutes(90);
    requireFieldError<core::InputError>([&] { preloading.admit(odd); }, "preload", "whole hours");
    std::vector<Json> bodies;
    preloading.observe([&bodies](const core::HttpExchange& exchange) {
        if (exchange.url.find("transactions:sale") != std::string::npos) {
            bodies.push_back(
                core::parseJson(exchange.requestBody, "sale", core::JsonOrigin::Input));
        }
    });

    BOOST_TEST(preloading.start(request).stage == TerminalStage::Pending);
    BOOST_TEST_REQUIRE(bodies.size() == 1u);
    BOOST_TEST(bodies[0]["aadePreloaded"] == true);
    BOOST_TEST(bodies[0]["aadePreloadedDuration"] == 1);
    BOOST_TEST(world.stat("preloaded") == 1);
    world.server.clock().sleepFor(minutes(5)); // a normal session would have expired
    BOOST_TEST(preloading.query(request.reference).stage != TerminalStage::Final);
    world.control("finish", Json{{"sessionId", request.reference}, {"outcome", "approved"}});
    const TerminalReport paid = world.waitFinal(request.reference, seconds(90), &preloading);
    BOOST_TEST(paid.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!paid.ids.transactionId.empty());

    auto other = world.sale(500);
    other.preload = std::chrono::hours(1);
    BOOST_TEST(preloading.start(other).stage == TerminalStage::Pending);
    const TerminalReport lapsed = world.waitFinal(other.reference, minutes(62), &preloading);
    BOOST_TEST(lapsed.outcome == PaymentOutcome::Failed);
    BOOST_TEST(lapsed.message.find("expired") != std::string::npos, lapsed.message);
    BOOST_TEST(lapsed.ids.transactionId.empty());
}

BOOST_AUTO_TEST_CASE(unreferenced_refund) {
    VivaWorld world;
    const TerminalReport refund = world.pay(world.refund(700, std::nullopt));
    BOOST_TEST(refund.outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.stat("unreferenced_refunds") == 1);
    BOOST_TEST(world.stat("refunds") == 0);
    BOOST_TEST(world.stat("aade_failures") == 0);
}

BOOST_AUTO_TEST_CASE(void_is_a_full_refund_followed_as_its_own_session) {
    VivaWorld world;
    // The void carries no provider signature: the terminals here take refunds without one.
    world.control("settings", Json{{"require_aade", false}});
    const auto saleRequest = world.sale(1500);
    const TerminalReport sale = world.pay(saleRequest);
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    core::VoidRequest request;
    request.reference = core::newUuid();
    request.original = sale.ids;
    request.amount = *sale.amount;
    const TerminalReport started = world.terminal->voidPayment(request);
    BOOST_TEST(started.stage == TerminalStage::Pending);
    BOOST_TEST(started.ids.intentId == request.reference);
    const TerminalReport voided = world.waitFinal(request.reference);
    BOOST_TEST(voided.outcome == PaymentOutcome::Approved);
    BOOST_TEST(voided.amount.value().cents() == 1500);
    BOOST_TEST(world.stat("refunds") == 1);
    // The sale's session is untouched.
    BOOST_TEST(world.terminal->query(saleRequest.reference).outcome == PaymentOutcome::Approved);

    // A payment without a sessionId cannot be voided on Viva.
    request.reference = core::newUuid();
    request.original.intentId.clear();
    requireFieldError<core::InputError>([&] { world.terminal->voidPayment(request); },
                                        "original.intentId");
}

BOOST_AUTO_TEST_CASE(preauthorisation_and_its_completion) {
    VivaWorld world;
    auto preauth = world.sale(3000);
    preauth.preauth = true;
    const TerminalReport reserved = world.pay(preauth);
    BOOST_TEST_REQUIRE(reserved.outcome == PaymentOutcome::Approved);
    BOOST_TEST(reserved.message.find("reserved") != std::string::npos, reserved.message);

    auto completion = world.sale(2500);
    completion.kind = core::PaymentKind::PreauthCompletion;
    completion.original = reserved.ids;
    const TerminalReport captured = world.pay(completion);
    BOOST_TEST(captured.outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.stat("preauths") == 1);
    BOOST_TEST(world.stat("preauth_completions") == 1);
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_replaced_and_the_question_asked_again) {
    VivaWorld world;
    VivaClient& client = world.terminal->client();
    BOOST_TEST(world.terminal->devices().size() == 2U);
    BOOST_TEST(client.tokensIssued() == 1U);

    world.control("expire-tokens");
    const auto devices = world.terminal->devices();
    BOOST_TEST_REQUIRE(devices.size() == 2U);
    BOOST_TEST(devices[0].tid == testTid);
    BOOST_TEST(devices[0].status == "live");
    BOOST_TEST(client.tokensIssued() == 2U);
    BOOST_TEST(world.stat("unauthenticated") == 1);
}

BOOST_AUTO_TEST_CASE(a_token_near_its_expiry_is_renewed_before_use) {
    sim::VivaSimOptions options;
    options.merchant.tokenLifetime = seconds(300);
    VivaWorld world(options);
    VivaClient& client = world.terminal->client();
    world.terminal->devices();
    // Renewed 60 s before expires_in runs out, on the simulator's clock: never refused.
    world.server.clock().sleepFor(seconds(250));
    world.terminal->devices();
    BOOST_TEST(client.tokensIssued() == 2U);
    BOOST_TEST(world.stat("unauthenticated") == 0);
}

BOOST_AUTO_TEST_CASE(a_sale_refused_for_its_token_is_asked_about_then_sent_once) {
    VivaWorld world;
    world.terminal->client().login();
    world.control("expire-tokens");
    const auto request = world.sale(1240);
    BOOST_TEST(world.terminal->start(request).stage == TerminalStage::Pending);
    // Refused once; under the new token the session was asked about (404), then the sale sent.
    BOOST_TEST(world.stat("unauthenticated") == 1);
    BOOST_TEST(world.stats()["session_posts"][request.reference] == 1);
    BOOST_TEST(world.stat("sessions_created") == 1);
    BOOST_TEST(world.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(refused_credentials_name_the_setting) {
    VivaWorld world;
    VivaSettings wrong = world.settings();
    wrong.clientSecret = "not-the-secret";
    VivaTerminal terminal(wrong, world.clock);
    try {
        terminal.devices();
        BOOST_FAIL("expected a ConfigError");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == "terminal.V1.client_secret");
        BOOST_TEST(std::string(e.what()).find("not-the-secret") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_sale_whose_answer_is_lost_is_found_by_its_reference) {
    VivaWorld world;
    world.terminal->client().login();
    world.fault(Json{{"method", "POST"}, {"path", salePath}, {"kind", "drop_after"}});
    const auto request = world.sale(1240);
    const auto lost = requireThrows<core::TransportError>([&] { world.terminal->start(request); });
    BOOST_TEST(lost.outcomeUnknown());
    // Asked, never sent again.
    BOOST_TEST(world.terminal->query(request.reference).stage != TerminalStage::NotFound);
    BOOST_TEST(world.waitFinal(request.reference).outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.stats()["session_posts"][request.reference] == 1);
    BOOST_TEST(world.stat("sessions_created") == 1);
}

BOOST_AUTO_TEST_CASE(a_sale_that_never_arrived_ends_not_found) {
    // A slower simulated clock: the first question comes well within the grace.
    VivaWorld world({}, 10.0);
    world.terminal->client().login();
    world.fault(Json{{"method", "POST"}, {"path", salePath}, {"kind", "drop_before"}});
    const auto request = world.sale(1240);
    const auto lost = requireThrows<core::TransportError>([&] { world.terminal->start(request); });
    BOOST_TEST(lost.outcomeUnknown());
    // Just sent: a 404 may only mean "not registered yet".
    const TerminalReport early = world.terminal->query(request.reference);
    BOOST_TEST(early.stage == TerminalStage::OnDevice);
    BOOST_TEST(early.networkStatus == "404 not registered yet");
    // Past the grace, and absent from the day's sessions: it never arrived.
    world.server.clock().sleepFor(world.settings().registerGrace + seconds(1));
    const TerminalReport later = world.terminal->query(request.reference);
    BOOST_TEST(later.stage == TerminalStage::NotFound);
    BOOST_TEST(later.message.find("nothing was charged") != std::string::npos);
    BOOST_TEST(world.stat("sessions_created") == 0);
}

BOOST_AUTO_TEST_CASE(another_process_recovers_by_the_reference_alone) {
    VivaWorld world;
    const auto paid = world.sale(1240);
    BOOST_TEST_REQUIRE(world.pay(paid).outcome == PaymentOutcome::Approved);
    // A terminal object that never sent anything (a restarted process).
    VivaTerminal restarted(world.settings(), world.clock);
    const TerminalReport found = restarted.query(paid.reference);
    BOOST_TEST(found.outcome == PaymentOutcome::Approved);
    BOOST_TEST(allDigits(found.ids.transactionId));
    // A reference journaled but never sent: not found at once, nothing charged.
    BOOST_TEST(restarted.query(core::newUuid()).stage == TerminalStage::NotFound);
}

BOOST_AUTO_TEST_CASE(a_session_not_registered_yet_is_never_taken_for_one_that_never_arrived) {
    // Viva answers 404 for the first 10 s of a session; a slower clock keeps the first questions
    // inside that window.
    VivaWorld world({}, 10.0);
    world.control("settings", Json{{"unregistered_for_seconds", 10}});
    const auto request = world.sale(1240);
    world.terminal->start(request);
    // This process sent it and Viva accepted it: pending.
    const TerminalReport early = world.terminal->query(request.reference);
    BOOST_TEST(early.stage == TerminalStage::OnDevice);
    BOOST_TEST(early.networkStatus == "404 not registered yet");
    // A restarted process knows only the reference: it waits out the grace and asks again.
    VivaTerminal restarted(world.settings(), world.clock);
    const TerminalReport recovered = restarted.query(request.reference);
    BOOST_TEST(recovered.stage != TerminalStage::NotFound, recovered.message);
    BOOST_TEST(world.waitFinal(request.reference, seconds(90), &restarted).outcome ==
               PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(sessions_of_the_day) {
    VivaWorld world;
    const auto first = world.sale(1240);
    const auto second = world.sale(999);
    world.pay(first);
    world.pay(second);
    const std::string today = core::utcIso8601(world.server.clock().now()).substr(0, 10);
    const auto sessions = world.terminal->client().sessionsOfDay(today);
    BOOST_TEST_REQUIRE(sessions.size() == 2U);
    BOOST_TEST(sessions[0].sessionId == first.reference);
    BOOST_TEST(sessions[0].success.value());
    BOOST_TEST(sessions[0].merchantReference == "fiscpos:" + first.reference);
    BOOST_TEST(!sessions[1].success.value());
    BOOST_TEST(world.terminal->client().sessionsOfDay("2001-01-01").empty());
}

BOOST_AUTO_TEST_CASE(webhooks_name_our_payment_in_exact_euros) {
    VivaWorld world;
    world.control("webhooks", Json{{"url", world.server.baseUrl() + "/erp-webhook?token=t"}});
    const auto request = world.sale(1240);
    BOOST_TEST_REQUIRE(world.pay(request).outcome == PaymentOutcome::Approved);
    // Deliveries leave on the simulator's timer: wait for the two (1796 and 1802), with a bound.
    const milliseconds until = world.server.clock().elapsed() + seconds(30);
    while (world.hooks->count() < 2U && world.server.clock().elapsed() < until) {
        world.server.clock().sleepFor(milliseconds(200));
    }
    BOOST_TEST_REQUIRE(world.hooks->count() >= 2U);
    bool payment = false;
    bool session = false;
    for (const Json& received : world.hooks->received()) {
        const WebhookEvent event = parseWebhookEvent(core::dumpJson(received));
        BOOST_TEST(!event.messageId.empty());
        BOOST_TEST(event.reference.value_or("") == request.reference);
        if (event.kind == WebhookKind::PaymentCreated) {
            payment = true;
            BOOST_TEST(event.amount.value().cents() == 1240);
            BOOST_TEST(event.statusId == "F");
        } else if (event.kind == WebhookKind::EcrSessionCreated) {
            session = true;
        }
    }
    BOOST_TEST(payment);
    BOOST_TEST(session);
    // The verification key comes from the legacy host with the Merchant ID and API key.
    LegacyClient legacy(world.settings());
    BOOST_TEST(legacy.webhookKey() == fiscpos::test::viva_defaults::webhookKey);
    VivaSettings wrong = world.settings();
    wrong.apiKey = "wrong";
    LegacyClient refused(wrong);
    requireFieldError<core::ConfigError>([&] { refused.webhookKey(); }, "terminal.V1.api_key");
}

BOOST_AUTO_TEST_CASE(exchanges_reach_the_observer_without_secrets_in_errors) {
    VivaWorld world;
    std::vector<core::HttpExchange> seen;
    world.terminal->observe(
        [&seen](const core::HttpExchange& exchange) { seen.push_back(exchange); });
    world.pay(world.sale(1240));
    BOOST_TEST_REQUIRE(seen.size() >= 3U); // token, sale, at least one poll
    BOOST_TEST(seen[0].url.find("/viva-accounts/connect/token") != std::string::npos);
    BOOST_TEST(seen[0].requestBody == "grant_type=client_credentials");
    BOOST_TEST(seen[1].url.find("transactions:sale") != std::string::npos);
    BOOST_TEST(seen[1].status == 200);
    BOOST_TEST(seen[1].responseBody.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(viva_promises)

BOOST_AUTO_TEST_CASE(a_session_reported_failed_that_later_succeeds_is_reported_approved) {
    // 17.96: the session ends success:false "Invalid card"; the customer's retry is charged
    // `lateSuccessAfter` (20 s) later and the same session turns into success:true.
    VivaWorld world;
    const auto request = world.sale(1796);
    BOOST_TEST(world.pay(request).outcome != PaymentOutcome::Approved);
    // Within the time a decline may still turn (asked again, as reconcile does) ...
    BOOST_TEST((world.terminal->traits().declineMayTurnWithin >= seconds(60)));
    world.server.clock().sleepFor(seconds(25));
    // ... the same reference now reports the approval, with its ids.
    const TerminalReport later = world.terminal->query(request.reference);
    BOOST_TEST(later.outcome == PaymentOutcome::Approved);
    BOOST_TEST(!later.ids.transactionId.empty());
}

BOOST_AUTO_TEST_CASE(a_token_refused_just_after_it_was_issued_is_replaced_once) {
    VivaWorld world;
    world.fault(Json{{"method", "POST"},
                     {"path", "/viva-api/ecr/v1/devices:search"},
                     {"kind", "status"},
                     {"status", 401},
                     {"body", Json{{"detail", "Could not validate credentials"}}}});
    BOOST_TEST(world.terminal->devices().size() == 2U);
    BOOST_TEST(world.terminal->client().tokensIssued() == 2U);
}

BOOST_AUTO_TEST_CASE(admit_refuses_what_the_cloud_api_cannot_carry_before_anything_is_sent) {
    VivaWorld world;
    auto request = world.sale(1240);
    request.preauth = true;
    request.tip = core::Money::fromCents(100);
    try {
        world.terminal->admit(request);
        BOOST_FAIL("a pre-authorisation with a tip was admitted");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "tip");
    }
    auto refund = world.sale(1240);
    refund.kind = core::PaymentKind::Refund;
    refund.instalments = 3;
    BOOST_CHECK_THROW(world.terminal->admit(refund), core::InputError);
    BOOST_TEST(world.stat("sessions_created") == 0);
    BOOST_TEST(!world.terminal->traits().carriesCustomerContact);
}

BOOST_AUTO_TEST_SUITE_END()
