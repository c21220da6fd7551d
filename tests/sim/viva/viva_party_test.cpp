// The simulated Viva network over real HTTP on loopback: OAuth2 tokens and their expiry, devices,
// sales answered with an empty 200 and then 202 until the session's outcome, the terminal's AADE
// check, the scenario amounts, a busy terminal, aborts, refunds, pre-authorisations, sessions of a
// day, webhook deliveries (duplicates, omissions, retries, verification), the legacy Orders flow,
// injected faults, and fiscpos-sim's --viva-* options. Simulated time runs fast (time scale) and
// waits poll with a bound on the simulator's clock.
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "signing/ecdsa.hpp"
#include "signing/local_signer.hpp"
#include "signing/signature_text.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/viva/viva_parties.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sim_fixture.hpp"
#include "tests/support/viva_sim.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <functional>
#include <map>
#include <set>

using namespace fiscpos;
using core::Json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr const char* ecr = "/viva-api/ecr/v1";
constexpr const char* tid1 = "16000010";
constexpr const char* tid2 = "16000011";
constexpr const char* serial1 = "0820160010";

std::string basic(const std::string& user, const std::string& password) {
    const std::string pair = user + ":" + password;
    return "Basic " + signing::toBase64(signing::Bytes(pair.begin(), pair.end()));
}

core::HttpRequest formRequest(const std::string& target, const std::string& form) {
    return core::HttpRequest{"POST", target, {}, form, "application/x-www-form-urlencoded", {}};
}

bool isDigits(const Json& value, std::size_t length) {
    if (!value.is_string()) {
        return false;
    }
    const std::string text = value.get<std::string>();
    return text.size() == length && text.find_first_not_of("0123456789") == std::string::npos;
}

bool isUuid(const Json& value) {
    return value.is_string() && value.get<std::string>().size() == 36 &&
           value.get<std::string>()[14] == '4';
}

std::string detailOf(const core::HttpResponse& response) {
    const Json body = response.json("error");
    return body.value("detail", std::string());
}

// Timing with a long completion, for tests that must see a session still processing.
sim::VivaSimOptions slowPayments(seconds completeAfter = seconds(300)) {
    sim::VivaSimOptions options;
    options.merchant.timing.completeAfter = completeAfter;
    return options;
}

// A simulator in the test process with the Viva parties and a webhook recorder; `signer` makes
// provider signatures with Mellon's test key, whose public half the terminals verify with.
struct VivaSim {
    explicit VivaSim(sim::VivaSimOptions options = {}, double timeScale = 100.0)
        : server(sim::SimServerOptions{.timeScale = timeScale})
        , signer(signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999", system)
        , hooks(std::make_shared<test::WebhookRecorder>()) {
        server.addParty(hooks);
        test::addVivaParties(server, std::move(options));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        token = newToken();
    }

    core::HttpResponse send(const std::string& method, const std::string& target,
                            const Json& body = nullptr, const std::string& bearer = "") {
        core::HttpRequest request = body.is_null()
                                        ? core::HttpRequest{method, target, {}, {}, {}, {}}
                                        : core::HttpRequest::json(method, target, body);
        if (!bearer.empty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http->send(request);
    }
    // A Cloud Terminal API call with the current token.
    core::HttpResponse api(const std::string& method, const std::string& path,
                           const Json& body = nullptr) {
        return send(method, std::string(ecr) + path, body, token);
    }
    core::HttpResponse legacy(const std::string& method, const std::string& target,
                              const std::string& form = "") {
        core::HttpRequest request{method,
                                  "/viva-legacy" + target,
                                  {},
                                  form,
                                  form.empty() ? "" : "application/x-www-form-urlencoded",
                                  {}};
        request.header("Authorization",
                       basic(test::viva_defaults::merchantId, test::viva_defaults::apiKey));
        return http->send(request);
    }

    std::string newToken() {
        core::HttpRequest request =
            formRequest("/viva-accounts/connect/token", "grant_type=client_credentials");
        request.header("Authorization", basic("sim-viva-client", "sim-viva-secret"));
        const core::HttpResponse response = http->send(request);
        BOOST_TEST_REQUIRE(response.status == 200, response.body);
        return response.json("token")["access_token"].get<std::string>();
    }

    Json control(const std::string& target, const Json& body = Json::object()) {
        const core::HttpResponse response = send("POST", target, body);
        BOOST_TEST_REQUIRE(response.status == 200, target << ": " << response.body);
        return response.json(target);
    }
    void fault(const Json& rule) {
        const core::HttpResponse response = send("POST", "/_sim/faults", rule);
        BOOST_TEST_REQUIRE(response.status == 201, response.body);
    }
    Json stats(const std::string& party = "viva_api") {
        return send("GET", "/_sim/stats").json("stats")[party];
    }

    // The aade* fields the provider gives for `amount` cents on `tid`, in the layout of `nsp`.
    Json aade(std::int64_t amount, const std::string& tid = tid1,
              signing::Nsp nsp = signing::Nsp::Viva) {
        signing::SignatureRequest request =
            test::sampleRequest(nsp, std::to_string(++invoiceNumber));
        request.net = core::Money::fromCents(amount - amount * 24 / 124);
        request.vat = core::Money::fromCents(amount * 24 / 124);
        request.total = request.payment = core::Money::fromCents(amount);
        request.terminalId = tid;
        const signing::ProviderSignature signature = signer.sign(request);
        return Json{{"aadeProviderId", "999"},
                    {"aadeProviderSignatureData", signature.input},
                    {"aadeProviderSignature", signature.signatureBase64}};
    }

    // A signed sale body in the shape of the contract's example, with a fresh sessionId.
    Json sale(std::int64_t amount, const std::string& tid = tid1) {
        const std::string id = core::newUuid();
        Json body{{"sessionId", id},
                  {"terminalId", tid},
                  {"cashRegisterId", "ERP-1"},
                  {"amount", amount},
                  {"currencyCode", "978"},
                  {"merchantReference", "ERP:A-" + std::to_string(invoiceNumber + 1) + ":" + id},
                  {"customerTrns", " "},
                  {"preauth", false},
                  {"maxInstalments", 0},
                  {"tipAmount", 0}};
        body.update(aade(amount, tid));
        return body;
    }

    // POSTs a transactions:* body, expecting the empty 200; returns the sessionId.
    std::string start(const Json& body, const std::string& kind = "sale") {
        const core::HttpResponse response = api("POST", "/transactions:" + kind, body);
        BOOST_TEST_REQUIRE(response.status == 200, kind << ": " << response.body);
        BOOST_TEST(response.body.empty());
        return body["sessionId"].get<std::string>();
    }

    core::HttpResponse poll(const std::string& sessionId) {
        return api("GET", "/sessions/" + sessionId);
    }

    // Polls the session until `done` holds for its 200 body, for at most `bound` of simulated
    // time.
    Json waitFor(const std::string& sessionId, const std::function<bool(const Json&)>& done,
                 milliseconds bound = seconds(120)) {
        const milliseconds until = server.clock().elapsed() + bound;
        for (;;) {
            const core::HttpResponse response = poll(sessionId);
            BOOST_TEST_REQUIRE((response.status == 200 || response.status == 202),
                               response.status << " " << response.body);
            if (response.status == 200 && done(response.json("session"))) {
                return response.json("session");
            }
            BOOST_TEST_REQUIRE(server.clock().elapsed() <= until,
                               "session " << sessionId << " still: " << response.body);
            server.clock().sleepFor(milliseconds(500));
        }
    }
    Json waitFinal(const std::string& sessionId, milliseconds bound = seconds(120)) {
        return waitFor(
            sessionId, [](const Json&) { return true; }, bound);
    }

    // Waits until the recorder has `count` webhooks, for at most `bound` of simulated time.
    std::vector<Json> waitHooks(std::size_t count, milliseconds bound = seconds(120)) {
        const milliseconds until = server.clock().elapsed() + bound;
        while (hooks->count() < count && server.clock().elapsed() <= until) {
            server.clock().sleepFor(milliseconds(500));
        }
        const std::vector<Json> received = hooks->received();
        BOOST_TEST_REQUIRE(received.size() >= count, "webhooks: " << received.size());
        return received;
    }
    // Waits until the Viva API's counter `key` reaches `value` (a webhook is counted once its
    // answer is back, a moment after the recorder has it), for at most 60 s of simulated time.
    Json waitStats(const std::string& key, std::int64_t value) {
        const milliseconds until = server.clock().elapsed() + seconds(60);
        Json counters = stats();
        while (counters[key] != value && server.clock().elapsed() <= until) {
            server.clock().sleepFor(milliseconds(500));
            counters = stats();
        }
        return counters;
    }
    void hookTo(const std::string& path = "/erp-webhook/viva?token=s3cr3t") {
        control("/viva-api/_control/webhooks", Json{{"url", server.baseUrl() + path}});
    }

    core::SystemClock system;
    sim::SimServer server;
    signing::LocalSigner signer;
    std::shared_ptr<test::WebhookRecorder> hooks;
    std::unique_ptr<core::HttpClient> http;
    std::string token;
    int invoiceNumber = 0;
};

// The webhooks of one event type, in arrival order.
std::vector<Json> ofType(const std::vector<Json>& hooks, int eventTypeId) {
    std::vector<Json> found;
    for (const Json& hook : hooks) {
        if (hook["EventTypeId"] == eventTypeId) {
            found.push_back(hook);
        }
    }
    return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_sim)

BOOST_AUTO_TEST_CASE(token_needs_basic_client_credentials_and_a_form_body) {
    VivaSim sim;
    core::HttpRequest good = formRequest("/viva-accounts/connect/token",
                                         "grant_type=client_credentials&scope=urn%3Aviva%3Atest");
    good.header("Authorization", basic("sim-viva-client", "sim-viva-secret"));
    const core::HttpResponse granted = sim.http->send(good);
    BOOST_TEST_REQUIRE(granted.status == 200, granted.body);
    const Json token = granted.json("token");
    BOOST_TEST(token["token_type"] == "Bearer");
    BOOST_TEST(token["expires_in"] == 3600);
    BOOST_TEST(token["scope"] == "urn:viva:test");
    const std::string access = token["access_token"].get<std::string>();
    BOOST_TEST(std::count(access.begin(), access.end(), '.') == 2); // JWT-shaped
    BOOST_TEST(access != sim.token);

    const auto refused = [&sim](const std::string& authorization, const core::HttpRequest& base) {
        core::HttpRequest request = base;
        if (!authorization.empty()) {
            request.header("Authorization", authorization);
        }
        const core::HttpResponse response = sim.http->send(request);
        BOOST_TEST(response.status == 400, response.body);
        return response.json("error")["error"].get<std::string>();
    };
    const core::HttpRequest form =
        formRequest("/viva-accounts/connect/token", "grant_type=client_credentials");
    BOOST_TEST(refused(basic("sim-viva-client", "wrong"), form) == "invalid_client");
    BOOST_TEST(refused(basic("other", "sim-viva-secret"), form) == "invalid_client");
    BOOST_TEST(refused("", form) == "invalid_client");
    // Credentials in the body instead of Basic auth are not taken.
    BOOST_TEST(refused("", formRequest("/viva-accounts/connect/token",
                                       "grant_type=client_credentials&client_id=sim-viva-client&"
                                       "client_secret=sim-viva-secret")) == "invalid_client");
    const std::string auth = basic("sim-viva-client", "sim-viva-secret");
    BOOST_TEST(refused(auth, core::HttpRequest::json("POST", "/viva-accounts/connect/token",
                                                     Json{{"grant_type", "client_credentials"}})) ==
               "invalid_request");
    BOOST_TEST(refused(auth, formRequest("/viva-accounts/connect/token", "scope=x")) ==
               "invalid_request");
    BOOST_TEST(refused(auth, formRequest("/viva-accounts/connect/token", "grant_type=password")) ==
               "unsupported_grant_type");
    BOOST_TEST(sim.send("GET", "/viva-accounts/connect/token").status == 405);

    const Json stats = sim.stats("viva_accounts");
    BOOST_TEST(stats["tokens_issued"] == 2);
    BOOST_TEST(stats["token_failures"] == 7);
}

BOOST_AUTO_TEST_CASE(the_api_refuses_missing_unknown_and_expired_tokens) {
    sim::VivaSimOptions options;
    options.merchant.tokenLifetime = seconds(30);
    VivaSim sim(options);
    const Json empty = Json::object();
    BOOST_TEST(sim.api("POST", "/devices:search", empty).status == 200);

    for (const std::string& bearer : {std::string(), std::string("not-a-token")}) {
        const core::HttpResponse refused =
            sim.send("POST", std::string(ecr) + "/devices:search", empty, bearer);
        BOOST_TEST(refused.status == 401);
        BOOST_TEST(refused.json("e")["detail"] == "Could not validate credentials");
        BOOST_TEST(refused.header("WWW-Authenticate").find("Bearer") == 0U);
    }

    // expires_in passes on simulated time.
    const milliseconds issued = sim.server.clock().elapsed();
    while (sim.server.clock().elapsed() < issued + seconds(31)) {
        sim.server.clock().sleepFor(seconds(5));
    }
    const core::HttpResponse expired = sim.api("POST", "/devices:search", empty);
    BOOST_TEST(expired.status == 401);
    BOOST_TEST(expired.json("e")["detail"] == "Could not validate credentials");

    // Expired by the control endpoint; a new token works again.
    sim.token = sim.newToken();
    BOOST_TEST(sim.api("POST", "/devices:search", empty).status == 200);
    BOOST_TEST(sim.control("/viva-accounts/_control/expire-tokens")["expired"] == 1);
    BOOST_TEST(sim.api("POST", "/devices:search", empty).status == 401);
    sim.token = sim.newToken();

    // The other look of a refusal: 401 with an empty body.
    sim.control("/viva-api/_control/settings", Json{{"expired_token_answer", "empty"}});
    sim.control("/viva-api/_control/expire-tokens");
    const core::HttpResponse bare = sim.api("POST", "/devices:search", empty);
    BOOST_TEST(bare.status == 401);
    BOOST_TEST(bare.body.empty());
    BOOST_TEST(sim.stats()["unauthenticated"] == 5);
    BOOST_TEST(sim.stats("viva_accounts")["tokens_expired"] == 1);
}

BOOST_AUTO_TEST_CASE(devices_search_lists_the_terminals_and_fails_on_a_form_body) {
    VivaSim sim;
    const core::HttpResponse all = sim.api("POST", "/devices:search", Json::object());
    BOOST_TEST_REQUIRE(all.status == 200, all.body);
    BOOST_TEST(!all.header("x-viva-correlationid").empty());
    const Json list = all.json("devices");
    BOOST_TEST_REQUIRE(list.size() == 2U);
    BOOST_TEST(list[0]["terminalId"] == tid1);
    BOOST_TEST(list[0]["statusId"] == 1);
    BOOST_TEST(list[0]["sourceCode"] == "1234");
    BOOST_TEST(list[0].contains("virtualTerminalId"));
    BOOST_TEST(list[1]["terminalId"] == tid2);

    BOOST_TEST(sim.api("POST", "/devices:search", Json{{"statusId", 1}}).json("d").size() == 2U);
    BOOST_TEST(sim.api("POST", "/devices:search", Json{{"statusId", 7}}).json("d").empty());
    BOOST_TEST(sim.api("POST", "/devices:search", Json{{"sourceCode", "9999"}}).json("d").empty());
    BOOST_TEST(sim.api("POST", "/devices:search", Json{{"statusId", "live"}}).status == 400);

    core::HttpRequest form = formRequest(std::string(ecr) + "/devices:search", "statusId=1");
    form.header("Authorization", "Bearer " + sim.token);
    BOOST_TEST(sim.http->send(form).status == 500);
    BOOST_TEST(sim.api("GET", "/devices:search").status == 405);
    BOOST_TEST(sim.api("POST", "/devices:list", Json::object()).status == 404);
    BOOST_TEST(sim.stats()["device_searches"] == 6);
}

BOOST_AUTO_TEST_CASE(a_signed_sale_is_200_empty_then_202_then_the_session) {
    VivaSim sim(slowPayments());
    const Json body = sim.sale(1240);
    const core::HttpResponse accepted = sim.api("POST", "/transactions:sale", body);
    BOOST_TEST_REQUIRE(accepted.status == 200, accepted.body);
    BOOST_TEST(accepted.body.empty());
    BOOST_TEST(accepted.header("Content-Length") == "0");
    BOOST_TEST(!accepted.header("x-viva-correlationid").empty());
    const std::string id = body["sessionId"].get<std::string>();

    const core::HttpResponse pending = sim.poll(id);
    BOOST_TEST(pending.status == 202);
    BOOST_TEST((pending.json("pending") == Json{{"detail", "The session is being processed"}}));

    const Json done = sim.waitFinal(id, seconds(400));
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(300));
    BOOST_TEST(done["success"] == true);
    BOOST_TEST(done["eventId"] == 0);
    BOOST_TEST(done["message"] == "Transaction successful");
    BOOST_TEST(done["sessionId"] == id);
    BOOST_TEST(done["terminalId"] == tid1);
    BOOST_TEST(done["cashRegisterId"] == "ERP-1");
    BOOST_TEST(done["amount"] == 1240);
    BOOST_TEST(done["currencyCode"] == "978");
    BOOST_TEST(done["merchantReference"] == body["merchantReference"]);
    BOOST_TEST(done["tipAmount"] == 0);
    BOOST_TEST(isUuid(done["transactionId"]), done["transactionId"]);
    BOOST_TEST(done["transactionTypeId"] == 5);
    BOOST_TEST(isDigits(done["authorizationId"], 6));
    BOOST_TEST(isDigits(done["retrievalReferenceNumber"], 12));
    BOOST_TEST(done["referenceNumber"].is_number_integer());
    BOOST_TEST(isDigits(done["orderCode"], 16));
    BOOST_TEST(done["shortOrderCode"].get<std::string>() ==
               done["orderCode"].get<std::string>().substr(6));
    BOOST_TEST(done["tid"] == tid1);
    BOOST_TEST(done["primaryAccountNumberMasked"].get<std::string>().find("******") == 6U);
    BOOST_TEST(!done["applicationLabel"].get<std::string>().empty());
    BOOST_TEST(isDigits(done["aadeTransactionId"], 21));
    BOOST_TEST(done["transactionDateTime"].get<std::string>().back() == 'Z');
    BOOST_TEST(done["preauth"] == false);
    BOOST_TEST(done["abortOperation"] == false);
    // The session stays as it is.
    BOOST_TEST(sim.poll(id).json("again") == done);

    const core::HttpResponse unknown = sim.poll("no-such-session");
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(detailOf(unknown) == "Session id was not found");

    const Json stats = sim.stats();
    BOOST_TEST(stats["sessions_created"] == 1);
    BOOST_TEST(stats["sales"] == 1);
    BOOST_TEST(stats["session_posts"][id] == 1);
    BOOST_TEST(stats["results"]["approved"] == 1);
    BOOST_TEST(stats["pending"] == 0);
    BOOST_TEST(stats["pending_answers"].get<std::int64_t>() >= 1);
    // The card transaction is on the account, by the session's order code.
    const Json listed =
        sim.legacy("GET", "/api/transactions?ordercode=" + done["orderCode"].get<std::string>())
            .json("transactions");
    BOOST_TEST_REQUIRE(listed["Transactions"].size() == 1U);
    BOOST_TEST(listed["Transactions"][0]["TransactionId"] == done["transactionId"]);
    BOOST_TEST(listed["Transactions"][0]["SessionId"] == id);
}

BOOST_AUTO_TEST_CASE(a_new_session_can_answer_404_until_it_is_registered) {
    VivaSim sim;
    BOOST_TEST(sim.control("/viva-api/_control/settings",
                           Json{{"unregistered_for_seconds", 300}})["unregistered_for_seconds"] ==
               300);
    const std::string id = sim.start(sim.sale(1240));
    BOOST_TEST(sim.poll(id).status == 404);
    BOOST_TEST(sim.api("DELETE", "/sessions/" + id + "?cashRegisterId=ERP-1").status == 404);
    const milliseconds until = sim.server.clock().elapsed() + seconds(400);
    while (sim.poll(id).status == 404 && sim.server.clock().elapsed() < until) {
        sim.server.clock().sleepFor(seconds(5));
    }
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(300));
    BOOST_TEST(sim.waitFinal(id)["success"] == true);
    BOOST_TEST(sim.stats()["sessions_created"] == 1);
}

BOOST_AUTO_TEST_CASE(bad_sale_bodies_get_400_naming_the_field_and_create_nothing) {
    VivaSim sim;
    const auto refusedFor = [&sim](const std::function<void(Json&)>& edit,
                                   const std::string& field) {
        Json body = sim.sale(1240);
        edit(body);
        const core::HttpResponse response = sim.api("POST", "/transactions:sale", body);
        BOOST_TEST(response.status == 400, field << ": " << response.body);
        BOOST_TEST(detailOf(response).rfind(field + ":", 0) == 0U, detailOf(response));
    };
    refusedFor([](Json& b) { b.erase("sessionId"); }, "sessionId");
    refusedFor([](Json& b) { b["sessionId"] = ""; }, "sessionId");
    refusedFor([](Json& b) { b.erase("terminalId"); }, "terminalId");
    refusedFor([](Json& b) { b["terminalId"] = "99999999"; }, "terminalId");
    refusedFor([](Json& b) { b["terminalId"] = "T-1"; }, "terminalId");
    refusedFor([](Json& b) { b.erase("cashRegisterId"); }, "cashRegisterId");
    refusedFor([](Json& b) { b["amount"] = core::decimalNumber(core::Money::fromCents(1240)); },
               "amount");
    refusedFor([](Json& b) { b["amount"] = 0; }, "amount");
    refusedFor([](Json& b) { b["amount"] = "1240"; }, "amount");
    refusedFor([](Json& b) { b["currencyCode"] = "840"; }, "currencyCode");
    refusedFor([](Json& b) { b.erase("currencyCode"); }, "currencyCode");
    refusedFor([](Json& b) { b.erase("merchantReference"); }, "merchantReference");
    refusedFor([](Json& b) { b["preauth"] = "no"; }, "preauth");
    refusedFor(
        [](Json& b) {
            b["preauth"] = true;
            b["tipAmount"] = 100;
        },
        "tipAmount");
    refusedFor([](Json& b) { b["maxInstalments"] = 99; }, "maxInstalments");
    refusedFor([](Json& b) { b["paymentMethod"] = "Cash"; }, "paymentMethod");
    refusedFor([](Json& b) { b["aadeProviderSignature"] = 12; }, "aadeProviderSignature");
    refusedFor([](Json& b) { b["fiscalisationData"] = Json::object(); }, "fiscalisationData");
    refusedFor([](Json& b) { b["isvDetails"] = Json::object(); }, "isvDetails");
    refusedFor([](Json& b) { b["parentSessionId"] = "x"; }, "parentSessionId");
    BOOST_TEST(sim.api("POST", "/transactions:sale", Json::array()).status == 400);
    BOOST_TEST(sim.api("GET", "/transactions:sale").status == 405);
    BOOST_TEST(sim.stats()["sessions_created"] == 0);

    // The number forms of terminalId and currencyCode are accepted too.
    Json numbers = sim.sale(1240);
    numbers["terminalId"] = 16000010;
    numbers["currencyCode"] = 978;
    const std::string id = sim.start(numbers);
    BOOST_TEST(sim.waitFinal(id)["success"] == true);

    // A sessionId used before creates nothing: the client must poll, not post again.
    const core::HttpResponse again = sim.api("POST", "/transactions:sale", numbers);
    BOOST_TEST(again.status == 400);
    BOOST_TEST(detailOf(again).find("already exists") != std::string::npos);
    const Json stats = sim.stats();
    BOOST_TEST(stats["sessions_created"] == 1);
    BOOST_TEST(stats["session_posts"][id] == 2);
    BOOST_TEST(stats["duplicate_session_ids"] == 1);
    BOOST_TEST(stats["invalid"] == 22);
}

BOOST_AUTO_TEST_CASE(the_terminal_checks_the_provider_signature_and_its_input) {
    sim::VivaSimOptions options;
    options.api.providerIds = {"999", "120"};
    VivaSim sim(options);
    const auto outcome = [&sim](const Json& body) {
        return sim.waitFinal(sim.start(body));
    };
    const auto failsWith = [&outcome](const Json& body, int eventId) {
        const Json session = outcome(body);
        BOOST_TEST(session["success"] == false);
        BOOST_TEST(session["eventId"] == eventId, session.dump());
        BOOST_TEST(session["transactionId"].is_null());
        BOOST_TEST(session["tid"].is_null());
        return session;
    };

    Json unsigned_ = sim.sale(1240);
    unsigned_.erase("aadeProviderSignature");
    BOOST_TEST(failsWith(unsigned_, 1083)["message"] == "Not all required AADE request parameters");
    Json noData = sim.sale(1240);
    noData["aadeProviderSignatureData"] = "";
    failsWith(noData, 1083);

    // The Input no longer matches what was signed.
    Json tampered = sim.sale(1240);
    std::string input = tampered["aadeProviderSignatureData"].get<std::string>();
    input.replace(input.find(";1240;"), 6, ";1250;");
    tampered["aadeProviderSignatureData"] = input;
    tampered["amount"] = 1250;
    BOOST_TEST(failsWith(tampered, 1076)["message"] ==
               "Signature verification failed (ProviderID)");
    // Signed with another key.
    Json otherKey = sim.sale(1240);
    otherKey["aadeProviderSignature"] = signing::toBase64(signing::PrivateKey::generate().sign(
        otherKey["aadeProviderSignatureData"].get<std::string>()));
    failsWith(otherKey, 1076);
    Json notBase64 = sim.sale(1240);
    notBase64["aadeProviderSignature"] = "not base64!";
    failsWith(notBase64, 1076);
    Json otherProvider = sim.sale(1240);
    otherProvider["aadeProviderId"] = "8";
    failsWith(otherProvider, 1076);

    // A valid signature over an Input that does not fit the sale.
    Json otherAmount = sim.sale(1240);
    otherAmount["amount"] = 1300;
    BOOST_TEST(failsWith(otherAmount, 1077)["message"] == "AADE details mismatch");
    Json otherTerminal = sim.sale(1240);
    otherTerminal.update(sim.aade(1240, tid2));
    failsWith(otherTerminal, 1077);
    Json mellonLayout = sim.sale(1240);
    mellonLayout.update(sim.aade(1240, tid1, signing::Nsp::WebEcr));
    failsWith(mellonLayout, 1077);

    // What passes: the provider's Viva-layout signature for this amount and TID, from an accepted
    // provider id given as text or as a number.
    BOOST_TEST(outcome(sim.sale(1240))["success"] == true);
    Json numericId = sim.sale(1240);
    numericId["aadeProviderId"] = 120;
    BOOST_TEST(outcome(numericId)["success"] == true);

    const Json stats = sim.stats();
    BOOST_TEST(stats["aade_failures"] == 9);
    BOOST_TEST_REQUIRE(stats["aade_failure_log"].size() == 9U);
    BOOST_TEST(stats["aade_failure_log"][0]["reason"].get<std::string>().find(
                   "aadeProviderSignature") != std::string::npos);
    BOOST_TEST(stats["aade_failure_log"][6]["reason"].get<std::string>().find("1300") !=
               std::string::npos);

    // Without the requirement (or with Viva Fiscalisation instead) an unsigned sale goes through.
    Json fiscalisation = sim.sale(1240);
    for (const char* key :
         {"aadeProviderId", "aadeProviderSignatureData", "aadeProviderSignature"}) {
        fiscalisation.erase(key);
    }
    Json plain = fiscalisation;
    fiscalisation["fiscalisationData"] = Json{{"receiptNumber", "1"}};
    BOOST_TEST(outcome(fiscalisation)["success"] == true);
    sim.control("/viva-api/_control/settings", Json{{"require_aade", false}});
    plain["sessionId"] = core::newUuid();
    BOOST_TEST(outcome(plain)["success"] == true);
    BOOST_TEST(sim.stats()["aade_failures"] == 9);
}

BOOST_AUTO_TEST_CASE(scenario_amounts) {
    sim::VivaSimOptions options;
    options.merchant.terminals = sim::viva::parseTerminals(
        "16000010,16000011,16000012,16000013,16000014,16000015", "terminals");
    options.merchant.timing.pinRetryAfter = seconds(300);
    options.merchant.timing.lateSuccessAfter = seconds(300);
    VivaSim sim(options);
    sim.hookTo();
    const std::string declined = sim.start(sim.sale(999, "16000010"));
    const std::string cancelled = sim.start(sim.sale(3333, "16000011"));
    const std::string pin = sim.start(sim.sale(1798, "16000012"));
    const std::string late = sim.start(sim.sale(1796, "16000013"));
    const std::string expires = sim.start(sim.sale(6060, "16000014"));
    const std::string never = sim.start(sim.sale(8888, "16000015"));

    const Json d = sim.waitFinal(declined);
    BOOST_TEST(d["success"] == false);
    BOOST_TEST(d["eventId"] == 1006);
    BOOST_TEST(d["message"] == "Transaction declined by server");
    BOOST_TEST(d["transactionId"].is_null());
    BOOST_TEST(d["aadeTransactionId"].is_null());
    BOOST_TEST(d["tid"] == "16000010"); // the card was read
    const Json c = sim.waitFinal(cancelled);
    BOOST_TEST(c["eventId"] == 1000);
    BOOST_TEST(c["tid"].is_null());

    // 17.96: a failed result first...
    const Json failedFirst = sim.waitFinal(late);
    BOOST_TEST(failedFirst["success"] == false);
    BOOST_TEST(failedFirst["eventId"] == 1010);
    BOOST_TEST(failedFirst["message"] == "Invalid card");
    // ... while 17.98's failed tap left its session processing.
    BOOST_TEST(sim.poll(pin).status == 202);

    const Json paidAfterPin = sim.waitFinal(pin, seconds(400));
    BOOST_TEST(paidAfterPin["success"] == true);
    BOOST_TEST(paidAfterPin["verificationMethod"] == "ONLINE_PIN");
    // ... then 17.96 turns into a success.
    const Json turned = sim.waitFor(
        late, [](const Json& s) { return s["success"] == true; }, seconds(400));
    BOOST_TEST(isUuid(turned["transactionId"]));
    BOOST_TEST(turned["eventId"] == 0);

    // 60.60 expires unpaid after about a minute; 88.88 never finishes.
    const Json expired = sim.waitFinal(expires, seconds(400));
    BOOST_TEST(expired["eventId"] == 1102);
    BOOST_TEST(expired["message"] == "Transaction expired");
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(60));
    BOOST_TEST(sim.poll(never).status == 202);

    // The webhooks: a failed tap (1798) before each late payment (1796) with the same
    // MerchantTrns, and no transaction event for the sessions without a card.
    const std::vector<Json> hooks = sim.waitHooks(11);
    std::map<std::string, std::vector<int>> events; // by MerchantTrns
    for (const Json& hook : hooks) {
        if (hook["EventTypeId"] == 1796 || hook["EventTypeId"] == 1798) {
            events[hook["EventData"]["MerchantTrns"].get<std::string>()].push_back(
                hook["EventTypeId"].get<int>());
        }
    }
    const auto reference = [&sim](const std::string& id) {
        const Json session = sim.poll(id).json("s");
        return session["merchantReference"].get<std::string>();
    };
    BOOST_TEST(events[reference(pin)] == (std::vector<int>{1798, 1796}));
    BOOST_TEST(events[reference(late)] == (std::vector<int>{1798, 1796}));
    BOOST_TEST(events[reference(declined)] == (std::vector<int>{1798}));
    BOOST_TEST(events.size() == 3U);
    BOOST_TEST(ofType(hooks, 1803).size() == 4U); // declined, cancelled, 17.96's failure, expired
    BOOST_TEST(ofType(hooks, 1802).size() == 2U);

    const Json stats = sim.stats();
    BOOST_TEST(stats["event_ids"]["1006"] == 1);
    BOOST_TEST(stats["event_ids"]["1102"] == 1);
    BOOST_TEST(stats["pending"] == 1);
}

BOOST_AUTO_TEST_CASE(a_second_sale_on_a_busy_terminal_gets_1100) {
    VivaSim sim;
    const std::string stuck = sim.start(sim.sale(8888));
    const std::string second = sim.start(sim.sale(1240));
    const Json busy = sim.waitFinal(second);
    BOOST_TEST(busy["success"] == false);
    BOOST_TEST(busy["eventId"] == 1100);
    BOOST_TEST(busy["message"] == "There is already a request in progress");
    BOOST_TEST(busy["transactionId"].is_null());
    // A refund on the busy terminal too; the other terminal is free.
    Json unreferenced = sim.sale(500);
    unreferenced.erase("preauth");
    unreferenced.erase("maxInstalments");
    unreferenced.erase("tipAmount");
    BOOST_TEST(sim.waitFinal(sim.start(unreferenced, "unreferenced-refund"))["eventId"] == 1100);
    BOOST_TEST(sim.waitFinal(sim.start(sim.sale(1240, tid2)))["success"] == true);
    BOOST_TEST(sim.poll(stuck).status == 202);

    // Ended through the control endpoint, the terminal takes a sale again.
    BOOST_TEST(sim.send("POST", "/viva-api/_control/finish",
                        Json{{"sessionId", stuck}, {"outcome", "later"}})
                   .status == 400);
    BOOST_TEST(sim.send("POST", "/viva-api/_control/finish",
                        Json{{"sessionId", "unknown"}, {"outcome", "cancelled"}})
                   .status == 404);
    sim.control("/viva-api/_control/finish", Json{{"sessionId", stuck}, {"outcome", "cancelled"}});
    BOOST_TEST(sim.poll(stuck).json("s")["eventId"] == 1000);
    BOOST_TEST(sim.waitFinal(sim.start(sim.sale(1240)))["success"] == true);
    BOOST_TEST(sim.stats()["event_ids"]["1100"] == 2);
}

BOOST_AUTO_TEST_CASE(abort_rules_and_a_late_success_after_an_abort) {
    VivaSim sim(slowPayments());
    const std::string id = sim.start(sim.sale(1240));
    const std::string target = "/sessions/" + id;
    BOOST_TEST(sim.api("DELETE", target).status == 400); // no cashRegisterId
    const core::HttpResponse other = sim.api("DELETE", target + "?cashRegisterId=ERP-2");
    BOOST_TEST(other.status == 403);
    BOOST_TEST(detailOf(other) == "Only cash register that created the transaction can abort it");
    BOOST_TEST(sim.api("DELETE", "/sessions/unknown?cashRegisterId=ERP-1").status == 404);
    const core::HttpResponse requested = sim.api("DELETE", target + "?cashRegisterId=ERP-1");
    BOOST_TEST(requested.status == 200);
    BOOST_TEST(requested.body.empty());
    const core::HttpResponse again = sim.api("DELETE", target + "?cashRegisterId=ERP-1");
    BOOST_TEST(again.status == 409);
    BOOST_TEST(detailOf(again) == "Abort process already started");

    const Json aborted = sim.waitFinal(id);
    BOOST_TEST(aborted["success"] == false);
    BOOST_TEST(aborted["eventId"] == 1016);
    BOOST_TEST(aborted["abortOperation"] == true);
    BOOST_TEST(aborted["abortSuccess"] == true);
    BOOST_TEST(aborted["abortAckTime"].is_string());

    // 50.50: the abort is acknowledged but the customer pays anyway.
    const std::string paid = sim.start(sim.sale(5050));
    BOOST_TEST(sim.api("DELETE", "/sessions/" + paid + "?cashRegisterId=ERP-1").status == 200);
    const Json late = sim.waitFinal(paid, seconds(400));
    BOOST_TEST(late["success"] == true);
    BOOST_TEST(late["abortOperation"] == true);
    BOOST_TEST(late["abortSuccess"] == false);

    // 88.88: acknowledged and ignored.
    const std::string stuck = sim.start(sim.sale(8888));
    BOOST_TEST(sim.api("DELETE", "/sessions/" + stuck + "?cashRegisterId=ERP-1").status == 200);
    sim.server.clock().sleepFor(seconds(10));
    BOOST_TEST(sim.poll(stuck).status == 202);

    // A final session keeps its result.
    BOOST_TEST(sim.api("DELETE", "/sessions/" + paid + "?cashRegisterId=ERP-1").status == 409);
    const std::string done = sim.start(sim.sale(1240, tid2));
    const Json approved = sim.waitFinal(done, seconds(400));
    BOOST_TEST(sim.api("DELETE", "/sessions/" + done + "?cashRegisterId=ERP-1").status == 200);
    const Json after = sim.poll(done).json("s");
    BOOST_TEST(after["success"] == true);
    BOOST_TEST(after["transactionId"] == approved["transactionId"]);
    BOOST_TEST(after["abortSuccess"] == false);

    const Json stats = sim.stats();
    BOOST_TEST(stats["aborts_requested"] == 4);
    BOOST_TEST(stats["aborts_refused"]["403"] == 1);
    BOOST_TEST(stats["aborts_refused"]["404"] == 1);
    BOOST_TEST(stats["aborts_refused"]["409"] == 2);
}

BOOST_AUTO_TEST_CASE(refunds_reference_a_successful_sale_of_the_same_terminal) {
    VivaSim sim;
    sim.hookTo();
    const Json saleBody = sim.sale(2000);
    const Json sale = sim.waitFinal(sim.start(saleBody));
    BOOST_TEST_REQUIRE(sale["success"] == true);
    const std::string parent = sale["sessionId"].get<std::string>();
    const auto refund = [&sim, &parent](std::int64_t amount, const std::string& tid = tid1) {
        Json body{{"sessionId", core::newUuid()}, {"terminalId", tid}, {"cashRegisterId", "ERP-1"},
                  {"parentSessionId", parent},    {"amount", amount},  {"currencyCode", "978"}};
        body.update(sim.aade(amount, tid));
        return body;
    };

    const Json partial = sim.waitFinal(sim.start(refund(1500), "refund"));
    BOOST_TEST(partial["success"] == true);
    BOOST_TEST(partial["transactionTypeId"] == 4);
    BOOST_TEST(partial["parentSessionId"] == parent);
    BOOST_TEST(partial["merchantReference"] == saleBody["merchantReference"]); // defaulted
    // The refunds of a sale may not add up to more than it.
    BOOST_TEST(sim.waitFinal(sim.start(refund(600), "refund"))["eventId"] == 1009);
    BOOST_TEST(sim.waitFinal(sim.start(refund(500), "refund"))["success"] == true);
    BOOST_TEST(sim.waitFinal(sim.start(refund(1), "refund"))["eventId"] == 1009);

    // The parent must be a successful sale of this terminal.
    const Json declined = sim.waitFinal(sim.start(sim.sale(999)))["sessionId"];
    Json ofDeclined = refund(100);
    ofDeclined["parentSessionId"] = declined;
    BOOST_TEST(sim.waitFinal(sim.start(ofDeclined, "refund"))["eventId"] == 1101);
    Json unknownParent = refund(100);
    unknownParent["parentSessionId"] = "no-such-session";
    const Json noParent = sim.waitFinal(sim.start(unknownParent, "refund"));
    BOOST_TEST(noParent["eventId"] == 1101);
    BOOST_TEST(noParent["message"] == "Could not fetch parameters for parentSessionId");
    const Json otherSale = sim.waitFinal(sim.start(sim.sale(2000, tid2)));
    Json elsewhere = refund(100);
    elsewhere["parentSessionId"] = otherSale["sessionId"];
    BOOST_TEST(sim.waitFinal(sim.start(elsewhere, "refund"))["eventId"] == 1101);
    Json noParentField = refund(100);
    noParentField.erase("parentSessionId");
    BOOST_TEST(sim.api("POST", "/transactions:refund", noParentField).status == 400);

    // An unreferenced refund needs no parent.
    Json unreferenced = refund(700);
    unreferenced.erase("parentSessionId");
    const Json free = sim.waitFinal(sim.start(unreferenced, "unreferenced-refund"));
    BOOST_TEST(free["success"] == true);
    BOOST_TEST(free["transactionTypeId"] == 4);

    const auto reversals = [&sim]() {
        return ofType(sim.hooks->received(), 1797).size();
    };
    const milliseconds until = sim.server.clock().elapsed() + seconds(30);
    while (reversals() < 3U && sim.server.clock().elapsed() < until) {
        sim.server.clock().sleepFor(milliseconds(500));
    }
    BOOST_TEST(reversals() == 3U);
    const Json stats = sim.stats();
    BOOST_TEST(stats["refunds"] == 7);
    BOOST_TEST(stats["unreferenced_refunds"] == 1);
}

BOOST_AUTO_TEST_CASE(a_preauthorisation_is_completed_once_up_to_its_amount) {
    VivaSim sim;
    Json body = sim.sale(5000);
    body["preauth"] = true;
    const Json preauth = sim.waitFinal(sim.start(body));
    BOOST_TEST_REQUIRE(preauth["success"] == true);
    BOOST_TEST(preauth["preauth"] == true);
    BOOST_TEST(preauth["transactionTypeId"] == 1);
    const auto completion = [&preauth](std::int64_t amount) {
        return Json{{"sessionId", core::newUuid()},
                    {"terminalId", tid1},
                    {"cashRegisterId", "ERP-1"},
                    {"parentSessionId", preauth["sessionId"]},
                    {"amount", amount},
                    {"currencyCode", "978"}};
    };
    BOOST_TEST(sim.waitFinal(sim.start(completion(5001), "preauth-completion"))["eventId"] == 1017);
    const Json captured = sim.waitFinal(sim.start(completion(4200), "preauth-completion"));
    BOOST_TEST(captured["success"] == true);
    BOOST_TEST(captured["transactionTypeId"] == 0);
    BOOST_TEST(isUuid(captured["transactionId"]));
    BOOST_TEST(sim.waitFinal(sim.start(completion(100), "preauth-completion"))["eventId"] == 1101);

    // A plain sale is no pre-authorisation, and a pre-authorisation is not refunded.
    const Json sale = sim.waitFinal(sim.start(sim.sale(1000)));
    Json ofSale = completion(100);
    ofSale["parentSessionId"] = sale["sessionId"];
    BOOST_TEST(sim.waitFinal(sim.start(ofSale, "preauth-completion"))["eventId"] == 1101);
    Json refund = completion(100);
    refund.update(sim.aade(100));
    BOOST_TEST(sim.waitFinal(sim.start(refund, "refund"))["eventId"] == 1101);
    BOOST_TEST(sim.stats()["preauths"] == 1);
    BOOST_TEST(sim.stats()["preauth_completions"] == 4);
}

BOOST_AUTO_TEST_CASE(sessions_of_a_day_list_the_final_ones) {
    VivaSim sim;
    const core::TimePoint started = sim.server.clock().now();
    const std::string a = sim.start(sim.sale(1240));
    const std::string b = sim.start(sim.sale(999, tid2));
    sim.waitFinal(a);
    sim.waitFinal(b);
    const std::string pending = sim.start(sim.sale(8888));
    const std::string today = sim::viva::utcDate(sim.server.clock().now());

    // The day the sessions were made on, and the one before in case midnight passed since.
    std::set<std::string> ids;
    for (const std::string& day :
         {sim::viva::utcDate(started), sim::viva::utcDate(sim.server.clock().now())}) {
        const core::HttpResponse listed = sim.api("GET", "/sessions?date=" + day);
        BOOST_TEST_REQUIRE(listed.status == 200, listed.body);
        const Json list = listed.json("list");
        BOOST_TEST_REQUIRE(list.is_array());
        for (const Json& session : list) {
            ids.insert(session["sessionId"].get<std::string>());
            BOOST_TEST(session.contains("success"));
        }
    }
    BOOST_TEST(ids == (std::set<std::string>{a, b}));
    if (sim::viva::utcDate(started) == today) {
        BOOST_TEST(sim.api("GET", "/sessions").json("l").size() == 2U); // today by default
        BOOST_TEST(sim.api("GET", "/sessions?date=" + today + "&AadeAutonomouslyOnly=false")
                       .json("l")
                       .size() == 2U);
    }
    BOOST_TEST(sim.api("GET", "/sessions?date=2001-01-01").json("l").empty());
    BOOST_TEST(
        sim.api("GET", "/sessions?date=" + today + "&AadeAutonomouslyOnly=true").json("l").empty());
    BOOST_TEST(sim.api("GET", "/sessions?date=29-06-2024").status == 400);
    BOOST_TEST(sim.api("GET", "/sessions?date=" + today + "&AadeAutonomouslyOnly=maybe").status ==
               400);
    BOOST_TEST(sim.poll(pending).status == 202);
}

BOOST_AUTO_TEST_CASE(webhooks_carry_the_envelope_with_euros_and_can_be_duplicated_or_missing) {
    VivaSim sim;
    BOOST_TEST(sim.send("POST", "/viva-api/_control/webhooks", Json{{"url", "ftp://x"}}).status ==
               400);
    sim.hookTo();
    const Json body = sim.sale(1240);
    const Json session = sim.waitFinal(sim.start(body));
    const std::vector<Json> hooks = sim.waitHooks(2);
    BOOST_TEST(sim.hooks->targets()[0] == "/viva?token=s3cr3t");

    const std::vector<Json> paid = ofType(hooks, 1796);
    BOOST_TEST_REQUIRE(paid.size() == 1U);
    const Json& hook = paid[0];
    for (const char* key :
         {"Url", "EventData", "Created", "CorrelationId", "EventTypeId", "Delay", "RetryCount",
          "RetryDelayInSeconds", "MessageId", "RecipientId", "MessageTypeId"}) {
        BOOST_TEST(hook.contains(key), key);
    }
    BOOST_TEST(hook["Url"] == sim.server.baseUrl() + "/erp-webhook/viva?token=s3cr3t");
    BOOST_TEST(hook["RetryCount"] == 0);
    BOOST_TEST(isUuid(hook["MessageId"]));
    BOOST_TEST(hook["Created"].get<std::string>().back() == 'Z');
    const Json& data = hook["EventData"];
    // Euros with decimals, read exactly.
    BOOST_TEST_REQUIRE(core::isDecimal(data["Amount"]));
    BOOST_TEST(core::decimalText(data["Amount"]) == "12.40");
    BOOST_TEST(data["MerchantTrns"] == body["merchantReference"]);
    BOOST_TEST(data["TransactionId"] == session["transactionId"]);
    BOOST_TEST(std::to_string(data["OrderCode"].get<std::int64_t>()) == session["orderCode"]);
    BOOST_TEST(data["StatusId"] == "F");
    BOOST_TEST(data["TerminalId"] == 16000010);
    BOOST_TEST(data["TransactionTypeId"] == 5);
    BOOST_TEST(data["CardNumber"] == session["primaryAccountNumberMasked"]);
    const std::vector<Json> sessionEvents = ofType(hooks, 1802);
    BOOST_TEST_REQUIRE(sessionEvents.size() == 1U);
    BOOST_TEST(sessionEvents[0]["EventData"]["SessionId"] == session["sessionId"]);
    BOOST_TEST(sessionEvents[0]["MessageId"] != hook["MessageId"]);

    // Every message twice, with the same MessageId.
    sim.control("/viva-api/_control/settings", Json{{"session_events", false}});
    sim.control("/viva-api/_control/webhooks", Json{{"duplicate", true}});
    sim.waitFinal(sim.start(sim.sale(1500)));
    const std::vector<Json> doubled = sim.waitHooks(4);
    BOOST_TEST(doubled[2]["MessageId"] == doubled[3]["MessageId"]);
    BOOST_TEST(doubled[2]["EventTypeId"] == 1796);

    // The next message is never delivered; the one after is.
    sim.control("/viva-api/_control/webhooks", Json{{"duplicate", false}, {"skip", 1}});
    const Json missing = sim.waitFinal(sim.start(sim.sale(1600)));
    sim.waitFinal(sim.start(sim.sale(1700)));
    const std::vector<Json> after = sim.waitHooks(5);
    BOOST_TEST(core::decimalText(after[4]["EventData"]["Amount"]) == "17.00");
    for (const Json& h : after) {
        BOOST_TEST(h["EventData"]["TransactionId"] != missing["transactionId"]);
    }

    const Json stats = sim.waitStats("webhooks_sent", 5);
    BOOST_TEST(stats["webhooks_sent"] == 5);
    BOOST_TEST(stats["webhooks_duplicated"] == 1);
    BOOST_TEST(stats["webhooks_skipped"] == 1);
    BOOST_TEST(stats["webhooks_by_event"]["1796"] == 4);
    const Json control = sim.send("GET", "/viva-api/_control/webhooks").json("c");
    BOOST_TEST(control["deliveries"].size() == 5U);
    BOOST_TEST(control["deliveries"][0]["status"] == 200);
}

BOOST_AUTO_TEST_CASE(unanswered_webhooks_are_retried_with_the_same_message_id) {
    VivaSim sim;
    sim.hookTo();
    sim.control("/viva-api/_control/webhooks",
                Json{{"retry_after_seconds", 30}, {"max_retries", 2}});
    sim.control("/viva-api/_control/settings", Json{{"session_events", false}});
    sim.hooks->answerWith(500);
    sim.start(sim.sale(1240));
    const std::vector<Json> tries = sim.waitHooks(3);
    BOOST_TEST(tries[0]["RetryCount"] == 0);
    BOOST_TEST(tries[1]["RetryCount"] == 1);
    BOOST_TEST(tries[2]["RetryCount"] == 2);
    BOOST_TEST(tries[1]["MessageId"] == tries[0]["MessageId"]);
    BOOST_TEST(tries[2]["MessageId"] == tries[0]["MessageId"]);
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(60));
    Json stats = sim.waitStats("webhooks_given_up", 1);
    BOOST_TEST(stats["webhooks_failed"] == 3);
    BOOST_TEST(stats["webhooks_given_up"] == 1);
    BOOST_TEST(stats["webhooks_retried"] == 2);

    // A retry that is answered counts as sent.
    sim.control("/viva-api/_control/webhooks", Json{{"max_retries", 5}});
    sim.start(sim.sale(1300, tid2));
    sim.waitHooks(4);
    sim.hooks->answerWith(200);
    sim.waitHooks(5);
    stats = sim.waitStats("webhooks_sent", 1);
    BOOST_TEST(stats["webhooks_sent"] == 1);
    BOOST_TEST(stats["webhooks_pending"] == 0);
}

BOOST_AUTO_TEST_CASE(the_webhook_key_and_the_verify_handshake) {
    VivaSim sim;
    const core::HttpResponse key = sim.legacy("GET", "/api/messages/config/token");
    BOOST_TEST_REQUIRE(key.status == 200, key.body);
    BOOST_TEST(key.json("key")["Key"] == test::viva_defaults::webhookKey);
    core::HttpRequest wrong = core::HttpRequest::get("/viva-legacy/api/messages/config/token");
    wrong.header("Authorization", basic(test::viva_defaults::merchantId, "wrong"));
    const core::HttpResponse refused = sim.http->send(wrong);
    BOOST_TEST(refused.status == 401);
    BOOST_TEST(refused.header("WWW-Authenticate").find("Basic") == 0U);
    BOOST_TEST(sim.send("GET", "/viva-legacy/api/messages/config/token").status == 401); // no auth

    BOOST_TEST(sim.control("/viva-legacy/_control/webhooks/verify")["verified"] == false);
    sim.hookTo();
    const Json verified = sim.control("/viva-legacy/_control/webhooks/verify");
    BOOST_TEST(verified["verified"] == true, verified.dump());
    auto other = std::make_shared<test::WebhookRecorder>("another-key", "/other-erp");
    sim.server.addParty(other);
    sim.control("/viva-legacy/_control/webhooks",
                Json{{"url", sim.server.baseUrl() + "/other-erp/hook"}});
    BOOST_TEST(sim.control("/viva-api/_control/webhooks/verify")["verified"] == false);
    BOOST_TEST(sim.stats()["webhook_verifications"] == 3);
    BOOST_TEST(sim.stats("viva_legacy")["key_requests"] == 1);
}

BOOST_AUTO_TEST_CASE(legacy_orders_are_paid_when_the_cashier_presses_f1) {
    VivaSim sim;
    sim.hookTo();
    sim.control("/viva-api/_control/settings", Json{{"session_events", false}});
    const core::HttpResponse created =
        sim.legacy("POST", "/api/orders",
                   std::string("Amount=1240&SourceCode=") + serial1 +
                       "&MerchantTrns=ERP%3AA-7&CustomerTrns=Invoice+A-7&RequestLang=el-GR");
    BOOST_TEST_REQUIRE(created.status == 200, created.body);
    const Json order = created.json("order");
    BOOST_TEST(order["ErrorCode"] == 0);
    BOOST_TEST(order["ErrorText"].is_null());
    BOOST_TEST(order["Success"] == true);
    const std::int64_t code = order["OrderCode"].get<std::int64_t>();
    BOOST_TEST(std::to_string(code).size() == 16U);
    const std::string byCode = "/api/transactions?ordercode=" + std::to_string(code);
    BOOST_TEST(sim.legacy("GET", byCode).json("t")["Transactions"].empty());

    // F1 is pressed by itself a few seconds later and the card is taken.
    const std::vector<Json> hooks = sim.waitHooks(1);
    BOOST_TEST(hooks[0]["EventTypeId"] == 1796);
    BOOST_TEST(hooks[0]["EventData"]["OrderCode"] == code);
    BOOST_TEST(hooks[0]["EventData"]["MerchantTrns"] == "ERP:A-7");
    BOOST_TEST(hooks[0]["EventData"]["SourceCode"] == serial1);
    const Json listed = sim.legacy("GET", byCode).json("t");
    BOOST_TEST_REQUIRE(listed["Transactions"].size() == 1U);
    const Json& transaction = listed["Transactions"][0];
    BOOST_TEST(transaction["StatusId"] == "F");
    BOOST_TEST(core::decimalText(transaction["Amount"]) == "12.40");
    BOOST_TEST(transaction["CustomerTrns"] == "Invoice A-7");
    const std::string transactionId = transaction["TransactionId"].get<std::string>();
    BOOST_TEST(sim.legacy("GET", "/api/transactions/" + transactionId)
                   .json("t")["Transactions"][0]["OrderCode"] == code);
    const std::string day = sim::viva::athensDate(sim.server.clock().now());
    BOOST_TEST(
        sim.legacy("GET", "/api/transactions/?date=" + day).json("t")["Transactions"].size() == 1U);

    // Manual pick-up: only the latest order of a source is shown; a declined card is an "E".
    sim.control("/viva-legacy/_control/settings", Json{{"auto_pickup", false}});
    const auto orderOf = [&sim](const std::string& amount) {
        return sim
            .legacy("POST", "/api/orders",
                    "Amount=" + amount + "&SourceCode=" + std::string(serial1))
            .json("order")["OrderCode"]
            .get<std::int64_t>();
    };
    const std::int64_t older = orderOf("500");
    const std::int64_t latest = orderOf("999");
    sim.server.clock().sleepFor(seconds(20));
    BOOST_TEST(sim.stats("viva_legacy")["orders_picked_up"] == 1);
    const Json pressed =
        sim.control("/viva-legacy/_control/press-f1", Json{{"source_code", serial1}});
    BOOST_TEST(pressed["order_code"] == latest);
    sim.waitHooks(2);
    const Json declined =
        sim.legacy("GET", "/api/transactions?ordercode=" + std::to_string(latest)).json("t");
    BOOST_TEST_REQUIRE(declined["Transactions"].size() == 1U);
    BOOST_TEST(declined["Transactions"][0]["StatusId"] == "E");
    BOOST_TEST(sim.hooks->received()[1]["EventTypeId"] == 1798);
    // The latest order is done: F1 takes nothing, and the older order is never paid.
    BOOST_TEST(
        sim.control("/viva-legacy/_control/press-f1", Json{{"source_code", serial1}})["order_code"]
            .is_null());
    BOOST_TEST(sim.legacy("GET", "/api/transactions?ordercode=" + std::to_string(older))
                   .json("t")["Transactions"]
                   .empty());

    const auto bad = [&sim](const std::string& form) {
        const core::HttpResponse response = sim.legacy("POST", "/api/orders", form);
        BOOST_TEST(response.status == 400, form);
        return response.json("e")["ErrorText"].get<std::string>();
    };
    BOOST_TEST(bad("SourceCode=" + std::string(serial1)).rfind("Amount", 0) == 0U);
    BOOST_TEST(bad("Amount=12.40&SourceCode=" + std::string(serial1)).rfind("Amount", 0) == 0U);
    BOOST_TEST(bad("Amount=100").rfind("SourceCode", 0) == 0U);
    BOOST_TEST(bad("Amount=100&SourceCode=1234").rfind("SourceCode", 0) == 0U);
    BOOST_TEST(sim.legacy("GET", "/api/transactions").status == 400);
    BOOST_TEST(sim.legacy("GET", "/api/transactions?ordercode=abc").status == 400);
    BOOST_TEST(
        sim.send("POST", "/viva-legacy/_control/press-f1", Json{{"source_code", "1"}}).status ==
        400);

    const Json stats = sim.stats("viva_legacy");
    BOOST_TEST(stats["orders_created"] == 3);
    BOOST_TEST(stats["orders_paid"] == 1);
    BOOST_TEST(stats["orders_failed"] == 1);
    BOOST_TEST(stats["f1_presses"] == 3);
}

BOOST_AUTO_TEST_CASE(injected_faults_apply_to_the_cloud_terminal_api) {
    VivaSim sim;
    // The sale's answer is lost after the session was made: exactly one session exists, and
    // polling finds its outcome.
    const Json body = sim.sale(1240);
    const std::string id = body["sessionId"].get<std::string>();
    sim.fault(Json{{"method", "POST"},
                   {"path", "/viva-api/ecr/v1/transactions:sale"},
                   {"kind", "drop_after"}});
    try {
        sim.api("POST", "/transactions:sale", body);
        BOOST_FAIL("the answer should have been lost");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.waitFinal(id)["success"] == true);
    BOOST_TEST(sim.stats()["session_posts"][id] == 1);
    BOOST_TEST(sim.stats()["sessions_created"] == 1);

    // Dropped before: nothing was made.
    const Json lost = sim.sale(1240);
    sim.fault(Json{{"path", "/viva-api/ecr/v1/transactions:sale"}, {"kind", "drop_before"}});
    BOOST_CHECK_THROW(sim.api("POST", "/transactions:sale", lost), core::TransportError);
    BOOST_TEST(sim.poll(lost["sessionId"].get<std::string>()).status == 404);

    // A 503 and a broken body on the poll, then the session again.
    sim.fault(Json{{"method", "GET"},
                   {"path", "/viva-api/ecr/v1/sessions/"},
                   {"kind", "status"},
                   {"status", 503}});
    BOOST_TEST(sim.poll(id).status == 503);
    sim.fault(Json{{"path", "/viva-api/ecr/v1/sessions/"}, {"kind", "malformed"}});
    BOOST_CHECK_THROW(sim.poll(id).json("session"), core::ResponseError);
    BOOST_TEST(sim.poll(id).status == 200);
    // A slow answer: the sale is made at once, its answer comes later.
    sim.fault(Json{
        {"path", "/viva-api/ecr/v1/transactions:sale"}, {"kind", "delay"}, {"delay_ms", 5000}});
    const std::string slow = sim.start(sim.sale(1240, tid2));
    BOOST_TEST(sim.waitFinal(slow)["success"] == true);
    BOOST_TEST(sim.send("GET", "/_sim/stats").json("s")["_sim"]["faults_applied"] == 5);
}

BOOST_AUTO_TEST_CASE(reset_forgets_sessions_orders_tokens_and_settings) {
    VivaSim sim;
    const std::string id = sim.start(sim.sale(1240));
    sim.hookTo();
    sim.control("/viva-api/_control/settings", Json{{"codes_as_numbers", true}});
    sim.control("/viva-legacy/_control/settings", Json{{"auto_pickup", false}});
    BOOST_TEST(sim.waitFinal(id)["orderCode"].is_number_integer());
    sim.control("/_sim/reset");
    BOOST_TEST(sim.api("POST", "/devices:search", Json::object()).status == 401);
    sim.token = sim.newToken();
    BOOST_TEST(sim.poll(id).status == 404);
    const Json settings = sim.send("GET", "/viva-api/_control/settings").json("s");
    BOOST_TEST(settings["codes_as_numbers"] == false);
    BOOST_TEST(settings["require_aade"] == true);
    BOOST_TEST(sim.send("GET", "/viva-legacy/_control/settings").json("s")["auto_pickup"] == true);
    BOOST_TEST(sim.send("GET", "/viva-api/_control/webhooks").json("w")["url"] == "");
    const Json stats = sim.stats();
    BOOST_TEST(stats["sessions_created"] == 0);
    BOOST_TEST(stats["requests"] == 4); // since the reset
    BOOST_TEST(stats["unauthenticated"] == 1);
}

BOOST_AUTO_TEST_CASE(terminals_option_and_fiscpos_sim_viva_options) {
    const auto terminals =
        sim::viva::parseTerminals("16000020:5678:777,16000021", "viva-terminals");
    BOOST_TEST_REQUIRE(terminals.size() == 2U);
    BOOST_TEST(terminals[0].terminalId == "16000020");
    BOOST_TEST(terminals[0].sourceCode == "5678");
    BOOST_TEST(terminals[0].serial == "777");
    BOOST_TEST(terminals[1].sourceCode == "1234");
    BOOST_TEST(terminals[1].serial == "0816000021");
    for (const char* bad : {"", "T1", "1:2:3:4", "1,1", "1:1:9,2:1:9", "1:x"}) {
        BOOST_CHECK_THROW(sim::viva::parseTerminals(bad, "viva-terminals"), core::ConfigError);
    }

    const auto binary = test::binaryDir() / "sim" / "fiscpos-sim";
    const std::string help = test::runProcess(binary, {"--help"}).out;
    for (const char* offered :
         {"--viva-client-id", "--viva-client-secret", "--viva-terminals",
          "--viva-provider-public-key", "--viva-webhook-url", "--viva-manual-pickup",
          "--viva-expired-token-answer", "/viva-api/_control/finish", "88.88"}) {
        BOOST_TEST(help.find(offered) != std::string::npos, offered);
    }
    // Each bad value stops fiscpos-sim with status 1 and a message naming the option.
    const std::string key = test::mellonPrivateKey().string();
    const std::map<std::string, std::string> badValues{
        {"viva-terminals", "T-1"},
        {"viva-expired-token-answer", "maybe"},
        {"viva-webhook-url", "ftp://x/hook"},
        {"viva-complete-after", "soon"},
        {"viva-provider-ids", "9x9"},
        {"viva-token-lifetime", "0"},
        {"viva-provider-public-key", "/nonexistent.pem"}};
    for (const auto& [option, value] : badValues) {
        const test::ProcessResult run =
            test::runProcess(binary, {"--provider-key", key, "--listen", "127.0.0.1:0",
                                      "--time-scale", "100", "--" + option, value});
        BOOST_TEST((run.exitCode == 1 && run.err.find(option) != std::string::npos),
                   option << ": " << run.exitCode << " " << run.err);
    }

    // A running fiscpos-sim serves the Viva parties with the options given.
    Poco::Pipe out;
    Poco::ProcessHandle process =
        Poco::Process::launch(binary.string(),
                              {"--provider-key", key, "--listen", "127.0.0.1:0", "--time-scale",
                               "100", "--viva-client-id", "erp-7", "--viva-token-lifetime", "60",
                               "--viva-terminals", "16000099"},
                              nullptr, &out, nullptr);
    Poco::PipeInputStream stream(out);
    std::string line;
    std::getline(stream, line);
    const std::string banner = "fiscpos-sim listening on ";
    const bool listening = line.rfind(banner, 0) == 0;
    if (listening) {
        core::HttpClient http(line.substr(banner.size()));
        core::HttpRequest request =
            formRequest("/viva-accounts/connect/token", "grant_type=client_credentials");
        request.header("Authorization", basic("erp-7", "sim-viva-secret"));
        const core::HttpResponse token = http.send(request);
        BOOST_TEST(token.status == 200, token.body);
        BOOST_TEST(token.json("t")["expires_in"] == 60);
        const core::HttpResponse devices = http.send(
            core::HttpRequest::json("POST", "/viva-api/ecr/v1/devices:search", Json::object())
                .header("Authorization",
                        "Bearer " + token.json("t")["access_token"].get<std::string>()));
        BOOST_TEST(devices.json("d")[0]["terminalId"] == "16000099");
    }
    ::kill(process.id(), SIGTERM);
    BOOST_TEST(process.wait() == 0);
    BOOST_TEST(listening, line);
}

BOOST_AUTO_TEST_SUITE_END()
