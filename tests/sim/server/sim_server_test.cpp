// The simulator frame: control endpoints, fault rules, the scaled clock, and what core::HttpClient
// sees when the simulator refuses, drops or breaks an exchange.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "sim/server/fault.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/sim_fixture.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <boost/test/unit_test.hpp>

#include <thread>

using namespace fiscpos;
using fiscpos::test::sampleRequest;
using fiscpos::test::SimFixture;

namespace {

core::HttpRequest createRequest() {
    return core::HttpRequest::json("POST", "/provider/v2/signatures",
                                   sampleRequest().toProviderJson())
        .header("Authorization", "Bearer sim-token");
}

// A party that answers every request with its path, for frame tests.
class EchoParty final : public sim::SimParty {
public:
    explicit EchoParty(std::string prefix)
        : prefix_(std::move(prefix)) {}
    std::string name() const override { return prefix_.substr(1); }
    std::string prefix() const override { return prefix_; }
    sim::SimResponse handle(const sim::SimRequest& request) override {
        ++handled_;
        return sim::SimResponse::json(200,
                                      core::Json{{"party", prefix_},
                                                 {"subpath", request.subpath},
                                                 {"page", request.queryParam("page").value_or("")},
                                                 {"token", request.bearerToken()},
                                                 {"body", request.body}});
    }
    void reset() override { handled_ = 0; }
    core::Json stats() const override { return core::Json{{"handled", handled_.load()}}; }

private:
    std::string prefix_;
    std::atomic<int> handled_{0};
};

} // namespace

BOOST_AUTO_TEST_SUITE(sim_frame)

BOOST_AUTO_TEST_CASE(parties_get_their_prefix_and_unknown_paths_get_404_json) {
    sim::SimServer server;
    server.addParty(std::make_shared<EchoParty>("/viva-api"));
    server.addParty(std::make_shared<EchoParty>("/viva"));
    server.start();
    BOOST_TEST(server.port() != 0);
    core::HttpClient http(server.baseUrl());

    const core::Json api = http.send(core::HttpRequest::get("/viva-api/ecr/v1/x?page=2")
                                         .header("Authorization", "Bearer abc"))
                               .json("echo");
    BOOST_TEST(api["party"] == "/viva-api");
    BOOST_TEST(api["subpath"] == "/ecr/v1/x");
    BOOST_TEST(api["page"] == "2");
    BOOST_TEST(api["token"] == "abc");
    BOOST_TEST(http.send(core::HttpRequest::get("/viva")).json("echo")["subpath"] == "");

    const core::HttpResponse unknown = http.send(core::HttpRequest::get("/vivax/y"));
    BOOST_TEST(unknown.status == 404);
    BOOST_TEST(unknown.json("404").contains("message"));
    const core::Json stats = http.send(core::HttpRequest::get("/_sim/stats")).json("stats");
    BOOST_TEST(stats["viva-api"]["handled"] == 1);
    BOOST_TEST(stats["viva-api"]["requests"] == 1);
    BOOST_TEST(stats["viva"]["requests_by_method"]["GET"] == 1);
    BOOST_TEST(stats["_sim"]["unmatched_requests"] == 1);

    BOOST_CHECK_THROW(server.addParty(std::make_shared<EchoParty>("/viva")), core::ConfigError);
    BOOST_CHECK_THROW(server.addParty(std::make_shared<EchoParty>("/_sim")), core::ConfigError);
}

BOOST_AUTO_TEST_CASE(listens_on_loopback_only_unless_allowed) {
    sim::SimServerOptions options;
    options.host = "192.0.2.10";
    BOOST_CHECK_THROW(sim::SimServer{options}, core::ConfigError);
    options.host = "0.0.0.0";
    BOOST_CHECK_THROW(sim::SimServer{options}, core::ConfigError);
    options.allowRemote = true;
    BOOST_CHECK_NO_THROW(sim::SimServer{options});
    options.host = "::1";
    options.allowRemote = false;
    BOOST_CHECK_NO_THROW(sim::SimServer{options});
}

BOOST_AUTO_TEST_CASE(fault_rules_are_listed_used_up_and_cleared) {
    SimFixture sim;
    const core::Json added =
        sim.addFault({{"path", "/provider/v2"}, {"kind", "status"}, {"status", 502}, {"count", 2}});
    BOOST_TEST(added["count"] == 2);
    BOOST_TEST(added["method"].is_null());
    BOOST_TEST(sim.control("GET", "/_sim/faults")["faults"].size() == 1U);

    const auto list = [&] {
        return sim.http->send(
            core::HttpRequest::get("/provider/v2/signatures?status=pending&page=1")
                .header("Authorization", "Bearer sim-token"));
    };
    BOOST_TEST(list().status == 502);
    BOOST_TEST(list().status == 502);
    BOOST_TEST(list().status == 200);
    BOOST_TEST(sim.control("GET", "/_sim/faults")["faults"].empty());
    BOOST_TEST(sim.stats()["_sim"]["faults_applied"] == 2);

    sim.addFault({{"path", "/provider"}, {"kind", "drop_before"}, {"count", 5}});
    BOOST_TEST(sim.control("DELETE", "/_sim/faults")["cleared"] == 1);
    BOOST_TEST(list().status == 200);
}

BOOST_AUTO_TEST_CASE(bad_fault_rules_are_refused_naming_the_field) {
    SimFixture sim;
    const auto post = [&](const core::Json& rule) {
        return sim.http->send(core::HttpRequest::json("POST", "/_sim/faults", rule));
    };
    const auto refused = [&](const core::Json& rule, const std::string& field) {
        const core::HttpResponse response = post(rule);
        BOOST_TEST(response.status == 422);
        BOOST_TEST(response.json("fault error")["errors"].contains("fault." + field), field);
    };
    refused({{"path", "/provider"}, {"kind", "explode"}}, "kind");
    refused({{"kind", "status"}}, "path");
    refused({{"path", "provider"}, {"kind", "status"}}, "path");
    refused({{"path", "/provider"}, {"kind", "status"}, {"status", 99}}, "status");
    refused({{"path", "/provider"}, {"kind", "delay"}}, "delay_ms");
    refused({{"path", "/provider"}, {"kind", "drop_after"}, {"count", 0}}, "count");
    refused({{"path", "/provider"}, {"kind", "delay"}, {"delay_ms", 5}, {"apply", true}}, "apply");
    BOOST_TEST(sim.control("GET", "/_sim/faults")["faults"].empty());
}

BOOST_AUTO_TEST_CASE(faults_match_method_and_path_prefix) {
    sim::FaultRule rule;
    rule.method = "POST";
    rule.path = "/provider/v2/signatures";
    BOOST_TEST(rule.matches("post", "/provider/v2/signatures"));
    BOOST_TEST(rule.matches("POST", "/provider/v2/signatures/SIG1"));
    BOOST_TEST(!rule.matches("GET", "/provider/v2/signatures"));
    BOOST_TEST(!rule.matches("POST", "/provider/v2"));
    rule.method.clear();
    BOOST_TEST(rule.matches("DELETE", "/provider/v2/signatures/SIG1"));

    sim::FaultBook book;
    rule.count = 1;
    book.add(rule);
    book.add(sim::FaultRule{0, "", "/provider", sim::FaultKind::DropAfter, 503, {}, 1, false, {}});
    BOOST_TEST((book.take("GET", "/provider/v2/signatures")->kind == sim::FaultKind::Status));
    BOOST_TEST((book.take("GET", "/provider/v2/signatures")->kind == sim::FaultKind::DropAfter));
    BOOST_TEST(!book.take("GET", "/provider/v2/signatures").has_value());
    BOOST_TEST(book.applied() == 2);
}

BOOST_AUTO_TEST_CASE(reset_forgets_records_counters_and_faults) {
    SimFixture sim;
    sim.client().sign(sampleRequest());
    sim.addFault({{"path", "/provider"}, {"kind", "drop_before"}});
    sim.control("POST", "/_sim/reset");
    BOOST_TEST(sim.signaturesCreated() == 0);
    BOOST_TEST(sim.providerRequests("POST") == 0);
    BOOST_TEST(sim.control("GET", "/_sim/faults")["faults"].empty());
    BOOST_TEST(sim.client().listPending().empty());
}

BOOST_AUTO_TEST_CASE(time_endpoint_tells_simulated_time_and_scale) {
    SimFixture sim({}, 100.0);
    const core::Json time = sim.control("GET", "/_sim/time");
    BOOST_TEST(std::stod(core::dumpJson(time["scale"])) == 100.0);
    BOOST_TEST(time["elapsed_ms"].get<std::int64_t>() >= 0);
    BOOST_CHECK_NO_THROW(core::parseIso8601(time["now"].get<std::string>(), "now"));
}

BOOST_AUTO_TEST_CASE(clock_runs_scaled_and_its_waits_can_be_interrupted) {
    const core::TimePoint start = core::parseAthensTimestamp("20240510164340", "start");
    sim::SimClock clock(100.0, start);
    BOOST_TEST((clock.now() >= start));
    BOOST_TEST(clock.sleepFor(std::chrono::milliseconds(2000))); // 20 ms of real time
    BOOST_TEST(clock.elapsed().count() >= 2000);
    BOOST_TEST((clock.now() - start >= std::chrono::milliseconds(2000)));
    BOOST_TEST(clock.realDuration(std::chrono::milliseconds(150000)).count() ==
               std::chrono::nanoseconds(std::chrono::milliseconds(1500)).count());
    BOOST_TEST(clock.sleepFor(std::chrono::milliseconds(0)));
    clock.interrupt();
    BOOST_TEST(!clock.sleepFor(std::chrono::hours(24))); // returns at once when interrupted
    clock.resume();
    BOOST_TEST(clock.sleepFor(std::chrono::milliseconds(1)));

    BOOST_CHECK_THROW(sim::SimClock(0.0), core::ConfigError);
    BOOST_CHECK_THROW(sim::SimClock(-2.0), core::ConfigError);
}

BOOST_AUTO_TEST_CASE(http_client_connection_refused_is_stage_connect) {
    std::uint16_t port = 0;
    {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port = socket.address().port();
    } // closed: nothing listens there any more
    core::HttpOptions options;
    options.connectTimeout = std::chrono::milliseconds(1000);
    core::HttpClient http("http://127.0.0.1:" + std::to_string(port), options);
    try {
        http.send(core::HttpRequest::get("/provider/v2/signatures"));
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST((e.stage() == core::TransportError::Stage::Connect));
        BOOST_TEST(!e.outcomeUnknown());
    }
}

BOOST_AUTO_TEST_CASE(http_client_dropped_answer_is_outcome_unknown_and_never_resent) {
    SimFixture sim;
    sim.addFault({{"method", "POST"}, {"path", "/provider/v2/signatures"}, {"kind", "drop_after"}});
    core::HttpClient http(sim.providerUrl());
    try {
        http.send(
            core::HttpRequest::json("POST", "/v2/signatures", sampleRequest().toProviderJson())
                .header("Authorization", "Bearer sim-token"));
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST((e.stage() == core::TransportError::Stage::Exchange));
        BOOST_TEST(e.outcomeUnknown());
    }
    BOOST_TEST(sim.providerRequests("POST") == 1); // sent once, not retried
    BOOST_TEST(sim.signaturesCreated() == 1);      // and the provider acted on it
}

BOOST_AUTO_TEST_CASE(http_client_dropped_before_is_outcome_unknown_with_nothing_created) {
    SimFixture sim;
    sim.addFault(
        {{"method", "POST"}, {"path", "/provider/v2/signatures"}, {"kind", "drop_before"}});
    BOOST_CHECK_THROW(sim.http->send(createRequest()), core::TransportError);
    BOOST_TEST(sim.providerRequests("POST") == 1);
    BOOST_TEST(sim.signaturesCreated() == 0);
    // The same client works again afterwards.
    BOOST_TEST(sim.http->send(createRequest()).status == 201);
}

BOOST_AUTO_TEST_CASE(http_client_returns_a_503_without_throwing) {
    SimFixture sim;
    sim.addFault({{"method", "POST"}, {"path", "/provider/v2/signatures"}, {"kind", "status"}});
    const core::HttpResponse response = sim.http->send(createRequest());
    BOOST_TEST(response.status == 503);
    BOOST_TEST(response.json("fault").contains("message"));
    BOOST_TEST(sim.providerRequests("POST") == 1);
    BOOST_TEST(sim.signaturesCreated() == 0);
}

// Waits (boundedly, no sleeping on a duration) until the simulator has closed `count` kept-alive
// connections after answering on them.
void awaitClosedAfterAnswer(SimFixture& sim, std::int64_t count) {
    for (int i = 0; i < 2000; ++i) {
        if (sim.stats()["_sim"]["connections_closed_after_answer"].get<std::int64_t>() >= count) {
            return;
        }
        std::this_thread::yield();
    }
    BOOST_FAIL("the simulator did not close the connection");
}

BOOST_AUTO_TEST_CASE(http_client_notices_a_kept_alive_connection_the_server_closed) {
    SimFixture sim;
    core::HttpClient http(sim.providerUrl());
    // Every answer says keep-alive, and the server closes the connection right after each.
    sim.addFault({{"path", "/provider/v2/signatures"}, {"kind", "close_after"}, {"count", 3}});
    const auto post = [] {
        return core::HttpRequest::json("POST", "/v2/signatures", sampleRequest().toProviderJson())
            .header("Authorization", "Bearer sim-token");
    };
    BOOST_TEST(http.send(post()).status == 201);
    awaitClosedAfterAnswer(sim, 1);
    // The next call finds the connection closed before it sends anything, and makes a new one.
    BOOST_TEST(http.send(core::HttpRequest::get("/v2/signatures")
                             .header("Authorization", "Bearer sim-token"))
                   .status == 422); // the list wants its filters: an answer all the same
    awaitClosedAfterAnswer(sim, 2);
    BOOST_TEST(http.send(post()).status == 201);
    BOOST_TEST(sim.providerRequests("POST") == 2);
    BOOST_TEST(sim.signaturesCreated() == 2);
}

BOOST_AUTO_TEST_CASE(http_client_resends_a_get_lost_on_a_reused_connection_but_never_a_post) {
    SimFixture sim;
    core::HttpClient http(sim.providerUrl());
    const auto get = [] {
        return core::HttpRequest::get("/v2/signatures").header("Authorization", "Bearer sim-token");
    };
    BOOST_TEST(http.send(get()).status == 422); // answered; the connection is now kept alive
    // The server takes the next GET and closes without a byte of answer.
    sim.addFault({{"method", "GET"}, {"path", "/provider/v2/signatures"}, {"kind", "drop_before"}});
    BOOST_TEST(http.send(get()).status == 422);
    BOOST_TEST(sim.providerRequests("GET") == 3); // the lost one went again, on a new connection

    sim.addFault(
        {{"method", "POST"}, {"path", "/provider/v2/signatures"}, {"kind", "drop_before"}});
    try {
        http.send(
            core::HttpRequest::json("POST", "/v2/signatures", sampleRequest().toProviderJson())
                .header("Authorization", "Bearer sim-token"));
        BOOST_FAIL("expected a TransportError");
    } catch (const core::TransportError& e) {
        BOOST_TEST(e.outcomeUnknown()); // the caller asks by its reference; nothing resent
    }
    BOOST_TEST(sim.providerRequests("POST") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
