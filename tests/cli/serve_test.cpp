// fiscpos serve as an ERP, Viva and an accountant meet it: the real executable, started on a
// configuration that points at an in-process simulator (provider, Mellon, Viva), spoken to over
// loopback HTTP. Conditions are awaited through serve's log lines (a condition variable) or the
// journal, never by sleeping.
#include "core/clock.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "plugin/c_abi/c_api_methods.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sms_sim.hpp"
#include "tests/support/test_journal.hpp"
#include "tests/support/viva_sim.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/URI.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <functional>
#include <future>
#include <istream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

using namespace fiscpos;
using core::Json;

namespace {

const std::string apiToken = "erp-api-token-0123456789";
const std::string auditToken = "audit-token-0123456789ab";
const std::string webhookToken = "hook-token-0123456789abcdef";
using test::ServeProcess;
// How long a condition may take before the test gives up: a guard against hanging, not a timing
// that is asserted.
constexpr auto patience = std::chrono::seconds(60);

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// An HTTP answer with its JSON body (null when the body is not JSON).
struct Answer {
    core::HttpResponse response;
    Json json;
};

Answer exchange(const std::string& base, core::HttpRequest request) {
    core::HttpOptions options;
    options.readTimeout = std::chrono::milliseconds(120000);
    core::HttpClient client(base, options);
    Answer answer{client.send(request), nullptr};
    try {
        answer.json = answer.response.json("answer");
    } catch (const core::Error&) {
        answer.json = nullptr;
    }
    return answer;
}

struct ServeWorld {
    sim::SimServer server{[] {
        sim::SimServerOptions options;
        options.timeScale = 100; // a 4-second payment takes 40 ms
        return options;
    }()};
    std::filesystem::path dir = test::freshTempDir("serve");
    std::filesystem::path config = dir / "fiscpos.ini";
    std::string journalUrl = test::testJournalUrl(dir);
    std::unique_ptr<ServeProcess> serve;

    explicit ServeWorld(const std::string& extraServe = "") {
        test::addPaymentParties(server, "serve-token");
        test::addVivaParties(server);
        server.start();
        const std::string base = server.baseUrl();
        std::ofstream(config) << "[journal]\nurl = " << journalUrl << "\n"
                              << "[provider]\nurl = " << base
                              << "/provider\ntoken = serve-token\nprovider_id = 999\n"
                              << "[terminal.A3]\nnsp = mellon\nurl = " << base
                              << "/mellon\nusername = sim-user\npassword = sim-password\n"
                              << "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = 358046\n"
                              << "tid = 99000031\nprovider_id = 999\n"
                              << "[terminal.V1]\nnsp = viva\naccounts_url = " << base
                              << "/viva-accounts\napi_url = " << base
                              << "/viva-api\nlegacy_url = " << base << "/viva-legacy\n"
                              << "client_id = " << test::viva_defaults::clientId
                              << "\nclient_secret = " << test::viva_defaults::clientSecret
                              << "\nmerchant_id = " << test::viva_defaults::merchantId
                              << "\napi_key = " << test::viva_defaults::apiKey
                              << "\ntid = " << test::viva_defaults::terminalId
                              << "\ncash_register = ERP-1\nprovider_id = 999\n"
                              << "[serve]\napi_token = " << apiToken
                              << "\naudit_token = " << auditToken << "\nwebhook_token = "
                              << webhookToken
                              // serve runs in real time: a short fallback poll keeps the
                              // tests whose webhooks never come quick.
                              << "\nwebhook_fallback_seconds = 1\nthreads = 4\n"
                              << extraServe;
    }

    void startServe(const std::string& listen = "127.0.0.1:0") {
        serve = std::make_unique<ServeProcess>(config, listen);
    }

    std::string webhookUrl() const { return serve->url() + "/webhooks/viva/" + webhookToken; }

    Answer api(const std::string& method, const Json& request,
               const std::string& token = apiToken) const {
        auto http = core::HttpRequest::json("POST", "/api/" + method, request);
        if (!token.empty()) {
            http.header("Authorization", "Bearer " + token);
        }
        return exchange(serve->url(), http);
    }
    // The method started (Prefer: respond-async) rather than waited for.
    Answer start(const std::string& method, const Json& request) const {
        auto http = core::HttpRequest::json("POST", "/api/" + method, request);
        http.header("Authorization", "Bearer " + apiToken);
        http.header("Prefer", "respond-async");
        return exchange(serve->url(), http);
    }
    Answer get(const std::string& target, const std::string& authorization = "") const {
        auto http = core::HttpRequest::get(target);
        if (!authorization.empty()) {
            http.header("Authorization", authorization);
        }
        return exchange(serve->url(), http);
    }
    Answer postWebhook(const std::string& url, const Json& event) const {
        return exchange(url, core::HttpRequest::json("POST", "", event));
    }
    // A control call of the simulated Viva network.
    Json vivaControl(const std::string& action, const Json& body) const {
        const auto answer =
            exchange(server.baseUrl(),
                     core::HttpRequest::json("POST", "/viva-api/_control/" + action, body));
        BOOST_TEST_REQUIRE(answer.response.ok(), answer.response.body);
        return answer.json;
    }
    // Viva delivers its webhooks to serve from now on.
    void pointVivaWebhooksAtServe(bool duplicate = false) const {
        vivaControl("webhooks", Json{{"url", webhookUrl()}, {"duplicate", duplicate}});
    }
    std::int64_t requests(const std::string& party, const std::string& method) {
        const Json byMethod = server.stats()[party]["requests_by_method"];
        return byMethod.contains(method) ? byMethod[method].get<std::int64_t>() : 0;
    }
    Json journalEntry(const std::string& id) const {
        const auto shown = api("journal", Json{{"action", "show"}, {"entry", id}});
        BOOST_TEST_REQUIRE(shown.response.status == 200, shown.response.body);
        return shown.json;
    }
    // A Viva payment of 88.88 through POST /api/pay, which stays on the terminal until the
    // simulator is told how it ends; returned once the payment waits for the card.
    struct WaitingPayment {
        std::future<Answer> answer;
        std::string id;
        std::string reference; // Viva's sessionId
    };
    WaitingPayment payAndWait(const std::string& key, const std::string& aa) const {
        WaitingPayment payment;
        payment.answer = std::async(std::launch::async, [this, key, aa] {
            return api("pay", Json{{"terminal", "V1"},
                                   {"invoice", invoice("88.88", "71.68", "17.20", aa)},
                                   {"idempotency_key", key}});
        });
        // "on_device" comes from the payment's wait for the card, so the wait is registered.
        const std::string line = serve->awaitLine({"api pay entry", "on_device"});
        const auto at = line.find(" entry ");
        BOOST_TEST_REQUIRE(at != std::string::npos, line);
        payment.id = line.substr(at + 7, 36);
        payment.reference = journalEntry(payment.id)["network_reference"].get<std::string>();
        return payment;
    }
    // Tells the simulated terminal that the card paid the session.
    void approveOnTerminal(const std::string& reference) const {
        vivaControl("finish", Json{{"sessionId", reference}, {"outcome", "approved"}});
    }
    std::filesystem::path invoiceFile(const std::string& gross, const std::string& net,
                                      const std::string& vat, const std::string& aa) const {
        const auto file = dir / ("sale-" + aa + ".json");
        std::ofstream(file) << core::dumpJson(invoice(gross, net, vat, aa));
        return file;
    }
    static Json invoice(const std::string& gross, const std::string& net, const std::string& vat,
                        const std::string& aa) {
        return Json{
            {"issuer", {{"vat", "999999999"}, {"branch", 0}, {"country", "GR"}}},
            {"series", "A"},
            {"aa", aa},
            {"type", "11.1"},
            {"issued_at", core::athensIso8601(std::chrono::system_clock::now())},
            {"totals", {{"net", net}, {"vat", vat}, {"gross", gross}}},
            {"lines",
             Json::array({{{"net", net},
                           {"vat_category", 1},
                           {"vat", vat},
                           {"income", {{"type", "E3_561_003"}, {"category", "category1_1"}}}}})}};
    }
};

// A Viva payment webhook (1796 unless told otherwise) naming our reference in MerchantTrns.
Json vivaEvent(const std::string& messageId, const std::string& reference, int type = 1796) {
    return Json{{"EventData",
                 {{"MerchantTrns", "fiscpos:" + reference},
                  {"TransactionId", core::newUuid()},
                  {"StatusId", "F"},
                  {"TerminalId", 16000010},
                  {"Amount", core::decimalNumber(core::Money::parse("88.88", "amount"))},
                  {"CurrencyCode", "978"}}},
                {"Created", "2024-05-10T13:43:40.1234567Z"},
                {"CorrelationId", core::newUuid()},
                {"EventTypeId", type},
                {"RetryCount", 0},
                {"MessageId", messageId},
                {"MessageTypeId", 0}};
}

// What the OpenAPI description says of a value: the parts of a 3.0 schema it uses ($ref, allOf,
// oneOf, nullable, type, enum, required, properties, items). Each mismatch is one line in
// `problems`, naming where in the value it is.
void checkSchema(const Json& value, const Json& schema, const Json& doc, const std::string& where,
                 std::vector<std::string>& problems) {
    if (schema.contains("$ref")) {
        const std::string name = schema["$ref"].get<std::string>();
        const std::string prefix = "#/components/schemas/";
        BOOST_TEST_REQUIRE(name.starts_with(prefix), name);
        checkSchema(value, doc["components"]["schemas"][name.substr(prefix.size())], doc, where,
                    problems);
        return;
    }
    if (schema.contains("allOf")) {
        for (const auto& part : schema["allOf"]) {
            checkSchema(value, part, doc, where, problems);
        }
    }
    if (schema.contains("oneOf")) {
        std::size_t matching = 0;
        for (const auto& option : schema["oneOf"]) {
            std::vector<std::string> mismatches;
            checkSchema(value, option, doc, where, mismatches);
            matching += mismatches.empty() ? 1 : 0;
        }
        if (matching != 1) {
            problems.push_back(where + ": matches " + std::to_string(matching) +
                               " of the oneOf schemas");
        }
    }
    if (value.is_null()) {
        if (!schema.value("nullable", false) && schema.contains("type")) {
            problems.push_back(where + ": null, not " + schema["type"].get<std::string>());
        }
        return;
    }
    if (schema.contains("type")) {
        const std::string type = schema["type"].get<std::string>();
        const bool fits =
            (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
            (type == "string" && value.is_string()) || (type == "boolean" && value.is_boolean()) ||
            (type == "integer" && value.is_number_integer()) ||
            (type == "number" && value.is_number());
        if (!fits) {
            problems.push_back(where + ": " + core::dumpJson(value).substr(0, 60) + " is not " +
                               type);
            return;
        }
    }
    if (schema.contains("enum")) {
        const auto& allowed = schema["enum"];
        if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
            problems.push_back(where + ": " + core::dumpJson(value) + " is not in the enum");
        }
    }
    if (value.is_object()) {
        for (const auto& name : schema.value("required", Json::array())) {
            if (!value.contains(name.get<std::string>())) {
                problems.push_back(where + ": no " + name.get<std::string>());
            }
        }
        if (schema.contains("properties")) {
            for (const auto& [name, property] : schema["properties"].items()) {
                if (value.contains(name)) {
                    checkSchema(value[name], property, doc, where + "." + name, problems);
                }
            }
        }
    }
    if (value.is_array() && schema.contains("items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            checkSchema(value[i], schema["items"], doc, where + "[" + std::to_string(i) + "]",
                        problems);
        }
    }
}

// The documented answer of `operation` for `status` (through components.responses).
Json documentedResponse(const Json& doc, const Json& operation, int status) {
    const std::string code = std::to_string(status);
    if (!operation["responses"].contains(code)) {
        return nullptr;
    }
    Json response = operation["responses"][code];
    if (response.contains("$ref")) {
        const std::string name = response["$ref"].get<std::string>();
        response = doc["components"]["responses"][name.substr(name.rfind('/') + 1)];
    }
    return response;
}

// The answer is one the description lists for the operation, and its JSON body has the listed
// shape.
void checkAnswer(const Json& doc, const Json& operation, const std::string& what,
                 const Answer& answer) {
    const Json documented = documentedResponse(doc, operation, answer.response.status);
    BOOST_TEST_REQUIRE(!documented.is_null(),
                       what << " answered " << answer.response.status
                            << ", which the description does not list: " << answer.response.body);
    if (!documented.contains("content")) {
        return;
    }
    const auto& content = documented["content"];
    if (content.contains("application/json")) {
        BOOST_TEST(answer.response.header("Content-Type").starts_with("application/json"), what);
        std::vector<std::string> problems;
        checkSchema(answer.json, content["application/json"]["schema"], doc, "body", problems);
        std::string listed;
        for (const auto& problem : problems) {
            listed += "\n  " + problem;
        }
        BOOST_TEST(problems.empty(),
                   what << " " << answer.response.status << " is not as described:" << listed);
    } else {
        const std::string type = content.contains("text/csv") ? "text/csv" : "text/html";
        BOOST_TEST(answer.response.header("Content-Type").starts_with(type), what);
    }
}
} // namespace

BOOST_AUTO_TEST_SUITE(serve)

BOOST_AUTO_TEST_CASE(health_and_a_mellon_payment_through_the_api) {
    ServeWorld world;
    world.startServe();
    const auto health = world.get("/health");
    BOOST_TEST(health.response.status == 200);
    BOOST_TEST(health.json["ok"].get<bool>());
    BOOST_TEST(health.json["version"].get<std::string>() == FISCPOS_VERSION);

    const auto paid =
        world.api("pay", Json{{"terminal", "A3"},
                              {"invoice", ServeWorld::invoice("1.24", "1.00", "0.24", "1")},
                              {"idempotency_key", "serve-1"}});
    BOOST_TEST_REQUIRE(paid.response.status == 200, paid.response.body);
    BOOST_TEST(paid.response.header("X-Fiscpos-Status") == "0");
    BOOST_TEST(paid.json["status"].get<int>() == 0);
    BOOST_TEST(paid.json["ok"].get<bool>());
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(paid.json["amount"].get<std::string>() == "1.24");

    // The journal through the API: the entry, and a filter on its reference.
    const auto listed =
        world.get("/api/journal?reference=" + paid.json["network_reference"].get<std::string>(),
                  "Bearer " + apiToken);
    BOOST_TEST_REQUIRE(listed.response.status == 200, listed.response.body);
    BOOST_TEST(listed.json["entries"].size() == 1u);
    BOOST_TEST(world.serve->terminate() == 0);
    BOOST_TEST(!world.serve->awaitLine({"stopped"}).empty());
}

BOOST_AUTO_TEST_CASE(bad_input_unknown_paths_and_tokens) {
    ServeWorld world;
    world.startServe();
    const Json invoice = ServeWorld::invoice("1.24", "1.00", "0.24", "2");

    const auto badAmount =
        world.api("pay", Json{{"terminal", "A3"}, {"invoice", invoice}, {"amount", "1.2.4"}});
    BOOST_TEST(badAmount.response.status == 400);
    BOOST_TEST(badAmount.response.header("X-Fiscpos-Status") == "1");
    BOOST_TEST(badAmount.json["error"]["field"].get<std::string>() == "amount");

    const auto noTerminal = world.api("pay", Json{{"invoice", invoice}});
    BOOST_TEST(noTerminal.response.status == 400);
    BOOST_TEST(noTerminal.json["error"]["field"].get<std::string>() == "terminal");

    auto notJson = core::HttpRequest::get("/api/status");
    notJson.method = "POST";
    notJson.body = "{\"entry\": ";
    notJson.contentType = "application/json";
    notJson.header("Authorization", "Bearer " + apiToken);
    const auto broken = exchange(world.serve->url(), notJson);
    BOOST_TEST(broken.response.status == 400);
    BOOST_TEST(broken.json["error"]["field"].get<std::string>() == "request");

    const auto unknownEntry = world.api("status", Json{{"entry", "no-such-entry"}});
    BOOST_TEST(unknownEntry.response.status == 400);
    BOOST_TEST(unknownEntry.json["error"]["field"].get<std::string>() == "entry");

    // Tokens: a wrong or missing bearer is 401 and runs nothing.
    const auto wrong = world.api("pay", Json{{"terminal", "A3"}, {"invoice", invoice}},
                                 "erp-api-token-0123456788");
    BOOST_TEST(wrong.response.status == 401);
    BOOST_TEST(contains(wrong.response.header("WWW-Authenticate"), "Bearer"));
    BOOST_TEST(world.api("journal", Json::object(), "").response.status == 401);
    BOOST_TEST(world.get("/api/journal", "Bearer " + auditToken).response.status == 401);
    BOOST_TEST(world.get("/api/journal", "bearer " + apiToken).response.status == 200);
    BOOST_TEST(world.get("/api/journal", "Bearer").response.status == 401);
    BOOST_TEST(world.get("/audit", "Bearer " + apiToken).response.status == 401);
    BOOST_TEST(world.requests("provider", "POST") == 0); // nothing was signed

    // Unknown paths and methods.
    const auto unknownMethod = world.api("teleport", Json::object());
    BOOST_TEST(unknownMethod.response.status == 404);
    BOOST_TEST(unknownMethod.json["error"]["field"].get<std::string>() == "method");
    BOOST_TEST(world.get("/nothing/here").response.status == 404);
    BOOST_TEST(world.get("/api/pay", "Bearer " + apiToken).response.status == 405);

    const auto listed = world.get("/api/journal?from=2024-13-45", "Bearer " + apiToken);
    BOOST_TEST(listed.response.status == 400);
    BOOST_TEST(listed.json["error"]["field"].get<std::string>() == "from");
}

BOOST_AUTO_TEST_CASE(unusable_serve_settings_are_refused_naming_the_setting) {
    ServeWorld world;
    std::string original;
    {
        std::ifstream in(world.config);
        original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // Runs serve on the configuration with the line `from` replaced by `to`.
    const auto serveWith = [&](const std::string& from, const std::string& to,
                               const std::string& listen) {
        std::string text = original;
        text.replace(text.find(from), from.size(), to);
        const auto changed = world.dir / "changed.ini";
        std::ofstream(changed) << text;
        const auto result = test::runProcess(
            test::fiscposBinary(), {"--config", changed.string(), "serve", "--listen", listen});
        BOOST_TEST(result.exitCode == 1);
        BOOST_TEST(!contains(result.out, "listening"));
        return result.err;
    };
    // Anyone who reaches a public address could take payments.
    const std::string noToken = serveWith("api_token = " + apiToken, "; none", "0.0.0.0:0");
    BOOST_TEST(contains(noToken, "serve.api_token"), noToken);
    const std::string shortToken =
        serveWith("webhook_token = " + webhookToken, "webhook_token = guessable", "127.0.0.1:0");
    BOOST_TEST(contains(shortToken, "serve.webhook_token"), shortToken);
    BOOST_TEST(!contains(shortToken, "guessable")); // a secret is never repeated
    const std::string badListen = serveWith("threads = 4", "threads = 4", "127.0.0.1");
    BOOST_TEST(contains(badListen, "--listen"), badListen);
    const std::string noConnections =
        serveWith("threads = 4", "threads = 4\nconnections_per_client = 0", "127.0.0.1:0");
    BOOST_TEST(contains(noConnections, "serve.connections_per_client"), noConnections);
}

BOOST_AUTO_TEST_CASE(the_webhook_url_answers_the_verification_key_once_fetched) {
    ServeWorld world;
    world.startServe();
    world.pointVivaWebhooksAtServe();
    const auto first = world.get("/webhooks/viva/" + webhookToken);
    BOOST_TEST_REQUIRE(first.response.status == 200, first.response.body);
    BOOST_TEST(first.json["Key"].get<std::string>() == test::viva_defaults::webhookKey);
    // Viva's own Verify step against the same URL.
    const Json verified = world.vivaControl("webhooks/verify", Json::object());
    BOOST_TEST(verified["verified"].get<bool>(), core::dumpJson(verified));
    // The per-terminal form answers the same key; the key was fetched from Viva once.
    const auto perTerminal = world.get("/webhooks/viva/V1/" + webhookToken);
    BOOST_TEST(perTerminal.json["Key"].get<std::string>() == test::viva_defaults::webhookKey);
    BOOST_TEST(world.requests("viva_legacy", "GET") == 1);

    // A wrong token, or none, is the plain 404 of any unknown path and fetches nothing.
    const auto wrong = world.get("/webhooks/viva/hook-token-0123456789abcdeX");
    const auto unknown = world.get("/nothing/here");
    BOOST_TEST(wrong.response.status == 404);
    BOOST_TEST(wrong.response.body == unknown.response.body);
    BOOST_TEST(world.get("/webhooks/viva/").response.status == 404);
    BOOST_TEST(world.get("/webhooks/viva/A3/" + webhookToken).response.status == 404);
    BOOST_TEST(world.requests("viva_legacy", "GET") == 1);
}

BOOST_AUTO_TEST_CASE(webhooks_with_a_wrong_token_or_seen_before_change_nothing) {
    ServeWorld world;
    world.startServe();
    const std::string reference = core::newUuid(); // no entry has it

    const auto wrong =
        world.postWebhook(world.serve->url() + "/webhooks/viva/" + "hook-token-0123456789abcdeX",
                          vivaEvent("message-wrong-token", reference));
    BOOST_TEST(wrong.response.status == 404);
    BOOST_TEST(wrong.response.body == world.get("/nothing/here").response.body);

    const auto first = world.postWebhook(world.webhookUrl(), vivaEvent("message-1", reference));
    BOOST_TEST(first.response.status == 200);
    const auto again = world.postWebhook(world.webhookUrl(), vivaEvent("message-1", reference));
    BOOST_TEST(again.response.status == 200);
    BOOST_TEST(
        !world.serve->awaitLine({"message-1", "no journal entry has this reference"}).empty());
    BOOST_TEST(!world.serve->awaitLine({"message-1", "duplicate"}).empty());

    // Not a payment event, and an unreadable one.
    const auto other =
        world.postWebhook(world.webhookUrl(), vivaEvent("message-2", reference, 1799));
    BOOST_TEST(other.response.status == 200);
    BOOST_TEST(!world.serve->awaitLine({"message-2", "event 1799", "ignored"}).empty());
    Json broken = vivaEvent("message-3", reference);
    broken["EventData"]["Amount"] = "lots";
    const auto unreadable = world.postWebhook(world.webhookUrl(), broken);
    BOOST_TEST(unreadable.response.status == 400);
    BOOST_TEST(contains(unreadable.json["error"]["field"].get<std::string>(), "Amount"));

    // The events were acted on in order: had the wrong-token one been taken, its line would
    // have come before message-1's.
    BOOST_TEST(world.serve->countLines({"message-wrong-token"}) == 0u);
    BOOST_TEST(world.serve->countLines({"message-1"}) == 2u); // handled once, then the duplicate
    BOOST_TEST(!contains(world.serve->log(), webhookToken));  // the token never reaches the log
    const auto health = world.get("/health");
    BOOST_TEST(health.json["webhooks"]["received"].get<int>() == 4); // not the wrong-token one
    BOOST_TEST(health.json["webhooks"]["duplicates"].get<int>() == 1);
    BOOST_TEST(health.json["webhooks"]["unknown_reference"].get<int>() == 1);
    BOOST_TEST(health.json["webhooks"]["ignored"].get<int>() == 1);
    BOOST_TEST(health.json["webhooks"]["unreadable"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(a_webhook_settles_a_payment_a_killed_process_left_open) {
    ServeWorld world;
    world.startServe();
    world.pointVivaWebhooksAtServe(true); // Viva sends every message twice

    // 88.88 stays on the terminal until the simulator is told how it ends.
    const auto invoice = world.invoiceFile("88.88", "71.68", "17.20", "3");
    const auto killed =
        test::runProcess(test::fiscposBinary(),
                         {"--config", world.config.string(), "--json", "pay", "--terminal", "V1",
                          "--invoice", invoice.string(), "--key", "killed-1"},
                         {{"FISCPOS_TEST_KILL_AT", "pending"}});
    BOOST_TEST_REQUIRE(killed.exitCode != 0, "the payment was not killed");
    const auto open =
        world.get("/api/journal?terminal=V1&state=SENDING,SENT", "Bearer " + apiToken);
    BOOST_TEST_REQUIRE(open.json["entries"].size() == 1u,
                       killed.err + world.get("/api/journal", "Bearer " + apiToken).response.body);
    const Json entry = open.json["entries"][0];
    const std::string id = entry["id"].get<std::string>();
    const std::string reference = entry["network_reference"].get<std::string>();
    // Neither the killed process nor serve asked Viva about the session.
    BOOST_TEST(world.requests("viva_api", "GET") == 0);

    world.approveOnTerminal(reference);
    // Killed right after Viva accepted the sale: the entry is SENDING or SENT.
    const std::string settled = world.serve->awaitLine({"entry " + id, "-> APPROVED recorded"});
    BOOST_TEST(contains(settled, "webhook viva message")); // a webhook did it: 1796 or 1802
    const Json after = world.journalEntry(id);
    BOOST_TEST(after["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(!after["transaction_id"].is_null());
    BOOST_TEST(world.requests("viva_api", "GET") >= 1);
    // Every message came twice and was acted on once.
    BOOST_TEST(!world.serve->awaitLine({"duplicate"}).empty());
    BOOST_TEST(world.serve->countLines({"-> APPROVED recorded"}) == 1u);
    BOOST_TEST(
        world.get("/api/journal?state=SENDING,SENT", "Bearer " + apiToken).json["entries"].empty());
}

BOOST_AUTO_TEST_CASE(a_webhook_wakes_a_payment_waiting_in_serve_and_a_cancel_runs_meanwhile) {
    ServeWorld world;
    world.startServe();
    auto payment = world.payAndWait("waiting-1", "4");
    const std::string& id = payment.id;
    const std::string& reference = payment.reference;

    // The event is a hint: the payment waiting on it asks Viva at once, and is still pending.
    BOOST_TEST(world.postWebhook(world.webhookUrl(), vivaEvent("message-wake", reference))
                   .response.status == 200);
    BOOST_TEST(!world.serve->awaitLine({"message-wake", "woke the payment"}).empty());

    // Another request is served while the payment holds its thread.
    const auto cancelled = world.api("cancel", Json{{"entry", id}});
    BOOST_TEST(cancelled.response.status == 200, cancelled.response.body);

    world.approveOnTerminal(reference);
    const auto paid = payment.answer.get();
    BOOST_TEST_REQUIRE(paid.response.status == 200, paid.response.body);
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(paid.response.header("X-Fiscpos-Status") == "0");
}

// "Prefer: respond-async": 202 with the entry at once, the payment going on in serve without a
// request waiting on it; its progress and, once it ended, its answer from /api/progress.
BOOST_AUTO_TEST_CASE(a_started_payment_answers_202_and_its_progress_follows) {
    ServeWorld world;
    world.startServe();
    const auto started =
        world.start("pay", Json{{"terminal", "V1"},
                                {"invoice", ServeWorld::invoice("88.88", "71.68", "17.20", "21")},
                                {"idempotency_key", "started-1"}});
    BOOST_TEST_REQUIRE(started.response.status == 202, started.response.body);
    BOOST_TEST(started.response.header("Preference-Applied") == "respond-async");
    BOOST_TEST(started.json["started"].get<bool>());
    const std::string id = started.json["entry"]["id"].get<std::string>();
    BOOST_TEST(started.response.header("Location") == "/api/progress/" + id);

    // Long-polled until the payment waits for the card: nothing has ended yet.
    std::size_t next = 0;
    bool onDevice = false;
    for (int i = 0; i < 20 && !onDevice; ++i) {
        const auto polled =
            world.get("/api/progress/" + id + "?after=" + std::to_string(next) + "&wait=5",
                      "Bearer " + apiToken);
        BOOST_TEST_REQUIRE(polled.response.status == 200, polled.response.body);
        BOOST_TEST(!polled.json["ended"].get<bool>());
        for (const auto& step : polled.json["steps"]) {
            onDevice = onDevice || step["step"] == "on_device";
        }
        next = polled.json["next"].get<std::size_t>();
    }
    BOOST_TEST_REQUIRE(onDevice);
    const auto reference = world.journalEntry(id)["network_reference"].get<std::string>();
    world.approveOnTerminal(reference);
    Json last;
    for (int i = 0; i < 20; ++i) {
        last = world
                   .get("/api/progress/" + id + "?after=" + std::to_string(next) + "&wait=5",
                        "Bearer " + apiToken)
                   .json;
        next = last["next"].get<std::size_t>();
        if (last["ended"].get<bool>()) {
            break;
        }
    }
    BOOST_TEST_REQUIRE(last["ended"].get<bool>(), core::dumpJson(last));
    BOOST_TEST(last["answer"]["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(last["answer"]["status"].get<int>() == 0);

    // Bad input is still refused at once; an unknown entry is not found.
    BOOST_TEST(world.start("pay", Json{{"terminal", "nowhere"}}).response.status == 400);
    BOOST_TEST(
        world.get("/api/progress/" + id + "?wait=99", "Bearer " + apiToken).response.status == 400);
    const auto unknown = world.get("/api/progress/no-such-entry", "Bearer " + apiToken);
    BOOST_TEST(unknown.response.status == 404);
    BOOST_TEST(unknown.json["error"]["field"].get<std::string>() == "entry");
    BOOST_TEST(world.get("/api/progress/" + id).response.status == 401);
    BOOST_TEST(world.serve->terminate() == 0);
}

// Started payments and the process: SIGTERM waits for one still on the terminal; one left by a
// killed serve is settled by reconcile, its session posted once.
BOOST_AUTO_TEST_CASE(started_payments_outlive_sigterm_and_are_settled_after_a_kill) {
    ServeWorld world;
    // Starts a Viva payment of 88.88; returns its entry once it waits for the card.
    const auto startAndWait = [&](const std::string& key, const std::string& aa) {
        const auto started =
            world.start("pay", Json{{"terminal", "V1"},
                                    {"invoice", ServeWorld::invoice("88.88", "71.68", "17.20", aa)},
                                    {"idempotency_key", key}});
        BOOST_TEST_REQUIRE(started.response.status == 202, started.response.body);
        const std::string id = started.json["entry"]["id"].get<std::string>();
        BOOST_TEST_REQUIRE(!world.serve->awaitLine({"entry " + id, "on_device"}).empty());
        return id;
    };
    const auto entryState = [&](const std::string& id) {
        const auto shown =
            test::runProcess(test::fiscposBinary(),
                             {"--config", world.config.string(), "--json", "journal", "show", id});
        BOOST_TEST_REQUIRE(shown.exitCode == 0, shown.err);
        const Json entry = core::parseJson(shown.out, "journal show", core::JsonOrigin::Response);
        BOOST_TEST_REQUIRE(entry.contains("state"), shown.out);
        return std::make_pair(entry["state"].get<std::string>(),
                              entry["network_reference"].get<std::string>());
    };

    world.startServe();
    const std::string first = startAndWait("started-term-1", "31");
    world.serve->signal(SIGTERM);
    BOOST_TEST(!world.serve->awaitLine({"stopping: waiting for 1"}).empty());
    world.approveOnTerminal(entryState(first).second);
    BOOST_TEST(world.serve->wait() == 0);
    BOOST_TEST(entryState(first).first == "APPROVED");

    world.startServe();
    const std::string second = startAndWait("started-kill-1", "32");
    world.serve->signal(SIGKILL);
    world.serve->wait();
    const auto [state, reference] = entryState(second);
    BOOST_TEST(state == "SENT");
    world.approveOnTerminal(reference);
    const auto reconciled = test::runProcess(
        test::fiscposBinary(), {"--config", world.config.string(), "--json", "reconcile"});
    BOOST_TEST(reconciled.exitCode == 0, reconciled.out + reconciled.err);
    BOOST_TEST(entryState(second).first == "APPROVED");
    const Json posts = world.server.stats()["viva_api"]["session_posts"];
    BOOST_TEST(posts[reference].get<int>() == 1);
}

// Only where instances can tell each other: on a PostgreSQL journal.
boost::test_tools::assertion_result onPostgres(boost::unit_test::test_unit_id) {
    boost::test_tools::assertion_result result(test::onPostgres());
    result.message() << "instances pass webhooks on through PostgreSQL only";
    return result;
}

// Two serve instances on one journal: the webhook reaches the one whose payment is not waiting
// on it, which passes the reference on; the instance with the payment asks Viva at once.
BOOST_AUTO_TEST_CASE(a_webhook_at_another_instance_wakes_the_payment_waiting_in_this_one,
                     *boost::unit_test::precondition(onPostgres)) {
    ServeWorld world;
    world.startServe();
    ServeProcess other(world.config, "127.0.0.1:0");
    auto payment = world.payAndWait("instances-1", "8");

    const std::string otherUrl = other.url() + "/webhooks/viva/" + webhookToken;
    BOOST_TEST(world.postWebhook(otherUrl, vivaEvent("message-other", payment.reference))
                   .response.status == 200);
    BOOST_TEST(!other.awaitLine({"message-other", "told the other fiscpos instances"}).empty());
    BOOST_TEST(!world.serve
                    ->awaitLine({"another fiscpos instance", payment.reference,
                                 "woke the payment waiting on it"})
                    .empty());

    world.approveOnTerminal(payment.reference);
    const auto paid = payment.answer.get();
    BOOST_TEST_REQUIRE(paid.response.status == 200, paid.response.body);
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");
    // The other instance asked Viva nothing about the payment it does not follow.
    BOOST_TEST(other.countLines({"asked the network"}) == 0u);
}

BOOST_AUTO_TEST_CASE(webhooks_out_of_order_change_nothing_the_network_does_not_say) {
    ServeWorld world;
    world.startServe();
    auto payment = world.payAndWait("ordered-1", "7");
    const std::string& id = payment.id;
    const std::string& reference = payment.reference;
    world.approveOnTerminal(reference);
    const auto paid = payment.answer.get();
    BOOST_TEST_REQUIRE(paid.json["state"].get<std::string>() == "APPROVED", paid.response.body);

    // A failure event for the approved payment arrives after the approval (Viva delivered the
    // tap that failed before the PIN late), then the payment-created event again under another
    // message id: each one only makes serve ask Viva, which still says approved.
    BOOST_TEST(world.postWebhook(world.webhookUrl(), vivaEvent("late-failure", reference, 1798))
                   .response.status == 200);
    BOOST_TEST(!world.serve->awaitLine({"late-failure", "entry " + id, "still APPROVED"}).empty());
    BOOST_TEST(world.postWebhook(world.webhookUrl(), vivaEvent("old-creation", reference, 1796))
                   .response.status == 200);
    BOOST_TEST(!world.serve->awaitLine({"old-creation", "entry " + id, "still APPROVED"}).empty());
    BOOST_TEST(world.journalEntry(id)["state"].get<std::string>() == "APPROVED");
}

BOOST_AUTO_TEST_CASE(sigterm_lets_a_payment_in_progress_end) {
    ServeWorld world;
    world.startServe();
    auto payment = world.payAndWait("stopping-1", "6");
    const std::string url = world.serve->url();

    world.serve->signal(SIGTERM);
    BOOST_TEST(!world.serve->awaitLine({"stopping: waiting for 1 request"}).empty());
    // No new request is taken: the connection is refused.
    BOOST_CHECK_THROW(exchange(url, core::HttpRequest::get("/health")), core::TransportError);

    world.approveOnTerminal(payment.reference);
    const auto paid = payment.answer.get();
    BOOST_TEST_REQUIRE(paid.response.status == 200, paid.response.body);
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(world.serve->wait() == 0);
    BOOST_TEST(!world.serve->awaitLine({"stopped"}).empty());
}

BOOST_AUTO_TEST_CASE(the_audit_pages_list_entries_verify_and_escape_html) {
    ServeWorld world;
    world.startServe();
    const auto paid =
        world.api("pay", Json{{"terminal", "A3"},
                              {"invoice", ServeWorld::invoice("1.24", "1.00", "0.24", "5")}});
    BOOST_TEST_REQUIRE(paid.response.status == 200, paid.response.body);
    const std::string paidId = paid.json["id"].get<std::string>();

    // An entry whose outcome holds markup, written to the journal directly.
    core::SystemClock clock;
    auto journal = plugin::CashJournal::open(world.journalUrl, clock);
    plugin::NewEntry created;
    created.terminal = "A3";
    created.network = "mellon";
    created.tid = "99000031";
    created.amount = core::Money::parse("2.00", "amount");
    const auto opened = journal.openEntry(created);
    plugin::EntryChanges failed = plugin::EntryChanges::to(plugin::EntryState::Failed);
    failed.outcome = "<script>alert('x')</script> & \"co\"";
    journal.append(opened.entry.id, plugin::EventRecord::make("note", "<b>bold</b>"), failed);

    // user "accountant", the audit token as the password
    std::ostringstream encoded;
    {
        Poco::Base64Encoder encoder(encoded);
        encoder << "accountant:" << auditToken;
    }
    const std::string basic = "Basic " + encoded.str();
    BOOST_TEST(world.get("/audit").response.status == 401);
    BOOST_TEST(contains(world.get("/audit").response.header("WWW-Authenticate"), "Basic"));
    const auto page = world.get("/audit", basic);
    BOOST_TEST_REQUIRE(page.response.status == 200, page.response.body);
    const std::string& html = page.response.body;
    BOOST_TEST(contains(page.response.header("Content-Type"), "text/html"));
    BOOST_TEST(contains(html, "Το ημερολόγιο ελέγχθηκε: εντάξει."));
    BOOST_TEST(contains(html, "/audit/entry/" + paidId));
    BOOST_TEST(contains(html, "/audit/entry/" + opened.entry.id));
    BOOST_TEST(
        contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
    BOOST_TEST(!contains(html, "<script>"));
    BOOST_TEST(contains(html, "2 εγγραφές"));

    // The date filter: today has both entries, a day long ago none.
    const std::string today = core::athensIso8601(std::chrono::system_clock::now()).substr(0, 10);
    BOOST_TEST(contains(
        world.get("/audit?from=" + today + "&to=" + today + "&lang=en", "Bearer " + auditToken)
            .response.body,
        "2 entries"));
    BOOST_TEST(contains(
        world.get("/audit?from=2001-01-01&to=2001-01-02", "Bearer " + auditToken).response.body,
        "0 εγγραφές"));
    BOOST_TEST(world.get("/audit?from=yesterday", "Bearer " + auditToken).response.status == 400);

    const auto shown = world.get("/audit/entry/" + opened.entry.id, basic);
    BOOST_TEST_REQUIRE(shown.response.status == 200, shown.response.body);
    BOOST_TEST(contains(shown.response.body, "&lt;b&gt;bold&lt;/b&gt;"));
    BOOST_TEST(!contains(shown.response.body, "<b>bold"));
    BOOST_TEST(contains(shown.response.body, "SIGNING → FAILED"));
    const auto paidPage = world.get("/audit/entry/" + paidId, basic);
    BOOST_TEST(contains(paidPage.response.body, "network.response"));
    BOOST_TEST(world.get("/audit/entry/no-such-entry", basic).response.status == 404);
}

// GET /openapi.json is the description kept in docs/openapi.json, and it is true: its ERP methods
// are the C ABI's, every operation it lists answers (without and with credentials) one of the
// statuses it lists, in the shape it gives; real payments, started and waited for, answer as
// described; paths it does not list are not served.
BOOST_AUTO_TEST_CASE(the_openapi_description_is_served_and_matches_the_routes) {
    ServeWorld world;
    world.startServe();
    const auto served = world.get("/openapi.json");
    BOOST_TEST_REQUIRE(served.response.status == 200, served.response.body);
    const Json& doc = served.json;
    BOOST_TEST(doc["openapi"].get<std::string>().starts_with("3."));
    BOOST_TEST(doc["info"]["version"].get<std::string>() == FISCPOS_VERSION);
    std::ifstream kept(test::sourceDir() / "docs" / "openapi.json");
    BOOST_TEST(Json::parse(kept) == doc);

    // The ERP methods: every method of the C ABI, and Prefer: respond-async where it starts.
    std::set<std::string> described;
    std::set<std::string> startable;
    for (const auto& [path, operations] : doc["paths"].items()) {
        if (path.starts_with("/api/") && operations.contains("post")) {
            described.insert(path.substr(5));
            for (const auto& parameter : operations["post"].value("parameters", Json::array())) {
                if (parameter["name"] == "Prefer") {
                    startable.insert(path.substr(5));
                }
            }
        }
    }
    const auto methods = plugin::c_abi::methodNames();
    const auto starters = plugin::c_abi::startableMethodNames();
    BOOST_TEST(described == std::set<std::string>(methods.begin(), methods.end()),
               boost::test_tools::per_element());
    BOOST_TEST(startable == std::set<std::string>(starters.begin(), starters.end()),
               boost::test_tools::per_element());

    // Every operation, asked without credentials and then with them (an empty request).
    const std::string unknownId = core::newUuid();
    const std::string basicAudit = [] {
        std::ostringstream encoded;
        Poco::Base64Encoder encoder(encoded);
        encoder << "accountant:" << auditToken;
        encoder.close();
        return "Basic " + encoded.str();
    }();
    std::size_t operationsTried = 0;
    for (const auto& [pattern, operations] : doc["paths"].items()) {
        std::string path = pattern;
        for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
                 {"{entry}", unknownId},
                 {"{id}", unknownId},
                 {"{terminal}", "V1"},
                 {"{webhook_token}", "not-the-token"}}) {
            if (const auto at = path.find(name); at != std::string::npos) {
                path.replace(at, name.size(), value);
            }
        }
        for (const auto& [verb, operation] : operations.items()) {
            ++operationsTried;
            const bool secured = !operation.value("security", Json::array()).empty();
            const bool audit = pattern.starts_with("/audit");
            std::vector<std::string> credentials{""};
            if (secured) {
                credentials.push_back(audit ? basicAudit : "Bearer " + apiToken);
            }
            for (const auto& authorization : credentials) {
                auto http = verb == "post" ? core::HttpRequest::json("POST", path, Json::object())
                                           : core::HttpRequest::get(path);
                if (!authorization.empty()) {
                    http.header("Authorization", authorization);
                }
                const Answer answer = exchange(world.serve->url(), http);
                const std::string what =
                    verb + " " + path + (authorization.empty() ? "" : " (with credentials)");
                if (secured && authorization.empty()) {
                    BOOST_TEST(answer.response.status == 401, what);
                }
                checkAnswer(doc, operation, what, answer);
            }
        }
    }
    BOOST_TEST(operationsTried >= 20u);

    // Real answers: a payment, a started one and its progress.
    const Json& pay = doc["paths"]["/api/pay"]["post"];
    const auto paid =
        world.api("pay", Json{{"terminal", "A3"},
                              {"invoice", ServeWorld::invoice("1.24", "1.00", "0.24", "31")},
                              {"idempotency_key", "openapi-1"}});
    BOOST_TEST(paid.response.status == 200, paid.response.body);
    checkAnswer(doc, pay, "pay", paid);
    const auto started =
        world.start("pay", Json{{"terminal", "A3"},
                                {"invoice", ServeWorld::invoice("2.48", "2.00", "0.48", "32")},
                                {"idempotency_key", "openapi-2"}});
    BOOST_TEST_REQUIRE(started.response.status == 202, started.response.body);
    checkAnswer(doc, pay, "started pay", started);
    const Json& progress = doc["paths"]["/api/progress/{entry}"]["get"];
    Answer polled;
    std::size_t next = 0;
    for (int i = 0; i < 50; ++i) {
        polled =
            world.get(started.response.header("Location") + "?wait=5&after=" + std::to_string(next),
                      "Bearer " + apiToken);
        if (polled.json.value("ended", true)) {
            break;
        }
        next = polled.json["next"].get<std::size_t>();
    }
    checkAnswer(doc, progress, "progress", polled);
    BOOST_TEST_REQUIRE(polled.json.value("ended", false), polled.response.body);
    BOOST_TEST(polled.json["answer"].value("state", "") == "APPROVED", polled.response.body);
    checkAnswer(doc, doc["paths"]["/api/journal"]["get"], "journal",
                world.get("/api/journal", "Bearer " + apiToken));

    // Paths it does not list are not served.
    for (const std::string path :
         {"/api/teleport", "/api", "/webhooks/nothing/x", "/audit/x", "/openapi.yaml", "/"}) {
        BOOST_TEST(!doc["paths"].contains(path));
        BOOST_TEST(world.get(path, "Bearer " + apiToken).response.status == 404, path);
    }
    BOOST_TEST(world.serve->terminate() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(
    idle_connections_cannot_starve_serve_and_a_second_serve_cannot_share_its_port) {
    ServeWorld world;
    world.startServe();
    const Poco::URI uri(world.serve->url());
    const Poco::Net::SocketAddress address(uri.getHost(), uri.getPort());
    // Connections that never send a request.
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 8; ++i) {
        idle.emplace_back(address);
    }
    // The server still answers.
    BOOST_TEST(world.get("/health").response.status == 200);
    // Past 16 connections, one client's next one is answered 503 at once and closed.
    std::string answer;
    char buffer[512];
    for (int i = 0; i < 12 && answer.empty(); ++i) {
        idle.emplace_back(address);
        if (idle.back().poll(Poco::Timespan(0, 500'000), Poco::Net::Socket::SELECT_READ)) {
            for (int got = 0; (got = idle.back().receiveBytes(buffer, sizeof buffer)) > 0;) {
                answer.append(buffer, static_cast<std::size_t>(got));
            }
        }
    }
    BOOST_TEST(contains(answer, "503"), answer);
    BOOST_TEST(idle.size() <= 18U);
    // An idle connection is closed by the server once its time to send a request is up.
    idle.front().setReceiveTimeout(Poco::Timespan(patience.count(), 0));
    BOOST_TEST(idle.front().receiveBytes(buffer, sizeof buffer) == 0);

    // A second serve on the same address fails, naming the setting.
    // (under timeout: a serve that did start would otherwise run for ever)
    const auto second =
        test::runProcess("/usr/bin/timeout", {"30", test::fiscposBinary().string(), "--config",
                                              world.config.string(), "serve", "--listen",
                                              uri.getHost() + ":" + std::to_string(uri.getPort())});
    BOOST_TEST(second.exitCode == 1);
    BOOST_TEST(contains(second.err, "serve.listen"), second.err);
}

// The SMS gateway's delivery reports reach serve at /webhooks/sms/{token} and the receipt's row
// once: repeats are ignored, a wrong token is a plain 404, Yuboto's report is confirmed by its
// delivery look-up, and Routee's per-part reports make a failed part a FAILED delivery.
BOOST_AUTO_TEST_CASE(sms_delivery_reports_reach_the_receipt_row_once) {
    for (const std::string gateway : {"yuboto", "routee"}) {
        test::SmsSim sms;
        std::uint16_t port = 0;
        {
            const Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
            port = probe.address().port();
        }
        const std::string callback =
            "http://127.0.0.1:" + std::to_string(port) + "/webhooks/sms/" + webhookToken;
        ServeWorld world("\n" + sms.section(gateway, "callback_url = " + callback + "\n"));
        world.startServe("127.0.0.1:" + std::to_string(port));
        const auto paid =
            world.api("pay", Json{{"terminal", "A3"},
                                  {"invoice", ServeWorld::invoice("1.24", "1.00", "0.24", "71")},
                                  {"idempotency_key", "sms-" + gateway}});
        BOOST_TEST_REQUIRE(paid.json["state"].get<std::string>() == "APPROVED", paid.response.body);
        const std::string entry = paid.json["id"].get<std::string>();
        BOOST_TEST_REQUIRE(world.api("issue", Json{{"entry", entry}}).response.status == 200);
        const auto sent = world.api("receipt", Json{{"entry", entry}, {"sms", "6912345678"}});
        BOOST_TEST_REQUIRE(sent.response.status == 200, sent.response.body);
        const Json delivery = sent.json["deliveries"][0];
        BOOST_TEST(delivery["state"].get<std::string>() == "SENT");
        BOOST_TEST(delivery["delivery"].is_null());

        // A wrong token: nothing.
        const auto wrong =
            exchange(world.serve->url(), core::HttpRequest::get("/webhooks/sms/not-the-token"));
        BOOST_TEST(wrong.response.status == 404);

        const bool delivered = gateway == "yuboto";
        const auto reported = sms.ok("POST", "/sms/" + gateway + "/_control/deliver",
                                     Json{{"id", delivery["gateway_id"]},
                                          {"status", delivered ? "Delivered" : "Undelivered"},
                                          {"duplicate", true}});
        BOOST_TEST_REQUIRE(!reported["callbacks"].empty());
        for (const auto& answer : reported["callbacks"]) {
            BOOST_TEST(answer["status"] == 200, reported.dump());
        }
        const auto again = world.api("receipt", Json{{"entry", entry}, {"sms", "+306912345678"}});
        BOOST_TEST(again.json["deliveries"][0]["state"].get<std::string>() == "ALREADY_SENT");
        BOOST_TEST(again.json["deliveries"][0]["delivery"].get<std::string>() ==
                   (delivered ? "DELIVERED" : "FAILED"));
        // One report per part, whatever the repeats (the Greek text takes two parts).
        const Json shown = world.journalEntry(entry);
        int reports = 0;
        for (const auto& event : shown["events"]) {
            reports += event["kind"] == "receipt.report" ? 1 : 0;
        }
        BOOST_TEST(reports == (delivered ? 1 : 2), shown.dump());
        if (delivered) {
            BOOST_TEST(sms.stat("yuboto", "dlr_queries") >= 1); // confirmed by the look-up
        }
        BOOST_TEST(world.get("/health").json["sms_reports"]["repeated"].get<int>() >= 1);

        // A refusal by the gateway is an error answer (502), the outcome beside it; asking again
        // sends it.
        sms.ok("POST", "/sms/" + gateway + "/_control/refuse",
               delivered ? Json{{"error_code", 34}, {"message", "Invalid sender"}}
                         : Json{{"status", 429}, {"code", "429000000"}, {"message", "Too many"}});
        const auto refused = world.api("receipt", Json{{"entry", entry}, {"sms", "6987654321"}});
        BOOST_TEST(refused.response.status == 502, refused.response.body);
        BOOST_TEST(refused.response.header("X-Fiscpos-Status") == "1");
        BOOST_TEST(!refused.json["ok"].get<bool>());
        BOOST_TEST(refused.json["error"]["code"].get<std::string>() == "refused");
        BOOST_TEST(refused.json["deliveries"][0]["state"].get<std::string>() == "REFUSED");
        const auto resent = world.api("receipt", Json{{"entry", entry}, {"sms", "6987654321"}});
        BOOST_TEST(resent.response.status == 200, resent.response.body);
        BOOST_TEST(resent.json["deliveries"][0]["state"].get<std::string>() == "SENT");
    }
}
