// The simulated Mellon WebECR network over real HTTP on loopback: tokens, pairing, terminals,
// intents moving on simulated time, the terminal's check of the provider's signature, the UAT
// scenario amounts, queries, voids and refunds, a lost txninit answer, and revoked keys.
// Simulated time runs fast (time scale) and waits poll with a bound on the simulator's clock.
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "mellon/webecr_settings.hpp"
#include "signing/ecdsa.hpp"
#include "signing/local_signer.hpp"
#include "signing/signature_text.hpp"
#include "sim/mellon/mellon_options.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <set>

using namespace fiscpos;
using core::Json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr const char* api = "/mellon/api/v2.2";
constexpr const char* defaultKey = "c2ltLXdlYmVjci1rZXktMQ";
constexpr std::int64_t counter1 = 358046; // TID 99000031
constexpr std::int64_t counter2 = 358047; // TID 99000032

sim::SimServerOptions serverOptions(double timeScale) {
    sim::SimServerOptions options;
    options.timeScale = timeScale;
    return options;
}

// A simulator in the test process with the Mellon party, verifying with Mellon's test public key;
// `signer` makes provider signatures with the matching private key.
struct MellonSim {
    explicit MellonSim(sim::MellonPartyOptions options = {}, double timeScale = 100.0)
        : server(serverOptions(timeScale))
        , signer(signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999", system) {
        server.addParty(std::make_shared<sim::MellonParty>(
            signing::PublicKey::fromPemFile(test::mellonPublicKey()), std::move(options),
            server.clock()));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        access = login()["access"].get<std::string>();
    }

    core::HttpResponse send(const std::string& method, const std::string& target,
                            const Json& body = nullptr, const std::string& bearer = "",
                            const std::string& key = "") {
        core::HttpRequest request = body.is_null()
                                        ? core::HttpRequest{method, target, {}, {}, {}, {}}
                                        : core::HttpRequest::json(method, target, body);
        if (!bearer.empty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (!key.empty()) {
            request.header("X-Api-Key", key);
        }
        return http->send(request);
    }

    // A business call under the API root with the current token and key.
    core::HttpResponse call(const std::string& method, const std::string& path,
                            const Json& body = nullptr) {
        return send(method, std::string(api) + path, body, access, apiKey);
    }

    Json ok(const std::string& method, const std::string& path, const Json& body = nullptr) {
        const core::HttpResponse response = call(method, path, body);
        BOOST_TEST_REQUIRE(response.status == 200, method << " " << path << ": " << response.status
                                                          << " " << response.body);
        return response.json(path);
    }

    Json login(const std::string& password = "sim-password") {
        const core::HttpResponse response = send(
            "POST", "/mellon/api/token/", Json{{"username", "sim-user"}, {"password", password}});
        BOOST_TEST_REQUIRE(response.status == 200, response.body);
        return response.json("token");
    }

    Json control(const std::string& action, const Json& body = Json::object()) {
        const core::HttpResponse response = send("POST", "/mellon/_control/" + action, body);
        BOOST_TEST_REQUIRE(response.status == 200, response.body);
        return response.json(action);
    }

    Json stats() { return send("GET", "/_sim/stats").json("stats")["mellon"]; }

    // ProviderData signed by the provider for `amount` cents on TID `tid`, in the Mellon layout.
    Json providerData(std::int64_t amount, const std::string& tid = "99000031") {
        signing::SignatureRequest request;
        request.nsp = signing::Nsp::WebEcr;
        request.issuerVat = "123456789";
        request.branch = 1;
        request.series = "R";
        request.number = std::to_string(++invoiceNumber);
        request.issuedAt = core::athensIso8601(system.now());
        request.invoiceType = "11.1";
        const std::int64_t vat = amount * 24 / 124;
        request.net = core::Money::fromCents(amount - vat);
        request.vat = core::Money::fromCents(vat);
        request.total = core::Money::fromCents(amount);
        request.payment = core::Money::fromCents(amount);
        request.terminalId = tid;
        const signing::ProviderSignature signature = signer.sign(request);
        const signing::InputText input = signature.inputText();
        return Json{{"Uid", input.uid()},
                    {"SignatureTimestamp", input.timestamp()},
                    {"NetAmount", input.net().cents()},
                    {"VatAmount", input.vat().cents()},
                    {"TotalAmount", input.total().cents()},
                    {"ProviderId", "999"},
                    {"Signature", signature.signatureBase64}};
    }

    // A sale body in the shape of the contract's example, with a fresh reference.
    Json sale(std::int64_t amount, const std::string& tid = "99000031") {
        return Json{{"TxnType", 0},
                    {"Amount", amount},
                    {"TipAmount", 0},
                    {"CashbackAmount", 0},
                    {"CurrencyCode", 978},
                    {"Instalments", 0},
                    {"OnBehalfCollection", false},
                    {"CustomerReference", core::newUuid()},
                    {"Timeout", 0},
                    {"ProviderData", providerData(amount, tid)},
                    {"PaymentType", 0}};
    }

    Json txninit(const Json& body, std::int64_t terminal = counter1) {
        return ok("POST", "/terminal/" + std::to_string(terminal) + "/txninit/", body);
    }

    std::vector<Json> intentsFor(const std::string& reference) {
        const Json page = ok("GET", "/transactionintent/?CustomerReference=" + reference);
        return page["results"].get<std::vector<Json>>();
    }

    // Polls the intent of `reference` until `done` holds, for at most `bound` of simulated time.
    Json waitFor(const std::string& reference, const std::function<bool(const Json&)>& done,
                 milliseconds bound = seconds(30)) {
        const milliseconds until = server.clock().elapsed() + bound;
        for (;;) {
            const std::vector<Json> found = intentsFor(reference);
            BOOST_TEST_REQUIRE(found.size() == 1U);
            if (done(found[0]) || server.clock().elapsed() > until) {
                return found[0];
            }
            server.clock().sleepFor(milliseconds(500));
        }
    }

    Json waitCompleted(const std::string& reference, milliseconds bound = seconds(30)) {
        const Json intent = waitFor(
            reference, [](const Json& i) { return i["Status"] == 3; }, bound);
        BOOST_TEST_REQUIRE(intent["Status"] == 3, "not completed: " << intent.dump());
        return intent;
    }

    core::SystemClock system;
    sim::SimServer server;
    signing::LocalSigner signer;
    std::unique_ptr<core::HttpClient> http;
    std::string access;
    std::string apiKey = defaultKey;
    int invoiceNumber = 0;
};

std::string reference(const Json& body) {
    return body["CustomerReference"].get<std::string>();
}

bool has(const Json& errors, const std::string& field) {
    return errors.is_object() && errors.contains(field);
}

bool isDigits(const std::string& text, std::size_t length) {
    return text.size() == length && text.find_first_not_of("0123456789") == std::string::npos;
}

// The target of an absolute link served by `sim` ("http://127.0.0.1:PORT/mellon/...").
std::string targetOf(const MellonSim& sim, const Json& link) {
    const std::string url = link.get<std::string>();
    BOOST_TEST_REQUIRE(url.rfind(sim.server.baseUrl() + "/", 0) == 0U, url);
    return url.substr(sim.server.baseUrl().size());
}

} // namespace

BOOST_AUTO_TEST_SUITE(mellon_sim)

BOOST_AUTO_TEST_CASE(token_login_refresh_and_refusals) {
    MellonSim sim;
    const Json tokens = sim.login();
    BOOST_TEST(tokens.contains("refresh"));
    BOOST_TEST(std::count(sim.access.begin(), sim.access.end(), '.') == 2); // JWT-shaped

    const core::HttpResponse wrong =
        sim.send("POST", "/mellon/api/token/", Json{{"username", "sim-user"}, {"password", "x"}});
    BOOST_TEST(wrong.status == 401);
    BOOST_TEST(wrong.json("e")["detail"] == "No active account found with the given credentials");
    const core::HttpResponse incomplete =
        sim.send("POST", "/mellon/api/token/", Json{{"username", "sim-user"}});
    BOOST_TEST(incomplete.status == 400);
    BOOST_TEST(has(incomplete.json("e"), "password"));

    BOOST_TEST(sim.call("GET", "/terminal/").status == 200);
    BOOST_TEST(sim.send("GET", std::string(api) + "/terminal/", nullptr, "", defaultKey).status ==
               401);
    const core::HttpResponse bogus =
        sim.send("GET", std::string(api) + "/terminal/", nullptr, "not-a-token", defaultKey);
    BOOST_TEST(bogus.status == 401);
    BOOST_TEST(bogus.header("WWW-Authenticate").find("Bearer") == 0U);
    BOOST_TEST(bogus.json("e")["code"] == "token_not_valid");
    // A refresh token is not an access token.
    BOOST_TEST(sim.send("GET", std::string(api) + "/terminal/", nullptr,
                        tokens["refresh"].get<std::string>(), defaultKey)
                   .status == 401);

    const core::HttpResponse refreshed =
        sim.send("POST", "/mellon/api/token/refresh/", Json{{"refresh", tokens["refresh"]}});
    BOOST_TEST_REQUIRE(refreshed.status == 200);
    const std::string newAccess = refreshed.json("refresh")["access"].get<std::string>();
    BOOST_TEST(newAccess != sim.access);
    BOOST_TEST(
        sim.send("GET", std::string(api) + "/terminal/", nullptr, newAccess, defaultKey).status ==
        200);
    BOOST_TEST(
        sim.send("POST", "/mellon/api/token/refresh/", Json{{"refresh", sim.access}}).status ==
        401);

    const Json stats = sim.stats();
    BOOST_TEST(stats["token_logins"] == 2);
    BOOST_TEST(stats["token_login_failures"] == 1);
    BOOST_TEST(stats["token_refreshes"] == 1);
}

BOOST_AUTO_TEST_CASE(expired_tokens_need_a_refresh_then_a_login) {
    MellonSim sim;
    const std::string refresh = sim.login()["refresh"].get<std::string>();
    const Json expired = sim.control("expire-tokens");
    BOOST_TEST(expired["expired_access"] == 2);
    BOOST_TEST(expired["expired_refresh"] == 0);
    BOOST_TEST(sim.call("GET", "/terminal/").status == 401);

    const core::HttpResponse refreshed =
        sim.send("POST", "/mellon/api/token/refresh/", Json{{"refresh", refresh}});
    BOOST_TEST_REQUIRE(refreshed.status == 200);
    sim.access = refreshed.json("refresh")["access"].get<std::string>();
    BOOST_TEST(sim.call("GET", "/terminal/").status == 200);

    sim.control("expire-tokens", Json{{"refresh", true}});
    BOOST_TEST(sim.call("GET", "/terminal/").status == 401);
    BOOST_TEST(sim.send("POST", "/mellon/api/token/refresh/", Json{{"refresh", refresh}}).status ==
               401);
    sim.access = sim.login()["access"].get<std::string>();
    BOOST_TEST(sim.call("GET", "/terminal/").status == 200);
}

BOOST_AUTO_TEST_CASE(redeem_pairs_with_the_bearer_only) {
    MellonSim sim;
    const std::string redeem = "/mellon/api/v2.1/authorization/redeem/";
    const core::HttpResponse paired =
        sim.send("POST", redeem, Json{{"Type", "webecr"}, {"Code", "12345678"}}, sim.access);
    BOOST_TEST_REQUIRE(paired.status == 200, paired.body);
    BOOST_TEST(paired.json("redeem")["Id"] == defaultKey);
    BOOST_TEST(paired.json("redeem")["Type"] == "webecr");
    // A numeric code is read as its digits; 10 digits are accepted as well.
    BOOST_TEST(sim.send("POST", redeem, Json{{"Type", "webecr"}, {"Code", 8413239096}}, sim.access)
                   .status == 200);

    const core::HttpResponse badCode =
        sim.send("POST", redeem, Json{{"Type", "webecr"}, {"Code", "12"}}, sim.access);
    BOOST_TEST(badCode.status == 400);
    BOOST_TEST(has(badCode.json("e"), "Code"));
    const core::HttpResponse badType =
        sim.send("POST", redeem, Json{{"Type", "other"}, {"Code", "12345678"}}, sim.access);
    BOOST_TEST(badType.status == 400);
    BOOST_TEST(has(badType.json("e"), "Type"));
    BOOST_TEST(sim.send("POST", redeem, Json{{"Type", "webecr"}, {"Code", "12345678"}}).status ==
               401);
    BOOST_TEST(sim.stats()["redeems"] == 2);

    sim::MellonPartyOptions options;
    options.pairCode = "55501234";
    MellonSim configured(options);
    BOOST_TEST(
        configured
            .send("POST", redeem, Json{{"Type", "webecr"}, {"Code", "12345678"}}, configured.access)
            .status == 400);
    BOOST_TEST(
        configured
            .send("POST", redeem, Json{{"Type", "webecr"}, {"Code", "55501234"}}, configured.access)
            .status == 200);
}

BOOST_AUTO_TEST_CASE(terminals_are_paginated_with_absolute_next_links) {
    MellonSim sim;
    std::vector<Json> terminals;
    std::string target = std::string(api) + "/terminal/";
    int pages = 0;
    for (;;) {
        const core::HttpResponse response =
            sim.send("GET", target, nullptr, sim.access, defaultKey);
        BOOST_TEST_REQUIRE(response.status == 200, response.body);
        const Json page = response.json("terminals");
        BOOST_TEST(page["count"] == 3);
        BOOST_TEST(page["results"].size() <= 2U);
        for (const Json& terminal : page["results"]) {
            terminals.push_back(terminal);
        }
        ++pages;
        if (page["next"].is_null()) {
            BOOST_TEST(!page["previous"].is_null());
            break;
        }
        target = targetOf(sim, page["next"]);
    }
    BOOST_TEST(pages == 2);
    BOOST_TEST_REQUIRE(terminals.size() == 3U);
    BOOST_TEST(terminals[0]["id"] == counter1);
    BOOST_TEST(terminals[0]["TerminalID"] == "99000031");
    BOOST_TEST(terminals[1]["TerminalID"] == "99000032");
    BOOST_TEST(terminals[0]["Locked"] == false);
    BOOST_TEST(terminals[0]["CurrentBatchNumber"] == 1);

    const Json filtered = sim.ok("GET", "/terminal/?TerminalID=99000032");
    BOOST_TEST(filtered["count"] == 1);
    BOOST_TEST(filtered["results"][0]["id"] == counter2);
    BOOST_TEST(sim.ok("GET", "/terminal/358047/")["TerminalID"] == "99000032");
    BOOST_TEST(sim.call("GET", "/terminal/1/").status == 404);
    // v2.1 serves the same resources; a path without its trailing slash does not exist.
    BOOST_TEST(
        sim.send("GET", "/mellon/api/v2.1/terminal/", nullptr, sim.access, defaultKey).status ==
        200);
    BOOST_TEST(sim.call("GET", "/terminal").status == 404);
    // Without the API key a business call is forbidden.
    BOOST_TEST(sim.send("GET", std::string(api) + "/terminal/", nullptr, sim.access).status == 403);
}

BOOST_AUTO_TEST_CASE(signed_sale_goes_pending_sent_completed_with_a_transaction) {
    MellonSim sim({}, 10.0); // SENT after 100 ms, completed after 400 ms of real time
    const core::TimePoint before = sim.system.now() - seconds(1);
    const Json body = sim.sale(1240);
    const Json created = sim.txninit(body);
    BOOST_TEST(created["Status"] == 1);
    BOOST_TEST(created["Result"].is_null());
    BOOST_TEST(created["TransactionId"].is_null());
    BOOST_TEST(created["Amount"] == 1240);
    BOOST_TEST(created["Terminal"] == counter1);
    BOOST_TEST(created["CustomerReference"] == reference(body));
    const std::int64_t id = created["Id"].get<std::int64_t>();

    const Json sent = sim.waitFor(reference(body), [](const Json& i) { return i["Status"] != 1; });
    BOOST_TEST(sent["Status"] == 2);
    BOOST_TEST(sent["Result"].is_null());
    const Json done = sim.waitCompleted(reference(body));
    BOOST_TEST(done["Result"] == 1);
    const std::string transactionId = done["TransactionId"].get<std::string>();
    BOOST_TEST(isDigits(transactionId, 21), transactionId);
    BOOST_TEST_REQUIRE(done["Transaction"].is_number_integer());
    BOOST_TEST(sim.ok("GET", "/transactionintent/" + std::to_string(id) + "/") == done);

    const Json list =
        sim.ok("GET", "/transaction/?TID=99000031&Timestamp_min=" + core::utcIso8601(before));
    BOOST_TEST_REQUIRE(list["count"] == 1);
    const Json transaction = list["results"][0];
    BOOST_TEST(transaction["Id"] == std::to_string(done["Transaction"].get<std::int64_t>()));
    BOOST_TEST(transaction["ExternalId"] == transactionId);
    BOOST_TEST(transaction["Approved"] == true);
    BOOST_TEST(transaction["Voided"] == false);
    BOOST_TEST(transaction["Amount"] == 1240);
    BOOST_TEST(transaction["TID"] == "99000031");
    BOOST_TEST(transaction["MID"] == "11719");
    BOOST_TEST(isDigits(transaction["RRN"].get<std::string>(), 12));
    BOOST_TEST(isDigits(transaction["AuthCode"].get<std::string>(), 6));
    BOOST_TEST(transaction["CardPAN"].get<std::string>().find("******") != std::string::npos);
    BOOST_TEST(transaction["STAN"].is_number_integer());
    BOOST_TEST(transaction["BatchNumber"] == 1);
    BOOST_TEST(transaction["CustomerReference"] == reference(body));
    BOOST_TEST(transaction["HostResponseCode"] == "00");

    const Json stats = sim.stats();
    BOOST_TEST(stats["intents_created"] == 1);
    BOOST_TEST(stats["intents_by_reference"][reference(body)] == 1);
    BOOST_TEST(stats["signature_failures"] == 0);
}

BOOST_AUTO_TEST_CASE(a_signature_the_terminal_cannot_verify_fails_the_intent) {
    MellonSim sim;
    Json tampered = sim.sale(1240);
    tampered["ProviderData"]["NetAmount"] = 1001; // not what was signed
    sim.txninit(tampered);
    // Signed for counter 1's TID, sent to counter 2.
    const Json otherTid = sim.sale(500, "99000031");
    sim.txninit(otherTid, counter2);
    // Hex where base64 DER is expected.
    Json hex = sim.sale(700);
    const signing::Bytes der =
        signing::fromBase64(hex["ProviderData"]["Signature"].get<std::string>());
    hex["ProviderData"]["Signature"] = signing::toHexUpper(der);
    sim.txninit(hex);
    const Json good = sim.sale(1240);
    sim.txninit(good);

    for (const Json* body : std::initializer_list<const Json*>{&tampered, &otherTid, &hex}) {
        const Json intent = sim.waitCompleted(reference(*body));
        BOOST_TEST(intent["Result"] == 4);
        BOOST_TEST(intent["TransactionId"].is_null());
        BOOST_TEST(intent["Transaction"].is_null());
    }
    BOOST_TEST(sim.waitCompleted(reference(good))["Result"] == 1);

    const Json stats = sim.stats();
    BOOST_TEST(stats["signature_failures"] == 3);
    const Json log = stats["signature_failure_log"];
    BOOST_TEST_REQUIRE(log.size() == 3U);
    BOOST_TEST(log[0]["customer_reference"] == reference(tampered));
    BOOST_TEST(log[0]["reason"].get<std::string>().find("does not verify") != std::string::npos);
    BOOST_TEST(log[1]["tid"] == "99000032");
    BOOST_TEST(log[2]["reason"].get<std::string>().find("base64") != std::string::npos);
    BOOST_TEST(sim.ok("GET", "/transaction/")["count"] == 1);
}

BOOST_AUTO_TEST_CASE(bad_txninit_bodies_get_400_naming_the_field) {
    MellonSim sim;
    const auto refused = [&sim](const Json& body) {
        const core::HttpResponse response = sim.call("POST", "/terminal/358046/txninit/", body);
        BOOST_TEST(response.status == 400, response.body);
        return response.json("error");
    };
    Json noData = sim.sale(1240);
    noData.erase("ProviderData");
    BOOST_TEST(refused(noData)["ProviderData"][0] == "This field is required.");

    Json noUid = sim.sale(1240);
    noUid["ProviderData"].erase("Uid");
    BOOST_TEST(has(refused(noUid)["ProviderData"], "Uid"));
    Json badTimestamp = sim.sale(1240);
    badTimestamp["ProviderData"]["SignatureTimestamp"] = "2026-02-02T14:00:21";
    BOOST_TEST(has(refused(badTimestamp)["ProviderData"], "SignatureTimestamp"));
    Json notObject = sim.sale(1240);
    notObject["ProviderData"] = "signed";
    BOOST_TEST(has(refused(notObject)["ProviderData"], "non_field_errors"));

    Json decimalAmount = sim.sale(1240);
    decimalAmount["Amount"] = core::decimalNumber(core::Money::fromCents(1240));
    BOOST_TEST(has(refused(decimalAmount), "Amount"));
    Json moto = sim.sale(1240);
    moto["TxnType"] = 4; // a pre-authorisation (2) and its completion (3) are simulated
    BOOST_TEST(has(refused(moto), "TxnType"));
    Json completion = sim.sale(1240);
    completion["TxnType"] = 3; // without InitialTransaction
    BOOST_TEST(has(refused(completion), "InitialTransaction"));
    Json noReference = sim.sale(1240);
    noReference.erase("CustomerReference");
    BOOST_TEST(has(refused(noReference), "CustomerReference"));
    Json longReference = sim.sale(1240);
    longReference["CustomerReference"] = std::string(51, 'r');
    BOOST_TEST(has(refused(longReference), "CustomerReference"));
    Json dollars = sim.sale(1240);
    dollars["CurrencyCode"] = 840;
    BOOST_TEST(has(refused(dollars), "CurrencyCode"));
    Json longWait = sim.sale(1240);
    longWait["Timeout"] = 181;
    BOOST_TEST(has(refused(longWait), "Timeout"));

    const core::HttpResponse notJson = sim.send(
        "POST", std::string(api) + "/terminal/358046/txninit/", nullptr, sim.access, defaultKey);
    BOOST_TEST(notJson.status == 400);
    BOOST_TEST(sim.call("POST", "/terminal/999/txninit/", sim.sale(1240)).status == 404);
    BOOST_TEST(sim.call("GET", "/terminal/358046/txninit/").status == 405);
    BOOST_TEST(sim.stats()["intents_created"] == 0);
}

BOOST_AUTO_TEST_CASE(uat_scenario_amounts) {
    MellonSim sim; // time scale 100: the 150 s and 180 s scenarios take 1.5 s and 1.8 s
    const core::TimePoint before = sim.system.now() - seconds(1);
    std::map<std::int64_t, Json> bodies;
    for (const std::int64_t amount : {1240, 999, 2222, 1313, 3333, 6666, 7777}) {
        bodies[amount] = sim.sale(amount);
        BOOST_TEST(sim.txninit(bodies[amount])["Status"] == 1);
    }
    const auto ref = [&bodies](std::int64_t amount) {
        return reference(bodies[amount]);
    };

    BOOST_TEST(sim.waitCompleted(ref(1240))["Result"] == 1);
    BOOST_TEST(sim.waitCompleted(ref(6666))["Result"] == 6);
    BOOST_TEST(sim.waitCompleted(ref(7777))["Result"] == 7);
    const Json cancelled = sim.waitCompleted(ref(3333));
    BOOST_TEST(cancelled["Result"] == 3);
    BOOST_TEST(cancelled["Transaction"].is_null());
    const Json declined = sim.waitCompleted(ref(999));
    BOOST_TEST(declined["Result"] == 2);
    BOOST_TEST(declined["TransactionId"].is_null());
    // The normal ones are done; the late approval and the lost communication are still SENT.
    BOOST_TEST(sim.intentsFor(ref(2222))[0]["Status"] == 2);
    BOOST_TEST(sim.intentsFor(ref(1313))[0]["Status"] == 2);

    const Json late = sim.waitCompleted(ref(2222), seconds(200));
    BOOST_TEST(late["Result"] == 1);
    BOOST_TEST(isDigits(late["TransactionId"].get<std::string>(), 21));
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(150));

    const Json lost = sim.waitCompleted(ref(1313), seconds(250));
    BOOST_TEST(lost["Result"] == 5);
    BOOST_TEST(lost["TransactionId"].is_null());
    BOOST_TEST(lost["Transaction"].is_null());
    BOOST_TEST(sim.server.clock().elapsed() >= seconds(180));
    // In doubt, resolved by the transaction list: the card was charged.
    const Json resolved =
        sim.ok("GET", "/transaction/?TID=99000031&Timestamp_min=" + core::utcIso8601(before) +
                          "&CustomerReference=" + ref(1313));
    BOOST_TEST_REQUIRE(resolved["count"] == 1);
    BOOST_TEST(resolved["results"][0]["Approved"] == true);
    BOOST_TEST(resolved["results"][0]["Amount"] == 1313);
    BOOST_TEST(isDigits(resolved["results"][0]["ExternalId"].get<std::string>(), 21));
    // The declined card is on the list too, not approved.
    const Json declinedTxn = sim.ok("GET", "/transaction/?CustomerReference=" + ref(999));
    BOOST_TEST_REQUIRE(declinedTxn["count"] == 1);
    BOOST_TEST(declinedTxn["results"][0]["Approved"] == false);
    BOOST_TEST(sim.ok("GET", "/transaction/?CustomerReference=" + ref(3333))["count"] == 0);

    const Json results = sim.stats()["results"];
    for (const char* result : {"1", "2", "3", "5", "6", "7"}) {
        BOOST_TEST(results[result] == (std::string(result) == "1" ? 2 : 1), result);
    }
}

BOOST_AUTO_TEST_CASE(intents_are_found_by_reference_transaction_id_and_period) {
    sim::MellonPartyOptions options;
    options.pageSize = 2;
    MellonSim sim(options);
    // Intents carry simulated time, which runs 100 times faster than the system's: the period is
    // taken on the simulator's clock.
    const core::TimePoint before = sim.server.clock().now() - seconds(2);
    std::vector<Json> bodies;
    for (const std::int64_t amount : {100, 200, 300}) {
        bodies.push_back(sim.sale(amount));
        sim.txninit(bodies.back());
    }
    const Json first = sim.waitCompleted(reference(bodies[0]));
    BOOST_TEST(sim.intentsFor(reference(bodies[1])).size() == 1U);
    BOOST_TEST(sim.intentsFor(core::newUuid()).empty());

    const Json byTransaction = sim.ok("GET", "/transactionintent/?TransactionId=" +
                                                 first["TransactionId"].get<std::string>());
    BOOST_TEST_REQUIRE(byTransaction["count"] == 1);
    BOOST_TEST(byTransaction["results"][0]["Id"] == first["Id"]);

    const std::string after = core::utcIso8601(sim.server.clock().now() + seconds(2));
    const Json period =
        sim.ok("GET", "/transactionintent/?Timestamp_min=" + core::utcIso8601(before) +
                          "&Timestamp_max=" + after);
    BOOST_TEST(period["count"] == 3);
    BOOST_TEST(period["results"].size() == 2U);
    const std::string next = targetOf(sim, period["next"]);
    BOOST_TEST(next.find("Timestamp_min=") != std::string::npos);
    const core::HttpResponse second = sim.send("GET", next, nullptr, sim.access, defaultKey);
    BOOST_TEST_REQUIRE(second.status == 200);
    BOOST_TEST(second.json("page")["results"].size() == 1U);
    BOOST_TEST(second.json("page")["next"].is_null());

    const Json past = sim.ok("GET", "/transactionintent/?Timestamp_max=" +
                                        core::utcIso8601(before - seconds(60)));
    BOOST_TEST(past["count"] == 0);
    const core::HttpResponse bad = sim.call("GET", "/transactionintent/?Timestamp_min=yesterday");
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(has(bad.json("e"), "Timestamp_min"));
}

BOOST_AUTO_TEST_CASE(void_by_intent_id_and_by_transaction_id) {
    MellonSim sim;
    const Json saleA = sim.sale(1500);
    const Json saleB = sim.sale(2500);
    const std::int64_t intentA = sim.txninit(saleA)["Id"].get<std::int64_t>();
    sim.txninit(saleB);
    const Json doneA = sim.waitCompleted(reference(saleA));
    const Json doneB = sim.waitCompleted(reference(saleB));

    const std::string voidPath = "/terminal/358046/txnvoid/";
    const Json voidA = sim.ok("POST", voidPath,
                              Json{{"OriginalIdentifier", std::to_string(intentA)},
                                   {"OriginalIdentifierType", 1},
                                   {"Timeout", 0}});
    BOOST_TEST(voidA["Status"] == 1);
    BOOST_TEST(voidA["OriginalIdentifierType"] == 1);
    BOOST_TEST(voidA["Amount"] == 1500);
    BOOST_TEST(voidA["Id"] != intentA);
    // A second void while the first is running is refused.
    BOOST_TEST(sim.call("POST", voidPath,
                        Json{{"OriginalIdentifier", std::to_string(intentA)},
                             {"OriginalIdentifierType", 1}})
                   .status == 400);

    const Json voidB = sim.ok("POST", voidPath,
                              Json{{"OriginalIdentifier", doneB["TransactionId"]},
                                   {"OriginalIdentifierType", 2},
                                   {"Timeout", 60}}); // synchronous: answers completed
    BOOST_TEST(voidB["Status"] == 3);
    BOOST_TEST(voidB["Result"] == 1);
    BOOST_TEST(voidB["Transaction"] == doneB["Transaction"]);

    const std::string voidAPath =
        "/transactionintent/" + std::to_string(voidA["Id"].get<std::int64_t>()) + "/";
    for (int i = 0; i < 100 && sim.ok("GET", voidAPath)["Status"] != 3; ++i) {
        sim.server.clock().sleepFor(milliseconds(500));
    }
    BOOST_TEST(sim.ok("GET", voidAPath)["Result"] == 1);
    for (const Json* done : {&doneA, &doneB}) {
        const Json transaction =
            sim.ok("GET", "/transaction/" +
                              std::to_string((*done)["Transaction"].get<std::int64_t>()) + "/");
        BOOST_TEST(transaction["Voided"] == true);
        BOOST_TEST(transaction["VoidTimestamp"].is_string());
    }
    const auto refused = [&sim, &voidPath](const Json& body, const std::string& field) {
        const core::HttpResponse response = sim.call("POST", voidPath, body);
        BOOST_TEST(response.status == 400, response.body);
        BOOST_TEST(has(response.json("e"), field), response.body);
    };
    refused(Json{{"OriginalIdentifier", std::to_string(intentA)}, {"OriginalIdentifierType", 1}},
            "OriginalIdentifier"); // already voided
    refused(Json{{"OriginalIdentifier", "1"}, {"OriginalIdentifierType", 3}},
            "OriginalIdentifierType");
    refused(Json{{"OriginalIdentifierType", 1}}, "OriginalIdentifier");
    refused(Json{{"OriginalIdentifier", "999999999"}, {"OriginalIdentifierType", 2}},
            "OriginalIdentifier");
    // The original was made on counter 1.
    const Json saleC = sim.sale(300);
    sim.txninit(saleC);
    const Json doneC = sim.waitCompleted(reference(saleC));
    BOOST_TEST(sim.call("POST", "/terminal/358047/txnvoid/",
                        Json{{"OriginalIdentifier", doneC["TransactionId"]},
                             {"OriginalIdentifierType", 2}})
                   .status == 400);
    BOOST_TEST(sim.stats()["voids"] == 2);
}

BOOST_AUTO_TEST_CASE(refund_with_initial_transaction) {
    MellonSim sim;
    const Json sale = sim.sale(5000);
    sim.txninit(sale);
    const Json done = sim.waitCompleted(reference(sale));
    const std::int64_t original = done["Transaction"].get<std::int64_t>();

    Json refund = sim.sale(2000);
    refund["TxnType"] = 1;
    refund["InitialTransaction"] = original;
    const Json created = sim.txninit(refund);
    BOOST_TEST(created["TxnType"] == 1);
    BOOST_TEST(created["InitialTransaction"] == original);
    const Json refunded = sim.waitCompleted(reference(refund));
    BOOST_TEST(refunded["Result"] == 1);
    const Json transaction = sim.ok(
        "GET", "/transaction/" + std::to_string(refunded["Transaction"].get<std::int64_t>()) + "/");
    BOOST_TEST(transaction["TxnType"] == 1);
    BOOST_TEST(transaction["Amount"] == 2000);
    const Json sold = sim.ok("GET", "/transaction/" + std::to_string(original) + "/");
    BOOST_TEST(transaction["OriginalRRN"] == sold["RRN"]);
    BOOST_TEST(transaction["OriginalAuthCode"] == sold["AuthCode"]);

    // By the original's TransactionId too; more than is left to refund is refused.
    Json tooMuch = sim.sale(3001);
    tooMuch["TxnType"] = 1;
    tooMuch["InitialTransaction"] = done["TransactionId"];
    const core::HttpResponse over = sim.call("POST", "/terminal/358046/txninit/", tooMuch);
    BOOST_TEST(over.status == 400);
    BOOST_TEST(has(over.json("e"), "Amount"));
    Json rest = sim.sale(3000);
    rest["TxnType"] = 1;
    rest["InitialTransaction"] = done["TransactionId"];
    sim.txninit(rest);
    Json unknown = sim.sale(100);
    unknown["TxnType"] = 1;
    unknown["InitialTransaction"] = 42;
    const core::HttpResponse missing = sim.call("POST", "/terminal/358046/txninit/", unknown);
    BOOST_TEST(missing.status == 400);
    BOOST_TEST(has(missing.json("e"), "InitialTransaction"));
    BOOST_TEST(sim.stats()["refunds"] == 2);
}

BOOST_AUTO_TEST_CASE(a_lost_txninit_answer_leaves_exactly_one_intent) {
    MellonSim sim;
    sim.send("POST", "/_sim/faults",
             Json{{"method", "POST"},
                  {"path", "/mellon/api/v2.2/terminal/358046/txninit/"},
                  {"kind", "drop_after"}});
    const Json body = sim.sale(1240);
    try {
        sim.call("POST", "/terminal/358046/txninit/", body);
        BOOST_FAIL("the answer should have been lost");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
    }
    const std::vector<Json> found = sim.intentsFor(reference(body));
    BOOST_TEST_REQUIRE(found.size() == 1U);
    BOOST_TEST(sim.stats()["intents_by_reference"][reference(body)] == 1);
    BOOST_TEST(sim.waitCompleted(reference(body))["Result"] == 1);
}

BOOST_AUTO_TEST_CASE(a_revoked_key_is_refused_even_with_a_fresh_token) {
    MellonSim sim;
    const Json revoked = sim.control("revoke-key");
    BOOST_TEST(revoked["revoked"] == Json::array({defaultKey}));
    sim.access = sim.login()["access"].get<std::string>();
    const core::HttpResponse refused = sim.call("GET", "/terminal/");
    BOOST_TEST(refused.status == 403);
    BOOST_TEST(refused.json("e")["detail"].get<std::string>().find("revoked") != std::string::npos);
    BOOST_TEST(sim.call("POST", "/terminal/358046/txninit/", sim.sale(100)).status == 403);

    sim.control("settings", Json{{"revoked_key_status", 401}});
    BOOST_TEST(sim.call("GET", "/terminal/").status == 401);

    // Pairing again issues a new key that works.
    const core::HttpResponse paired =
        sim.send("POST", "/mellon/api/v2.1/authorization/redeem/",
                 Json{{"Type", "webecr"}, {"Code", "123456"}}, sim.access);
    BOOST_TEST_REQUIRE(paired.status == 200);
    sim.apiKey = paired.json("redeem")["Id"].get<std::string>();
    BOOST_TEST(sim.apiKey != defaultKey);
    BOOST_TEST(sim.apiKey.size() == 22U);
    BOOST_TEST(sim.call("GET", "/terminal/").status == 200);
    BOOST_TEST(sim.stats()["keys_revoked"] == 1);

    // A reset restores the configured key.
    sim.send("POST", "/_sim/reset");
    sim.access = sim.login()["access"].get<std::string>();
    sim.apiKey = defaultKey;
    BOOST_TEST(sim.call("GET", "/terminal/").status == 200);
}

BOOST_AUTO_TEST_CASE(intents_can_carry_the_transaction_as_an_object_and_a_lowercase_id) {
    MellonSim sim;
    const Json settings =
        sim.control("settings", Json{{"transaction_as_object", true}, {"intent_id_key", "id"}});
    BOOST_TEST(settings["transaction_as_object"] == true);
    const Json body = sim.sale(1240);
    const Json created = sim.ok("POST", "/terminal/358046/txninit/", [&body] {
        Json b = body;
        b["Timeout"] = 30; // answers once completed
        return b;
    }());
    BOOST_TEST(created.contains("id"));
    BOOST_TEST(!created.contains("Id"));
    BOOST_TEST(created["Status"] == 3);
    const Json transaction = created["Transaction"];
    BOOST_TEST_REQUIRE(transaction.is_object());
    BOOST_TEST(transaction["TID"] == "99000031");
    BOOST_TEST(isDigits(transaction["RRN"].get<std::string>(), 12));
    BOOST_TEST(transaction["CustomerReceipt"].is_string());
    const core::HttpResponse bad =
        sim.send("POST", "/mellon/_control/settings", Json{{"intent_id_key", "ID"}});
    BOOST_TEST(bad.status == 400);
}

BOOST_AUTO_TEST_CASE(terminals_option_and_fiscpos_sim_mellon_options) {
    const auto terminals =
        sim::mellon::parseTerminals("1:11111111:Front desk,2:22222222", "mellon-terminals");
    BOOST_TEST_REQUIRE(terminals.size() == 2U);
    BOOST_TEST(terminals[0].id == 1);
    BOOST_TEST(terminals[0].tid == "11111111");
    BOOST_TEST(terminals[0].friendlyName == "Front desk");
    BOOST_TEST(terminals[1].tid == "22222222");
    for (const char* bad : {"", "x:1", "1", "1:", "1:11;1", "1:1,1:2", "1:1,2:1"}) {
        BOOST_CHECK_THROW(sim::mellon::parseTerminals(bad, "mellon-terminals"), core::ConfigError);
    }

    const auto binary = test::binaryDir() / "sim" / "fiscpos-sim";
    const test::ProcessResult help = test::runProcess(binary, {"--help"});
    BOOST_TEST(help.exitCode == 0);
    for (const char* option : {"--mellon-username", "--mellon-password", "--mellon-terminals",
                               "--mellon-provider-public-key", "--mellon-transaction-object",
                               "/mellon/_control/revoke-key"}) {
        BOOST_TEST(help.out.find(option) != std::string::npos, option);
    }
    const std::string key = test::mellonPrivateKey().string();
    const auto refused = [&binary, &key](const std::string& option, const std::string& value) {
        const test::ProcessResult run = test::runProcess(
            binary, {"--provider-key", key, "--listen", "127.0.0.1:0", "--" + option, value});
        BOOST_TEST(run.exitCode == 1, option);
        BOOST_TEST(run.err.find(option) != std::string::npos, run.err);
    };
    refused("mellon-terminals", "358046");
    refused("mellon-revoked-key-status", "500");
    refused("mellon-sent-after", "soon");
    refused("mellon-provider-public-key", "/nonexistent.pem");
}

// fiscpos-bench runs its long-wait mode with the sample's default: the one fiscpos uses.
BOOST_AUTO_TEST_CASE(the_samples_long_wait_is_webecrs_wait_seconds) {
    const sim::SimNetworkRegistry registry({sim::mellon::registerNetwork});
    const auto& sample = registry.modules().front().sample;
    BOOST_TEST_REQUIRE(sample.has_value());
    BOOST_TEST_REQUIRE(sample->longWait.has_value());
    BOOST_TEST(sample->longWait->setting == "wait_seconds");
    BOOST_TEST(sample->longWait->defaultSeconds == mellon::WebEcrSettings::defaultWaitSeconds);
    BOOST_TEST(!sample->webhookOnFinish);
}

BOOST_AUTO_TEST_SUITE_END()
