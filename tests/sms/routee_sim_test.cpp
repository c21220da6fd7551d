// The Routee gateway against the simulated Routee over real loopback HTTP: the client-credentials
// token, the message as Routee wants it, one token for many messages, an expired token replaced
// once (the message sent again only because the refusal proves it was not taken), refusals, and
// the outcomes that stay unknown. Secrets never reach what the journal keeps of the exchanges.
#include "core/basic_authorization.hpp"
#include "core/http_client.hpp"
#include "plugin/journal/journal_event.hpp"
#include "plugin/journal/redaction.hpp"
#include "sms/routee/routee_gateway.hpp"
#include "sms/sms_gateway.hpp"
#include "tests/support/field_error.hpp"
#include "tests/support/sms_sim.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace fiscpos;
using core::Json;
using test::exampleSms;

namespace {

sms::SmsMessage message(std::string reference = "R-01J8Z3.sms-1",
                        std::string to = "+306912345678") {
    return {std::move(to), exampleSms, std::move(reference)};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(routee_gateway)

BOOST_AUTO_TEST_CASE(a_token_then_the_message_as_routee_wants_it) {
    test::SmsSim sim;
    test::Exchanges exchanges;
    const sms::SmsAccepted accepted = sim.gateway("routee")->send(message(), exchanges.record());

    const Json kept = sim.messages("routee");
    BOOST_TEST_REQUIRE(kept.size() == 1U);
    BOOST_TEST(accepted.gatewayId == kept[0]["id"].get<std::string>());
    BOOST_TEST(accepted.status == "Queued");
    BOOST_TEST(accepted.parts == 2); // Routee's bodyAnalysis agrees with fiscpos's count
    BOOST_TEST(kept[0]["to"] == "+306912345678");
    BOOST_TEST(kept[0]["text"] == exampleSms);
    BOOST_TEST(kept[0]["reference"] == "R-01J8Z3.sms-1");
    BOOST_TEST(sim.stat("routee", "token_logins") == 1);
    BOOST_TEST(sim.stat("routee", "sms_sent") == 1);

    BOOST_TEST_REQUIRE(exchanges.seen.size() == 2U); // the token, then the message
    const core::HttpExchange& token = exchanges.seen[0];
    BOOST_TEST(token.url == sim.server.baseUrl() + "/sms/routee/oauth/token");
    BOOST_TEST(token.requestBody == "grant_type=client_credentials");
    const core::HttpExchange& sent = exchanges.seen[1];
    BOOST_TEST(sent.url == sim.server.baseUrl() + "/sms/routee/sms");
    const Json body = core::parseJson(sent.requestBody, "body", core::JsonOrigin::Input);
    BOOST_TEST(body == (Json{{"body", exampleSms},
                             {"to", "+306912345678"},
                             {"from", "KAFEALFA"},
                             {"label", "R-01J8Z3.sms-1"}}));
}

BOOST_AUTO_TEST_CASE(secrets_never_reach_the_kept_exchanges) {
    test::SmsSim sim;
    test::Exchanges exchanges;
    sim.gateway("routee")->send(message(), exchanges.record());
    BOOST_TEST_REQUIRE(exchanges.seen.size() == 2U);
    const core::HttpExchange& token = exchanges.seen[0];
    const std::string access =
        core::parseJson(token.responseBody, "token", core::JsonOrigin::Input)["access_token"];
    BOOST_TEST(token.secretFields == std::vector<std::string>{"access_token"});
    for (const auto& exchange : exchanges.seen) {
        const auto kept = plugin::EventRecord::fromExchange("receipt.sms", exchange);
        const std::string headers = plugin::redactHeaders(exchange.requestHeaders);
        const std::string basic =
            core::basicAuthorization("sim-routee-app", "sim-routee-secret").substr(6);
        for (const std::string& secret : {std::string("sim-routee-secret"), basic, access}) {
            BOOST_TEST(!has(kept.requestBody.value_or(""), secret));
            BOOST_TEST(!has(kept.responseBody.value_or(""), secret));
            BOOST_TEST(!has(kept.url.value_or(""), secret));
            BOOST_TEST(!has(headers, secret), headers);
        }
        // What was removed: Basic base64(app id:secret) and the bearer token.
        BOOST_TEST(has(headers, "Authorization: [redacted]"), headers);
    }
    // The bearer token travelled in its header, and only there.
    const auto& headers = exchanges.seen[1].requestHeaders;
    BOOST_TEST(
        std::count(headers.begin(), headers.end(),
                   std::pair<std::string, std::string>("Authorization", "Bearer " + access)) == 1);
}

BOOST_AUTO_TEST_CASE(one_token_serves_many_messages) {
    test::SmsSim sim;
    const auto gateway = sim.gateway("routee");
    for (const char* to : {"+306912345671", "+306912345672", "+306912345673"}) {
        gateway->send(message(std::string("r-") + (to + 1), to));
    }
    BOOST_TEST(sim.stat("routee", "token_logins") == 1);
    const Json kept = sim.messages("routee");
    BOOST_TEST_REQUIRE(kept.size() == 3U);
    BOOST_TEST(kept[2]["to"] == "+306912345673");
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_replaced_once_and_the_message_sent_once) {
    test::SmsSim sim;
    const auto gateway = sim.gateway("routee");
    gateway->send(message("r1"));
    sim.ok("POST", "/sms/routee/_control/expire-tokens", Json::object());

    test::Exchanges exchanges;
    const auto accepted = gateway->send(message("r2", "+306912345679"), exchanges.record());
    // Refused (401: not taken), a new token, the message again, taken.
    BOOST_TEST_REQUIRE(exchanges.seen.size() == 3U);
    BOOST_TEST(exchanges.seen[0].status == 401);
    BOOST_TEST(has(exchanges.seen[1].url, "/oauth/token"));
    BOOST_TEST(exchanges.seen[2].status == 200);
    BOOST_TEST(sim.stat("routee", "token_logins") == 2);
    BOOST_TEST(sim.stat("routee", "unauthenticated") == 1);
    const Json kept = sim.messages("routee");
    BOOST_TEST_REQUIRE(kept.size() == 2U); // exactly one per recipient
    BOOST_TEST(kept[1]["to"] == "+306912345679");
    BOOST_TEST(accepted.gatewayId == kept[1]["id"].get<std::string>());
}

BOOST_AUTO_TEST_CASE(a_token_refused_again_is_a_refusal_not_a_loop) {
    test::SmsSim sim;
    // Every send refused with 401, as a token without the SMS permission would be.
    sim.ok("POST", "/sms/routee/_control/refuse", Json{{"count", 5}, {"status", 401}});
    test::Exchanges exchanges;
    try {
        sim.gateway("routee")->send(message(), exchanges.record());
        BOOST_FAIL("expected SmsRefused");
    } catch (const sms::SmsRefused& e) {
        BOOST_TEST(e.status() == 401);
    }
    BOOST_TEST(exchanges.seen.size() == 4U); // token, send, token, send: once more, no more
    BOOST_TEST(sim.messages("routee").empty());
}

BOOST_AUTO_TEST_CASE(a_refusal_is_safe_to_send_again) {
    test::SmsSim sim;
    sim.ok("POST", "/sms/routee/_control/refuse",
           Json{{"status", 429}, {"code", "429000000"}, {"message", "Too many requests"}});
    const auto gateway = sim.gateway("routee");
    try {
        gateway->send(message());
        BOOST_FAIL("expected SmsRefused");
    } catch (const sms::SmsRefused& e) {
        BOOST_TEST(e.status() == 429);
        BOOST_TEST(e.reason() == "429 code 429000000: Too many requests");
    }
    BOOST_TEST(sim.stat("routee", "sms_refused") == 1);
    gateway->send(message());
    BOOST_TEST(sim.messages("routee").size() == 1U);
}

BOOST_AUTO_TEST_CASE(refused_credentials_name_the_setting_and_send_nothing) {
    test::SmsSim sim;
    const auto settings = core::Config::fromText(
        "[sms]\ngateway = routee\nsender = KAFEALFA\napp_id = sim-routee-app\napp_secret = "
        "wrong\nurl = " +
        sim.server.baseUrl() + "/sms/routee\ntoken_url = " + sim.server.baseUrl() +
        "/sms/routee/oauth/token\n");
    test::requireFieldError<core::ConfigError>(
        [&] { sms::smsGatewayFromConfig(settings, {})->send(message()); }, "sms.app_secret",
        "refused app_id and app_secret");
    BOOST_TEST(sim.stat("routee", "login_failures") == 1);
    BOOST_TEST(sim.stat("routee", "sms_sent") + sim.stat("routee", "sms_refused") == 0);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_or_a_5xx_is_unknown_though_it_was_sent) {
    test::SmsSim sim;
    const auto gateway = sim.gateway("routee");
    sim.fault(Json{{"path", "/sms/routee/sms"}, {"kind", "drop_after"}});
    try {
        gateway->send(message("r1"));
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.stat("routee", "sms_sent") == 1);

    sim.fault(
        Json{{"path", "/sms/routee/sms"}, {"kind", "status"}, {"status", 502}, {"apply", true}});
    BOOST_CHECK_THROW(gateway->send(message("r2")), sms::SmsOutcomeUnknown);
    BOOST_TEST(sim.stat("routee", "sms_sent") == 2);

    sim.fault(Json{{"path", "/sms/routee/sms"},
                   {"kind", "status"},
                   {"status", 200},
                   {"body", Json{{"status", "Queued"}}}});
    try {
        gateway->send(message("r3"));
        BOOST_FAIL("expected SmsOutcomeUnknown");
    } catch (const sms::SmsOutcomeUnknown& e) {
        BOOST_TEST(has(e.what(), "trackingId"), e.what());
    }
    BOOST_TEST(sim.messages("routee").size() == 2U);
}

BOOST_AUTO_TEST_CASE(a_token_service_that_fails_sends_nothing) {
    test::SmsSim sim;
    sim.fault(Json{
        {"path", "/sms/routee/oauth/token"}, {"kind", "status"}, {"status", 503}, {"count", 2}});
    try {
        sim.gateway("routee")->send(message());
        BOOST_FAIL("expected SmsRefused");
    } catch (const sms::SmsRefused& e) {
        BOOST_TEST(e.status() == 503);
    }
    sim.fault(Json{{"path", "/sms/routee/oauth/token"}, {"kind", "drop_before"}, {"count", 2}});
    try {
        sim.gateway("routee")->send(message());
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
    }
    BOOST_TEST(sim.stat("routee", "requests") == 4);
    BOOST_TEST(sim.messages("routee").empty());
}

BOOST_AUTO_TEST_SUITE_END()
