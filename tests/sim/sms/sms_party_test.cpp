// The simulated SMS gateways over real HTTP on loopback, driven with raw requests: their
// authentication, the shapes they refuse, Yuboto cutting a text sent without longsms, its
// delivery report moving on simulated time, Routee's token and body analysis, the control
// endpoints, reset, and fiscpos-sim's options and help for both.
#include "core/basic_authorization.hpp"
#include "core/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sms_sim.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using core::Json;
using test::exampleSms;

namespace {

struct RawSim : test::SmsSim {
    using test::SmsSim::SmsSim;

    core::HttpResponse yuboto(const std::string& path, const Json& body,
                              const std::string& key = "sim-yuboto-key") {
        core::HttpRequest request = core::HttpRequest::json("POST", "/sms/yuboto" + path, body);
        request.header("Authorization", core::basicAuthorization(key));
        return http->send(request);
    }
    core::HttpResponse routee(const std::string& path, const Json& body,
                              const std::string& bearer) {
        core::HttpRequest request = core::HttpRequest::json("POST", "/sms/routee" + path, body);
        if (!bearer.empty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http->send(request);
    }
    core::HttpResponse routeeToken(const std::string& secret,
                                   const std::string& form = "grant_type=client_credentials") {
        core::HttpRequest request;
        request.method = "POST";
        request.target = "/sms/routee/oauth/token";
        request.contentType = "application/x-www-form-urlencoded";
        request.body = form;
        request.header("Authorization", core::basicAuthorization("sim-routee-app", secret));
        return http->send(request);
    }
};

Json yubotoSend(const std::string& numbers, const std::string& text, const std::string& type,
                bool longsms) {
    return Json{
        {"phonenumbers", numbers},
        {"option1", "ref-1"},
        {"sms", {{"sender", "KAFEALFA"}, {"text", text}, {"typesms", type}, {"longsms", longsms}}}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(sms_sim)

BOOST_AUTO_TEST_CASE(yuboto_takes_a_message_and_refuses_what_it_would_not) {
    RawSim sim;
    const auto taken = sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", "Hi", "sms", false));
    BOOST_TEST_REQUIRE(taken.status == 200, taken.body);
    const Json answer = taken.json("Send");
    BOOST_TEST(answer["ErrorCode"] == 0);
    BOOST_TEST(answer["Message"][0]["status"] == "Submitted");
    BOOST_TEST(answer["Message"][0]["phonenumber"] == "306912345678");

    BOOST_TEST(
        sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", "Hi", "sms", false), "bad").status ==
        401);
    const auto plus = sim.yuboto("/omni/v1/Send", yubotoSend("+306912345678", "Hi", "sms", false));
    BOOST_TEST(plus.status == 400);
    BOOST_TEST(plus.json("Send")["ErrorCode"] == 5);
    BOOST_TEST(sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", "", "sms", false)).status ==
               400);
    BOOST_TEST(sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", "Hi", "mms", false)).status ==
               400);
    Json noCallback = yubotoSend("306912345678", "Hi", "sms", false);
    noCallback["dlr"] = true;
    BOOST_TEST(sim.yuboto("/omni/v1/Send", noCallback).status == 400);
    BOOST_TEST(sim.call("GET", "/sms/yuboto/omni/v1/Send").status == 405);

    BOOST_TEST(sim.stat("yuboto", "sms_sent") == 1);
    BOOST_TEST(sim.stat("yuboto", "sms_refused") == 5);
    BOOST_TEST(sim.stat("yuboto", "unauthenticated") == 1);
    BOOST_TEST(sim.messages("yuboto").size() == 1U);
}

BOOST_AUTO_TEST_CASE(yuboto_cuts_a_long_text_sent_without_longsms) {
    RawSim sim;
    BOOST_TEST(
        sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", exampleSms, "unicode", false)).ok());
    BOOST_TEST(
        sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", exampleSms, "unicode", true)).ok());
    const Json kept = sim.messages("yuboto");
    BOOST_TEST_REQUIRE(kept.size() == 2U);
    BOOST_TEST(kept[0]["text"] == exampleSms.substr(0, exampleSms.size() - 1)); // 70 of 71
    BOOST_TEST(kept[0]["parts"] == 1);
    BOOST_TEST(kept[1]["text"] == exampleSms);
    BOOST_TEST(kept[1]["parts"] == 2);
    BOOST_TEST(kept[1]["unicode"] == true);
}

BOOST_AUTO_TEST_CASE(yuboto_reports_delivery_on_simulated_time) {
    sim::sms::YubotoPartyOptions yuboto;
    yuboto.deliverAfter = std::chrono::hours(1);
    RawSim sim(yuboto, {}, 2000.0); // an hour passes in 1.8 s
    const std::string id =
        sim.yuboto("/omni/v1/Send", yubotoSend("306912345678", "Hi", "sms", false))
            .json("Send")["Message"][0]["id"];
    const Json before = sim.yuboto("/omni/v1/Dlr", Json{{"id", id}}).json("Dlr");
    BOOST_TEST(before["dlr"][0]["status"] == "Sent");
    BOOST_TEST(before["dlr"][0]["dlrDate"].is_null());
    BOOST_TEST_REQUIRE(sim.server.clock().sleepFor(std::chrono::hours(1)));
    const Json after = sim.yuboto("/omni/v1/Dlr", Json{{"id", id}}).json("Dlr");
    BOOST_TEST(after["dlr"][0]["status"] == "Delivered");
    BOOST_TEST(after["dlr"][0]["dlrDate"].is_string());
    BOOST_TEST(sim.yuboto("/omni/v1/Dlr", Json{{"id", "nope"}}).json("Dlr")["ErrorCode"] != 0);
    BOOST_TEST(sim.yuboto("/omni/v1/Dlr", Json{{"id", id}}, "bad").status == 401);
    BOOST_TEST(sim.stat("yuboto", "dlr_queries") == 3);
}

BOOST_AUTO_TEST_CASE(routee_issues_tokens_to_its_application_only) {
    RawSim sim;
    const auto token = sim.routeeToken("sim-routee-secret");
    BOOST_TEST_REQUIRE(token.status == 200, token.body);
    const Json issued = token.json("token");
    BOOST_TEST(issued["token_type"] == "bearer");
    BOOST_TEST(issued["expires_in"] == 3600);
    const auto refused = sim.routeeToken("wrong");
    BOOST_TEST(refused.status == 401);
    BOOST_TEST(refused.json("token")["error"] == "invalid_client");
    BOOST_TEST(sim.routeeToken("sim-routee-secret", "grant_type=password").status == 400);
    BOOST_TEST(sim.stat("routee", "token_logins") == 1);
    BOOST_TEST(sim.stat("routee", "login_failures") == 2);

    const std::string access = issued["access_token"];
    const Json body{
        {"body", exampleSms}, {"to", "+306912345678"}, {"from", "KAFEALFA"}, {"label", "ref-1"}};
    BOOST_TEST(sim.routee("/sms", body, "").status == 401);
    BOOST_TEST(sim.routee("/sms", body, access + "x").status == 401);
    const auto taken = sim.routee("/sms", body, access);
    BOOST_TEST_REQUIRE(taken.status == 200, taken.body);
    const Json answer = taken.json("sms");
    BOOST_TEST(answer["status"] == "Queued");
    BOOST_TEST(answer["label"] == "ref-1");
    BOOST_TEST(answer["bodyAnalysis"]["unicode"] == true);
    BOOST_TEST(answer["bodyAnalysis"]["characters"] == 71);
    BOOST_TEST(answer["bodyAnalysis"]["parts"] == 2);

    Json noPlus = body;
    noPlus["to"] = "306912345678";
    BOOST_TEST(sim.routee("/sms", noPlus, access).json("sms")["property"] == "to");
    Json badCallback = body;
    badCallback["callback"] = {{"url", "https://erp.example.gr/dlr"}, {"strategy", "Always"}};
    BOOST_TEST(sim.routee("/sms", badCallback, access).status == 400);
    BOOST_TEST(sim.stat("routee", "sms_sent") == 1);
    BOOST_TEST(sim.stat("routee", "sms_refused") == 4);
}

BOOST_AUTO_TEST_CASE(routee_tokens_expire_when_told_and_reset_forgets_everything) {
    RawSim sim;
    const std::string access = sim.routeeToken("sim-routee-secret").json("token")["access_token"];
    const Json body{{"body", "Hi"}, {"to", "+306912345678"}, {"from", "KAFEALFA"}};
    BOOST_TEST(sim.routee("/sms", body, access).status == 200);
    BOOST_TEST(sim.ok("POST", "/sms/routee/_control/expire-tokens", Json::object())["expired"] ==
               1);
    BOOST_TEST(sim.routee("/sms", body, access).status == 401);
    BOOST_TEST(sim.stat("routee", "unauthenticated") == 1);

    sim.ok("POST", "/_sim/reset", Json::object());
    BOOST_TEST(sim.messages("routee").empty());
    BOOST_TEST(sim.stat("routee", "sms_sent") == 0);
    BOOST_TEST(sim.call("POST", "/sms/routee/_control/nothing", Json::object()).status == 404);
    BOOST_TEST(sim.call("POST", "/sms/routee/_control/messages", Json::object()).status == 405);
    BOOST_TEST(sim.call("POST", "/sms/routee/_control/refuse", Json{{"count", -1}}).status == 400);
}

BOOST_AUTO_TEST_CASE(fiscpos_sim_offers_both_gateways) {
    const auto binary = test::binaryDir() / "sim" / "fiscpos-sim";
    const test::ProcessResult help = test::runProcess(binary, {"--help"});
    BOOST_TEST(help.exitCode == 0);
    for (const char* option :
         {"--yuboto-api-key", "--yuboto-deliver-after", "--routee-app-id", "--routee-app-secret",
          "--routee-token-lifetime", "/sms/yuboto/_control/messages",
          "/sms/routee/_control/expire-tokens"}) {
        BOOST_TEST(help.out.find(option) != std::string::npos, option);
    }
    const std::string key = test::mellonPrivateKey().string();
    for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
             {"routee-token-lifetime", "0"}, {"yuboto-deliver-after", "soon"}}) {
        const test::ProcessResult run = test::runProcess(
            binary, {"--provider-key", key, "--listen", "127.0.0.1:0", "--" + option, value});
        BOOST_TEST(run.exitCode == 1, option);
        BOOST_TEST(run.err.find(option.substr(0, option.find('-'))) != std::string::npos, run.err);
    }
}

BOOST_AUTO_TEST_SUITE_END()
