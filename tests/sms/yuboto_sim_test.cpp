// The Yuboto gateway against the simulated Yuboto OMNI over real loopback HTTP: what it sends, the
// message the gateway keeps, and each outcome the receipt outbox acts on — accepted, refused
// (safe to send again), and sent-or-not-unknown (a lost answer, a 5xx, an answer without an id).
#include "core/http_client.hpp"
#include "sms/sms_gateway.hpp"
#include "sms/yuboto/yuboto_gateway.hpp"
#include "tests/support/field_error.hpp"
#include "tests/support/sms_sim.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using core::Json;
using test::exampleSms;

namespace {

sms::SmsMessage message(std::string reference = "R-01J8Z3.sms-1", std::string text = exampleSms) {
    return {"+306912345678", std::move(text), std::move(reference)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(yuboto_gateway)

BOOST_AUTO_TEST_CASE(an_accepted_message_is_sent_once_as_yuboto_wants_it) {
    test::SmsSim sim;
    test::Exchanges exchanges;
    const sms::SmsAccepted accepted = sim.gateway("yuboto")->send(message(), exchanges.record());

    const Json kept = sim.messages("yuboto");
    BOOST_TEST_REQUIRE(kept.size() == 1U);
    BOOST_TEST(accepted.gatewayId == kept[0]["id"].get<std::string>());
    BOOST_TEST(accepted.status == "Submitted");
    BOOST_TEST(accepted.parts == 2);
    BOOST_TEST(kept[0]["to"] == "306912345678");
    BOOST_TEST(kept[0]["text"] == exampleSms); // longsms: nothing cut
    BOOST_TEST(kept[0]["reference"] == "R-01J8Z3.sms-1");
    BOOST_TEST(kept[0]["unicode"] == true);
    BOOST_TEST(kept[0]["parts"] == 2);
    BOOST_TEST(kept[0]["callback_url"].is_null());
    BOOST_TEST(sim.stat("yuboto", "sms_sent") == 1);
    BOOST_TEST(sim.stat("yuboto", "sms_refused") == 0);

    BOOST_TEST_REQUIRE(exchanges.seen.size() == 1U);
    const core::HttpExchange& sent = exchanges.seen.front();
    BOOST_TEST(sent.method == "POST");
    BOOST_TEST(sent.url == sim.server.baseUrl() + "/sms/yuboto/omni/v1/Send");
    const Json body = core::parseJson(sent.requestBody, "body", core::JsonOrigin::Input);
    BOOST_TEST(body["phonenumbers"] == "306912345678");
    BOOST_TEST(body["option1"] == "R-01J8Z3.sms-1");
    BOOST_TEST(body["dlr"] == false);
    BOOST_TEST(!body.contains("callbackUrl"));
    BOOST_TEST(body["sms"]["sender"] == "KAFEALFA");
    BOOST_TEST(body["sms"]["typesms"] == "unicode");
    BOOST_TEST(body["sms"]["longsms"] == true);
    // The key travels only in the Authorization header, never in a body or URL.
    BOOST_TEST(sent.requestBody.find("sim-yuboto-key") == std::string::npos);
    BOOST_TEST(sent.responseBody.find("sim-yuboto-key") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(greek_capitals_travel_as_one_gsm7_part_with_a_delivery_callback) {
    test::SmsSim sim;
    test::Exchanges exchanges;
    const auto accepted =
        sim.gateway("yuboto",
                    "encoding = gsm7-greek-caps\ncallback_url = http://127.0.0.1:9/dlr/t0k3n\n")
            ->send(message(), exchanges.record());
    BOOST_TEST(accepted.parts == 1);
    const Json kept = sim.messages("yuboto");
    BOOST_TEST_REQUIRE(kept.size() == 1U);
    BOOST_TEST(kept[0]["text"] ==
               "KAΦE AΛΦA: AΠOΔEIΞH R-9, 12,40€ ME KAPTA: https://iview.gr/i/01J8Z3K9Q2");
    BOOST_TEST(kept[0]["unicode"] == false);
    BOOST_TEST(kept[0]["parts"] == 1);
    BOOST_TEST(kept[0]["callback_url"] == "http://127.0.0.1:9/dlr/t0k3n");
    const Json body =
        core::parseJson(exchanges.seen.at(0).requestBody, "body", core::JsonOrigin::Input);
    BOOST_TEST(body["sms"]["typesms"] == "sms");
    BOOST_TEST(body["sms"]["longsms"] == false);
    BOOST_TEST(body["dlr"] == true);
    BOOST_TEST(body["callbackUrl"] == "http://127.0.0.1:9/dlr/t0k3n");
}

BOOST_AUTO_TEST_CASE(a_message_that_cannot_go_is_refused_before_any_call) {
    test::SmsSim sim;
    const auto gateway = sim.gateway("yuboto", "max_parts = 1\n");
    test::Exchanges exchanges;
    test::requireFieldError<core::InputError>([&] { gateway->send(message(), exchanges.record()); },
                                              "sms.text", "2 SMS parts");
    test::requireFieldError<core::InputError>(
        [&] {
            gateway->send({"2101234567", "ok", "r1"}, exchanges.record());
        },
        "sms.to");
    test::requireFieldError<core::InputError>(
        [&] {
            gateway->send({"+306912345678", "ok", "r 1"}, exchanges.record());
        },
        "sms.reference");
    test::requireFieldError<core::InputError>(
        [&] {
            gateway->send({"+306912345678", "ok", std::string(41, 'r')}, exchanges.record());
        },
        "sms.reference");
    test::requireFieldError<core::InputError>(
        [&] {
            gateway->send({"+306912345678", "", "r1"}, exchanges.record());
        },
        "sms.text");
    BOOST_TEST(exchanges.seen.empty());
    BOOST_TEST(sim.stat("yuboto", "sms_sent") + sim.stat("yuboto", "sms_refused") == 0);
}

BOOST_AUTO_TEST_CASE(an_error_code_is_a_refusal_and_sending_again_is_safe) {
    test::SmsSim sim;
    sim.ok("POST", "/sms/yuboto/_control/refuse",
           Json{{"error_code", 34}, {"message", "Invalid sender"}});
    const auto gateway = sim.gateway("yuboto");
    try {
        gateway->send(message());
        BOOST_FAIL("expected SmsRefused");
    } catch (const sms::SmsRefused& e) {
        BOOST_TEST(e.code() == "sms_refused");
        BOOST_TEST(e.status() == 200);
        BOOST_TEST(e.reason() == "ErrorCode 34: Invalid sender");
        BOOST_TEST(std::string(e.what()).find("sending it again is safe") != std::string::npos);
    }
    BOOST_TEST(sim.stat("yuboto", "sms_refused") == 1);
    BOOST_TEST(sim.messages("yuboto").empty());

    gateway->send(message());
    BOOST_TEST(sim.messages("yuboto").size() == 1U);
    BOOST_TEST(sim.stat("yuboto", "sms_sent") == 1);
}

BOOST_AUTO_TEST_CASE(a_wrong_key_is_refused_with_its_status) {
    test::SmsSim sim;
    const auto settings = core::Config::fromText(
        "[sms]\ngateway = yuboto\nsender = KAFEALFA\napi_key = other-key\nurl = " +
        sim.server.baseUrl() + "/sms/yuboto\n");
    const auto gateway = sms::smsGatewayFromConfig(settings, {});
    try {
        gateway->send(message());
        BOOST_FAIL("expected SmsRefused");
    } catch (const sms::SmsRefused& e) {
        BOOST_TEST(e.status() == 401);
    }
    BOOST_TEST(sim.stat("yuboto", "unauthenticated") == 1);
    BOOST_TEST(sim.messages("yuboto").empty());
}

BOOST_AUTO_TEST_CASE(a_lost_answer_leaves_the_outcome_unknown_though_it_was_sent) {
    test::SmsSim sim;
    sim.fault(Json{{"path", "/sms/yuboto/omni/v1/Send"}, {"kind", "drop_after"}});
    try {
        sim.gateway("yuboto")->send(message());
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.stat("yuboto", "sms_sent") == 1);
    BOOST_TEST(sim.messages("yuboto").size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_5xx_or_an_answer_without_an_id_is_unknown) {
    test::SmsSim sim;
    const auto gateway = sim.gateway("yuboto");
    // Taken, then 503.
    sim.fault(Json{{"path", "/sms/yuboto/omni/v1/Send"},
                   {"kind", "status"},
                   {"status", 503},
                   {"apply", true}});
    BOOST_CHECK_THROW(gateway->send(message("r1")), sms::SmsOutcomeUnknown);
    BOOST_TEST(sim.stat("yuboto", "sms_sent") == 1);
    // 200 that is not JSON.
    sim.fault(Json{{"path", "/sms/yuboto/omni/v1/Send"}, {"kind", "malformed"}});
    BOOST_CHECK_THROW(gateway->send(message("r2")), sms::SmsOutcomeUnknown);
    // 200 with ErrorCode 0 and no message id.
    sim.fault(Json{{"path", "/sms/yuboto/omni/v1/Send"},
                   {"kind", "status"},
                   {"status", 200},
                   {"body", Json{{"ErrorCode", 0}, {"Message", Json::array()}}}});
    try {
        gateway->send(message("r3"));
        BOOST_FAIL("expected SmsOutcomeUnknown");
    } catch (const sms::SmsOutcomeUnknown& e) {
        BOOST_TEST(e.code() == "sms_unknown");
        BOOST_TEST(std::string(e.what()).find("answer.Message") != std::string::npos, e.what());
    }
    BOOST_TEST(sim.messages("yuboto").size() == 1U);
}

BOOST_AUTO_TEST_CASE(no_connection_means_nothing_was_sent) {
    const auto settings = core::Config::fromText(
        "[sms]\ngateway = yuboto\nsender = KAFEALFA\napi_key = k\nurl = http://127.0.0.1:1/y\n");
    core::HttpOptions http;
    http.connectAttempts = 1;
    try {
        sms::smsGatewayFromConfig(settings, http)->send(message());
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
    }
}

BOOST_AUTO_TEST_SUITE_END()
