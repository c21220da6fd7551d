// A simulator running in the test process with the provider party, signing with Mellon's test key,
// and helpers to drive its control endpoints over HTTP.
#pragma once

#include "core/http_client.hpp"
#include "core/json.hpp"
#include "signing/provider_client.hpp"
#include "signing/provider_error.hpp"
#include "signing/signature.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace fiscpos::test {

struct SimFixture {
    explicit SimFixture(sim::ProviderPartyOptions provider = {}, double timeScale = 1.0);

    // The control endpoints, through core::HttpClient like any client.
    core::Json control(const std::string& method, const std::string& target,
                       const core::Json& body = nullptr);
    core::Json addFault(const core::Json& rule); // POST /_sim/faults, expects 201
    core::Json stats();                          // GET /_sim/stats
    std::int64_t signaturesCreated();
    std::int64_t providerRequests(const std::string& method);

    std::string providerUrl() const { return server.baseUrl() + "/provider"; }
    signing::MydataProviderClient
    client(std::string token = "sim-token",
           std::chrono::milliseconds readTimeout = std::chrono::milliseconds(5000)) const;

    sim::SimServer server;
    std::unique_ptr<core::HttpClient> http; // at the server's root
};

// Runs `call` and returns the ProviderError it must throw (a test failure when it throws none).
template <typename Call> signing::ProviderError providerError(Call&& call) {
    try {
        call();
    } catch (const signing::ProviderError& e) {
        return e;
    }
    BOOST_FAIL("expected a ProviderError");
    throw std::logic_error("unreachable");
}

// A payment of 12.40 on a 10.00 + 2.40 invoice issued now, on TID 99000031.
signing::SignatureRequest sampleRequest(signing::Nsp nsp = signing::Nsp::WebEcr,
                                        std::string number = "9");

} // namespace fiscpos::test
