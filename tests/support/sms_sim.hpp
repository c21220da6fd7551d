// The simulated SMS gateways in the test process, over real loopback HTTP, fiscpos's gateways
// configured for them, and what tests read of them: the messages each accepted, its counters, and
// its control endpoints and faults.
#pragma once

#include "core/config.hpp"
#include "core/http_client.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sms/routee_party.hpp"
#include "sim/sms/yuboto_party.hpp"
#include "sms/sms_gateway.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fiscpos::test {

// The contract's example (receipt-delivery.md §2): 71 characters, two UCS-2 parts.
inline const std::string exampleSms =
    "ΚΑΦΕ ΑΛΦΑ: απόδειξη R-9, 12,40€ με κάρτα: https://iview.gr/i/01J8Z3K9Q2";

struct SmsSim {
    explicit SmsSim(sim::sms::YubotoPartyOptions yuboto = {},
                    sim::sms::RouteePartyOptions routee = {}, double timeScale = 1.0)
        : server([timeScale] {
            sim::SimServerOptions options;
            options.timeScale = timeScale;
            return options;
        }()) {
        server.addParty(std::make_shared<sim::sms::YubotoParty>(std::move(yuboto), server.clock()));
        server.addParty(std::make_shared<sim::sms::RouteeParty>(std::move(routee), server.clock()));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
    }

    // An [sms] section for `gateway` on this simulator, with `extra` lines after it.
    std::string section(const std::string& gateway, const std::string& extra = "") const {
        std::string text = "[sms]\ngateway = " + gateway + "\nurl = " + server.baseUrl() + "/sms/" +
                           gateway + "\nsender = KAFEALFA\n";
        if (gateway == "yuboto") {
            text += "api_key = sim-yuboto-key\n";
        } else {
            text += "app_id = sim-routee-app\napp_secret = sim-routee-secret\ntoken_url = " +
                    server.baseUrl() + "/sms/routee/oauth/token\n";
        }
        return text + extra;
    }
    core::Config config(const std::string& gateway, const std::string& extra = "") const {
        return core::Config::fromText(section(gateway, extra));
    }

    // The gateway of section(gateway, extra), with the HTTP options it sets.
    std::unique_ptr<sms::SmsGateway> gateway(const std::string& gateway,
                                             const std::string& extra = "") const {
        const auto settings = config(gateway, extra);
        return sms::smsGatewayFromConfig(settings, core::httpOptions(settings, "sms"));
    }

    core::HttpResponse call(const std::string& method, const std::string& target,
                            const core::Json& body = nullptr) {
        return http->send(body.is_null() ? core::HttpRequest{method, target, {}, {}, {}, {}}
                                         : core::HttpRequest::json(method, target, body));
    }
    core::Json ok(const std::string& method, const std::string& target,
                  const core::Json& body = nullptr) {
        const core::HttpResponse response = call(method, target, body);
        BOOST_TEST_REQUIRE(response.ok(), method << " " << target << ": " << response.status << " "
                                                 << response.body);
        return response.json(target);
    }
    // The messages `gateway` accepted, in order.
    core::Json messages(const std::string& gateway) {
        return ok("GET", "/sms/" + gateway + "/_control/messages")["messages"];
    }
    std::int64_t stat(const std::string& gateway, const std::string& counter) {
        return ok("GET", "/_sim/stats")[gateway][counter].get<std::int64_t>();
    }
    void fault(const core::Json& rule) { ok("POST", "/_sim/faults", rule); }

    sim::SimServer server;
    std::unique_ptr<core::HttpClient> http; // at the server's root
};

// Collects the exchanges of one call.
struct Exchanges {
    std::vector<core::HttpExchange> seen;
    core::HttpObserver record() {
        return [this](const core::HttpExchange& exchange) {
            seen.push_back(exchange);
        };
    }
};

} // namespace fiscpos::test
