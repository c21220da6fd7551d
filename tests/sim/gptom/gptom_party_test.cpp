// The simulated GP tom Cloud API over real HTTP on loopback, driven with raw requests: the token
// call and its refusals, per-terminal and master tokens, task creation and its checks, tasks
// moving on simulated time, GP's simulator amounts, assisted devices and their taps,
// cancellations and their limits, batch totals, the task list by reference, the counters, faults
// on /gptom, and fiscpos-sim's --gptom-* options.
#include "core/http_client.hpp"
#include "signing/ecdsa.hpp"
#include "signing/local_signer.hpp"
#include "sim/gptom/gptom_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/gptom_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace fiscpos;
using core::Json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr const char* basic = "Basic Z3B0b20tc2ltOnNpbS1zZWNyZXQ=";
constexpr const char* automaticTid = "12345678";
constexpr const char* assistedTid = "12345679";

// A simulator in the test process with the GP tom party, verifying with Mellon's test public
// key; `signer` makes provider signatures with the matching private key.
struct CloudSim {
    explicit CloudSim(sim::GptomPartyOptions options = {}, double timeScale = 100.0)
        : server(test::fastSimOptions(timeScale))
        , signer(signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999", system) {
        test::addGptomParty(server, std::move(options));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        access = login("sim-user", "sim-password", automaticTid)["access_token"].get<std::string>();
    }

    core::HttpResponse token(const std::string& path, const std::string& form,
                             const std::string& authorization = basic) {
        core::HttpRequest request;
        request.method = "POST";
        request.target = "/gptom" + path;
        request.body = form;
        request.contentType = "application/x-www-form-urlencoded";
        if (!authorization.empty()) {
            request.header("Authorization", authorization);
        }
        return http->send(request);
    }
    Json login(const std::string& user, const std::string& password, const std::string& tid) {
        const core::HttpResponse response = token(
            "/cloud/oauth/token", "grant_type=password&username=" + user + "&password=" + password +
                                      (tid.empty() ? "" : "&tid=" + tid));
        BOOST_TEST_REQUIRE(response.status == 200, response.body);
        return response.json("token");
    }

    core::HttpResponse call(const std::string& method, const std::string& path,
                            const Json& body = nullptr, const std::string& bearer = "") {
        core::HttpRequest request = body.is_null()
                                        ? core::HttpRequest{method, "/gptom" + path, {}, {}, {}, {}}
                                        : core::HttpRequest::json(method, "/gptom" + path, body);
        request.header("Authorization", "Bearer " + (bearer.empty() ? access : bearer));
        return http->send(request);
    }
    Json ok(const std::string& method, const std::string& path, const Json& body = nullptr,
            const std::string& bearer = "") {
        const core::HttpResponse response = call(method, path, body, bearer);
        BOOST_TEST_REQUIRE(response.ok(), method << " " << path << ": " << response.status << " "
                                                 << response.body);
        return response.json(path);
    }
    Json control(const std::string& action, const Json& body = Json::object()) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json("POST", "/gptom/_control/" + action, body));
        BOOST_TEST_REQUIRE(response.ok(), action << ": " << response.body);
        return response.json(action);
    }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["gptom"];
    }

    // A signed sale body of `cents` for `tid` (DEFAULT layout), under `reference`.
    Json sale(std::int64_t cents, const std::string& reference, const std::string& tid = "") {
        signing::SignatureRequest invoice;
        invoice.nsp = signing::Nsp::Viva;
        invoice.issuerVat = "094019245";
        invoice.series = "S";
        invoice.number = std::to_string(++number);
        invoice.issuedAt = core::athensIso8601(std::chrono::system_clock::now());
        invoice.invoiceType = "11.1";
        invoice.net = core::Money::fromCents(cents - cents / 5);
        invoice.vat = core::Money::fromCents(cents / 5);
        invoice.total = core::Money::fromCents(cents);
        invoice.payment = invoice.total;
        invoice.terminalId = tid.empty() ? automaticTid : tid;
        const signing::ProviderSignature signature = signer.sign(invoice);
        Json body{{"transactionType", "SALE"},
                  {"amount", cents},
                  {"currencyCode", "EUR"},
                  {"originReferenceNum", reference},
                  {"printByPaymentApp", false},
                  {"aadeProviderId", "999"},
                  {"aadeProviderSignatureData", signature.input},
                  {"aadeProviderSignature", signature.signatureBase64}};
        if (!tid.empty()) {
            body["tid"] = tid;
        }
        return body;
    }

    // Polls a task until `done` holds, for at most `bound` of simulated time.
    Json waitTask(const std::string& taskId, const std::function<bool(const Json&)>& done,
                  milliseconds bound = seconds(60), const std::string& bearer = "",
                  const std::string& query = "") {
        const milliseconds until = server.clock().elapsed() + bound;
        for (;;) {
            Json task = ok("GET", "/v1/tasks/" + taskId + query, nullptr, bearer);
            if (done(task) || server.clock().elapsed() > until) {
                BOOST_TEST_REQUIRE(done(task), "still " << task["state"]);
                return task;
            }
            server.clock().sleepFor(milliseconds(500));
        }
    }
    Json waitState(const std::string& taskId, const std::string& state,
                   milliseconds bound = seconds(60)) {
        return waitTask(
            taskId, [&state](const Json& task) { return task["state"] == state; }, bound);
    }

    sim::SimServer server;
    core::SystemClock system;
    signing::LocalSigner signer;
    std::unique_ptr<core::HttpClient> http;
    std::string access; // per-terminal token for 12345678
    int number = 0;
};

bool isDigits(const Json& value, std::size_t size) {
    if (!value.is_string()) {
        return false;
    }
    const std::string text = value.get<std::string>();
    return text.size() == size && text.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(gptom_cloud_sim)

BOOST_AUTO_TEST_CASE(token_calls_per_terminal_and_for_the_master_account) {
    CloudSim sim;
    const Json terminal = sim.login("sim-user", "sim-password", automaticTid);
    BOOST_TEST(terminal["token_type"] == "bearer");
    BOOST_TEST(terminal["expires_in"] == 3600);
    BOOST_TEST(terminal["scope"] == "read write");
    BOOST_TEST(terminal["tid"] == automaticTid);
    BOOST_TEST(terminal["refresh_token"].is_string());
    const Json master = sim.login("sim-master", "sim-master-password", "");
    BOOST_TEST(master["tid"].is_null());
    BOOST_TEST(master["expires_in"] == 86399);

    const auto refused = [&sim](const std::string& form, const std::string& authorization,
                                int status, const std::string& error) {
        const core::HttpResponse response = sim.token("/cloud/oauth/token", form, authorization);
        BOOST_TEST(response.status == status, form << ": " << response.body);
        BOOST_TEST(response.json("t")["error"] == error, response.body);
    };
    const std::string good = "grant_type=password&username=sim-user&password=sim-password&tid=" +
                             std::string(automaticTid);
    refused(good, "", 401, "invalid_client");
    refused(good, "Basic bm90OnRoaXM=", 401, "invalid_client");
    refused("grant_type=password&username=sim-user&password=x&tid=12345678", basic, 400,
            "invalid_grant");
    refused("grant_type=password&username=sim-user&password=sim-password", basic, 400,
            "invalid_request");
    refused("grant_type=password&username=sim-user&password=sim-password&tid=1", basic, 400,
            "invalid_grant");
    refused("grant_type=client_credentials", basic, 400, "unsupported_grant_type");

    // A refresh rotates the refresh token; either documented place takes it.
    const std::string first = terminal["refresh_token"].get<std::string>();
    const core::HttpResponse refreshed =
        sim.token("/api/oauth/token", "grant_type=refresh_token&refresh_token=" + first);
    BOOST_TEST_REQUIRE(refreshed.status == 200, refreshed.body);
    BOOST_TEST(refreshed.json("r")["tid"] == automaticTid);
    BOOST_TEST(
        sim.token("/cloud/oauth/token", "grant_type=refresh_token&refresh_token=" + first).status ==
        400);
    const Json stats = sim.stats();
    BOOST_TEST(stats["token_logins"] == 2);
    BOOST_TEST(stats["master_logins"] == 1);
    BOOST_TEST(stats["token_refreshes"] == 1);
    BOOST_TEST(stats["token_refresh_failures"] == 1);
}

BOOST_AUTO_TEST_CASE(bearer_tokens_expire_on_simulated_time) {
    sim::GptomPartyOptions options;
    options.accessLifetime = seconds(60);
    CloudSim sim(options);
    BOOST_TEST(sim.call("GET", "/v1/tasks").status == 200);
    BOOST_TEST(sim.call("GET", "/v1/tasks", nullptr, "nonsense").status == 401);
    sim.server.clock().sleepFor(seconds(61));
    const core::HttpResponse expired = sim.call("GET", "/v1/tasks");
    BOOST_TEST(expired.status == 401);
    BOOST_TEST(expired.json("e")["error"] == "invalid_token");
    BOOST_TEST(expired.header("WWW-Authenticate").find("Bearer") == 0U);
    sim.access =
        sim.login("sim-user", "sim-password", automaticTid)["access_token"].get<std::string>();
    BOOST_TEST(sim.call("GET", "/v1/tasks").status == 200);
    sim.control("expire-tokens");
    BOOST_TEST(sim.call("GET", "/v1/tasks").status == 401);
    BOOST_TEST(sim.stats()["unauthenticated"] == 3);
}

BOOST_AUTO_TEST_CASE(a_sale_task_moves_on_simulated_time_and_carries_its_transaction) {
    CloudSim sim;
    const core::HttpResponse created =
        sim.call("POST", "/v1/tasks/TRANSACTION", sim.sale(1240, "A-2-7f3c9e"));
    BOOST_TEST_REQUIRE(created.status == 201, created.body);
    const Json task = created.json("task");
    BOOST_TEST(task["state"] == "CREATED");
    BOOST_TEST(task["taskType"] == "TRANSACTION");
    BOOST_TEST(task["tid"] == automaticTid);
    BOOST_TEST(task["originReferenceNum"] == "A-2-7f3c9e");
    BOOST_TEST(task["transaction"].is_null());
    const std::string id = task["taskId"].get<std::string>();
    sim.waitState(id, "IN_PROGRESS");
    const Json done = sim.waitState(id, "COMPLETED");
    const Json& transaction = done["transaction"];
    BOOST_TEST(transaction["result"] == "APPROVED");
    BOOST_TEST(transaction["amount"] == 1240);
    BOOST_TEST(transaction["terminalID"] == automaticTid);
    BOOST_TEST(isDigits(transaction["amsID"], 10));
    BOOST_TEST(isDigits(transaction["authorizationCode"], 6));
    BOOST_TEST(isDigits(transaction["referenceNumber"], 12));
    BOOST_TEST(transaction["batchNumber"] == "1");
    BOOST_TEST(sim.ok("GET", "/v1/tasks/" + id + "/transaction") == transaction);
    BOOST_TEST(sim.call("GET", "/v1/tasks/" + id + "/batch").status == 404);

    sim.control("settings", Json{{"embed_transaction", false}});
    BOOST_TEST(sim.ok("GET", "/v1/tasks/" + id)["transaction"].is_null());
    BOOST_TEST(sim.call("GET", "/v1/tasks/unknown").status == 404);
}

BOOST_AUTO_TEST_CASE(gp_simulator_amounts) {
    sim::GptomPartyOptions options;
    options.timing.timeoutAfter = seconds(120);
    CloudSim sim(options);
    const auto create = [&sim](std::int64_t cents) {
        return sim
            .ok("POST", "/v1/tasks/TRANSACTION",
                sim.sale(cents, "amount-" + std::to_string(cents)))["taskId"]
            .get<std::string>();
    };
    // The automatic device runs them one after another: 11.23 last, as it holds the device.
    const std::string declined = create(1122);
    const std::string exception = create(1124);
    const std::string charged = create(1125);
    const std::string timeout = create(1123);
    BOOST_TEST(sim.waitState(declined, "COMPLETED")["transaction"]["result"] == "DECLINED");
    const Json failed = sim.waitState(exception, "FAILED");
    BOOST_TEST(failed["error"]["code"] == "EXCEPTION");
    BOOST_TEST(failed["transaction"].is_null());
    const Json afterCharge = sim.waitState(charged, "FAILED");
    BOOST_TEST(afterCharge["transaction"]["result"] == "APPROVED");
    // The device holds 11.23 long after the others would have finished.
    sim.waitState(timeout, "IN_PROGRESS");
    sim.server.clock().sleepFor(seconds(60));
    BOOST_TEST(sim.ok("GET", "/v1/tasks/" + timeout)["state"] == "IN_PROGRESS");
    const Json timedOut = sim.waitState(timeout, "FAILED", seconds(120));
    BOOST_TEST(timedOut["error"]["code"] == "TIMEOUT");
    BOOST_TEST(sim.call("GET", "/v1/tasks/" + timeout + "/transaction").status == 404);
    const Json stats = sim.stats();
    BOOST_TEST(stats["results"]["timeout"] == 1);
    BOOST_TEST(stats["results"]["exception"] == 1);
    BOOST_TEST(stats["tasks_by_state"]["failed"] == 3);
}

BOOST_AUTO_TEST_CASE(a_sale_is_checked_before_it_is_queued) {
    CloudSim sim;
    const auto status = [&sim](const Json& body) {
        return sim.call("POST", "/v1/tasks/TRANSACTION", body).status;
    };
    Json body = sim.sale(1240, "R1");
    body.erase("amount");
    BOOST_TEST(status(body) == 400);
    body = sim.sale(1240, "R1");
    body["transactionType"] = "REFUND";
    BOOST_TEST(status(body) == 400);
    body = sim.sale(1240, "123456789012345678901");
    BOOST_TEST(status(body) == 400);
    body = sim.sale(1240, "R1");
    body["currencyCode"] = "CZK";
    BOOST_TEST(status(body) == 422);
    body = sim.sale(1240, "R1");
    body.erase("aadeProviderSignature");
    BOOST_TEST(status(body) == 400);
    body = sim.sale(1240, "R1");
    body["tid"] = assistedTid; // the token is for 12345678
    BOOST_TEST(status(body) == 403);
    BOOST_TEST(sim.stats()["tasks_created"] == 0);

    // The numeric request type of GP's apps and a sale without a signature are taken.
    body = sim.sale(1240, "R2");
    body["transactionType"] = 1;
    BOOST_TEST(status(body) == 201);
    BOOST_TEST(status(Json{{"transactionType", "SALE"}, {"amount", 500}}) == 201);

    // A signature the device cannot verify is accepted and the task fails.
    body = sim.sale(1240, "R3");
    body["amount"] = 1250;
    const std::string id =
        sim.ok("POST", "/v1/tasks/TRANSACTION", body)["taskId"].get<std::string>();
    const Json failed = sim.waitState(id, "FAILED");
    BOOST_TEST(failed["error"]["code"] == "PROVIDER_SIGNATURE");
    const Json stats = sim.stats();
    BOOST_TEST(stats["signature_failures"] == 1);
    BOOST_TEST(stats["signature_failure_log"][0]["reason"].get<std::string>().find("payable") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_master_account_names_the_terminal_on_every_call) {
    CloudSim sim;
    const std::string master =
        sim.login("sim-master", "sim-master-password", "")["access_token"].get<std::string>();
    BOOST_TEST(sim.call("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "M1"), master).status ==
               400);
    BOOST_TEST(sim.call("GET", "/v1/tasks", nullptr, master).status == 400);
    BOOST_TEST(sim.call("GET", "/v1/tasks?tid=1", nullptr, master).status == 404);
    const Json task =
        sim.ok("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "M1", automaticTid), master);
    BOOST_TEST(task["tid"] == automaticTid);
    const std::string id = task["taskId"].get<std::string>();
    BOOST_TEST(sim.call("GET", "/v1/tasks/" + id, nullptr, master).status == 400);
    const Json done = sim.waitTask(
        id, [](const Json& t) { return t["state"] == "COMPLETED"; }, seconds(60), master,
        "?tid=12345678");
    BOOST_TEST(done["transaction"]["result"] == "APPROVED");
    // Another terminal's view does not show it.
    BOOST_TEST(sim.call("GET", "/v1/tasks/" + id + "?tid=12345679", nullptr, master).status == 404);
}

BOOST_AUTO_TEST_CASE(an_assisted_device_waits_for_the_cashier) {
    CloudSim sim;
    const std::string assisted =
        sim.login("sim-user", "sim-password", assistedTid)["access_token"].get<std::string>();
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(sim.ok("POST", "/v1/tasks/TRANSACTION",
                             sim.sale(1000 + i, "Q" + std::to_string(i), assistedTid),
                             assisted)["taskId"]
                          .get<std::string>());
    }
    sim.server.clock().sleepFor(seconds(30));
    const auto state = [&](const std::string& id) {
        return sim.ok("GET", "/v1/tasks/" + id, nullptr, assisted)["state"].get<std::string>();
    };
    BOOST_TEST(state(ids[0]) == "CREATED");
    BOOST_TEST(sim.control("tap", Json{{"taskId", ids[1]}})["state"] == "IN_PROGRESS");
    // One task at a time on the device.
    const core::HttpResponse busy = sim.http->send(
        core::HttpRequest::json("POST", "/gptom/_control/tap", Json{{"taskId", ids[2]}}));
    BOOST_TEST(busy.status == 409);
    sim.server.clock().sleepFor(seconds(5));
    BOOST_TEST(state(ids[1]) == "COMPLETED");
    BOOST_TEST(state(ids[0]) == "CREATED");
    // By TID: the oldest waiting task; and removed from the queue.
    BOOST_TEST(sim.control("tap", Json{{"tid", assistedTid}, {"cancel", true}})["taskId"] ==
               ids[0]);
    BOOST_TEST(state(ids[0]) == "CANCELLED");
    sim.control("tap", Json{{"tid", assistedTid}});
    sim.server.clock().sleepFor(seconds(5));
    BOOST_TEST(state(ids[2]) == "COMPLETED");
    const core::HttpResponse none = sim.http->send(
        core::HttpRequest::json("POST", "/gptom/_control/tap", Json{{"tid", assistedTid}}));
    BOOST_TEST(none.status == 404);
    BOOST_TEST(sim.stats()["taps"] == 3);
    // Tasks on an automatic device are not tapped.
    const std::string automatic =
        sim.ok("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "A1"))["taskId"].get<std::string>();
    BOOST_TEST(sim.http
                   ->send(core::HttpRequest::json("POST", "/gptom/_control/tap",
                                                  Json{{"taskId", automatic}}))
                   .status == 409);
}

BOOST_AUTO_TEST_CASE(cancellations_on_the_same_terminal_within_93_days) {
    CloudSim sim;
    const auto paid = [&sim](std::int64_t cents, const std::string& reference) {
        const std::string id =
            sim.ok("POST", "/v1/tasks/TRANSACTION", sim.sale(cents, reference))["taskId"]
                .get<std::string>();
        return sim.waitState(id, "COMPLETED")["transaction"]["amsID"].get<std::string>();
    };
    const std::string sale = paid(2000, "S1");
    const Json storno{{"transactionType", "STORNO"}, {"amsID", sale}, {"originReferenceNum", "V1"}};
    const Json task = sim.ok("POST", "/v1/tasks/TRANSACTION", storno);
    const Json done = sim.waitState(task["taskId"].get<std::string>(), "COMPLETED");
    BOOST_TEST(done["transaction"]["result"] == "APPROVED");
    BOOST_TEST(done["transaction"]["amount"] == 2000);
    const core::HttpResponse again = sim.call("POST", "/v1/tasks/TRANSACTION", storno);
    BOOST_TEST(again.status == 422);
    BOOST_TEST(again.json("e")["errors"].contains("amsID"));

    const std::string old = paid(1500, "S2");
    sim.control("backdate", Json{{"amsID", old}, {"days", 94}});
    Json late = storno;
    late["amsID"] = old;
    BOOST_TEST(sim.call("POST", "/v1/tasks/TRANSACTION", late).status == 422);

    const std::string other =
        sim.login("sim-user", "sim-password", assistedTid)["access_token"].get<std::string>();
    const std::string recent = paid(1500, "S3");
    Json elsewhere = storno;
    elsewhere["amsID"] = recent;
    BOOST_TEST(sim.call("POST", "/v1/tasks/TRANSACTION", elsewhere, other).status == 422);
    elsewhere["amsID"] = "0";
    BOOST_TEST(sim.call("POST", "/v1/tasks/TRANSACTION", elsewhere).status == 422);
    BOOST_TEST(sim.stats()["tasks_by_kind"]["storno"] == 1);
}

BOOST_AUTO_TEST_CASE(a_batch_close_totals_its_batch_and_opens_the_next) {
    CloudSim sim;
    const auto run = [&sim](const Json& body, const std::string& path = "/v1/tasks/TRANSACTION") {
        const std::string id = sim.ok("POST", path, body)["taskId"].get<std::string>();
        return sim.waitTask(
            id, [](const Json& t) { return t["state"] == "COMPLETED" || t["state"] == "FAILED"; });
    };
    run(sim.sale(1111, "B1"));
    const Json big = run(sim.sale(2000, "B2"));
    run(sim.sale(1122, "B3")); // declined: not in the totals
    run(sim.sale(1124, "B4")); // failed: not in the totals
    run(Json{{"transactionType", "STORNO"}, {"amsID", big["transaction"]["amsID"]}});
    const Json closed = run(Json{{"originReferenceNum", "Z1"}}, "/v1/tasks/CLOSE_BATCH");
    BOOST_TEST(closed["taskType"] == "CLOSE_BATCH");
    const Json batch = sim.ok("GET", "/v1/tasks/" + closed["taskId"].get<std::string>() + "/batch");
    BOOST_TEST(batch["batchNumber"] == "1");
    BOOST_TEST(batch["saleCount"] == 2);
    BOOST_TEST(batch["saleAmount"] == 3111);
    BOOST_TEST(batch["voidCount"] == 1);
    BOOST_TEST(batch["voidAmount"] == 2000);
    BOOST_TEST(batch["totalAmount"] == 1111);
    BOOST_TEST(batch["totalCount"] == 3);
    BOOST_TEST(run(sim.sale(500, "B5"))["transaction"]["batchNumber"] == "2");
    const Json next = run(Json::object(), "/v1/tasks/CLOSE_BATCH");
    const Json second = sim.ok("GET", "/v1/tasks/" + next["taskId"].get<std::string>() + "/batch");
    BOOST_TEST(second["saleCount"] == 1);
    BOOST_TEST(second["voidCount"] == 0);
    const Json stats = sim.stats();
    BOOST_TEST(stats["tasks_by_kind"]["close_batch"] == 2);
    BOOST_TEST(stats["tasks_by_kind"]["sale"] == 5);
    BOOST_TEST(stats["tasks_by_kind"]["storno"] == 1);
    BOOST_TEST(stats["batches_closed"] == 2);
}

BOOST_AUTO_TEST_CASE(the_task_list_by_our_reference) {
    CloudSim sim;
    sim.ok("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "REF-1"));
    sim.ok("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "REF-2"));
    const Json found = sim.ok("GET", "/v1/tasks?originReferenceNum=REF-2");
    BOOST_TEST_REQUIRE(found.is_array());
    BOOST_TEST_REQUIRE(found.size() == 1U);
    BOOST_TEST(found[0]["originReferenceNum"] == "REF-2");
    BOOST_TEST(sim.ok("GET", "/v1/tasks?originReferenceNum=REF-3").empty());
    BOOST_TEST(sim.ok("GET", "/v1/tasks").size() == 2U);
    // Another terminal's token sees none of them.
    const std::string other =
        sim.login("sim-user", "sim-password", assistedTid)["access_token"].get<std::string>();
    BOOST_TEST(sim.ok("GET", "/v1/tasks?originReferenceNum=REF-2", nullptr, other).empty());
}

BOOST_AUTO_TEST_CASE(faults_apply_to_gptom) {
    CloudSim sim;
    const auto fault = [&sim](const Json& rule) {
        BOOST_TEST(sim.http->send(core::HttpRequest::json("POST", "/_sim/faults", rule)).status ==
                   201);
    };
    fault(
        Json{{"method", "POST"}, {"path", "/gptom/v1/tasks"}, {"kind", "status"}, {"status", 503}});
    BOOST_TEST(sim.call("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "F1")).status == 503);
    BOOST_TEST(sim.stats()["tasks_created"] == 0);
    fault(Json{{"method", "POST"}, {"path", "/gptom/v1/tasks"}, {"kind", "drop_after"}});
    BOOST_CHECK_THROW(sim.call("POST", "/v1/tasks/TRANSACTION", sim.sale(1111, "F2")),
                      core::TransportError);
    BOOST_TEST(sim.stats()["tasks_created"] == 1);
    BOOST_TEST(sim.ok("GET", "/v1/tasks?originReferenceNum=F2").size() == 1U);
    sim.http->send(core::HttpRequest::json("POST", "/_sim/reset", Json::object()));
    BOOST_TEST(sim.stats()["tasks_created"] == 0);
}

BOOST_AUTO_TEST_CASE(terminals_option_and_fiscpos_sim_gptom_options) {
    const auto devices = sim::gptom::parseDevices("111:assisted,222", "gptom-terminals");
    BOOST_TEST_REQUIRE(devices.size() == 2U);
    BOOST_TEST((devices[0].mode == sim::gptom::DeviceMode::Assisted));
    BOOST_TEST(devices[1].tid == "222");
    BOOST_TEST((devices[1].mode == sim::gptom::DeviceMode::Automatic));
    for (const char* bad : {"", "1:fast", "1;2", "1,1", ":assisted"}) {
        BOOST_CHECK_THROW(sim::gptom::parseDevices(bad, "gptom-terminals"), core::ConfigError);
    }

    const auto binary = test::binaryDir() / "sim" / "fiscpos-sim";
    const test::ProcessResult help = test::runProcess(binary, {"--help"});
    BOOST_TEST(help.exitCode == 0);
    for (const char* option :
         {"--gptom-client-credential", "--gptom-username", "--gptom-master-username",
          "--gptom-terminals", "--gptom-provider-public-key", "--gptom-timeout-after",
          "--gptom-refresh-paths", "--gptom-separate-transaction", "/gptom/_control/tap",
          "/gptom/_control/backdate"}) {
        BOOST_TEST(help.out.find(option) != std::string::npos, option);
    }
    const std::string key = test::mellonPrivateKey().string();
    const auto refused = [&binary, &key](const std::string& option, const std::string& value) {
        const test::ProcessResult run = test::runProcess(
            binary, {"--provider-key", key, "--listen", "127.0.0.1:0", "--" + option, value});
        BOOST_TEST(run.exitCode == 1, option);
        BOOST_TEST(run.err.find(option) != std::string::npos, run.err);
    };
    refused("gptom-terminals", "12345678:fast");
    refused("gptom-refresh-paths", "/oauth/token");
    refused("gptom-run-for", "soon");
    refused("gptom-access-lifetime", "0");
    refused("gptom-provider-public-key", "/nonexistent.pem");
}

BOOST_AUTO_TEST_SUITE_END()
