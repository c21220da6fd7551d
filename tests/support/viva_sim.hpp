// The simulated Viva network for tests of the Viva client and of whole payments through it: the
// provider (signing with Mellon's published test key) and the three Viva parties (verifying with
// its public half), with their defaults; and a stand-in for the ERP's webhook endpoint that
// records what Viva POSTs to it. Header-only: only the tests that include it link fiscpos_sim.
#pragma once

#include "core/json.hpp"
#include "signing/ecdsa.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_party.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/viva/viva_parties.hpp"
#include "tests/support/shared_dir.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fiscpos::test {

// What the simulated Viva account is configured with by default.
namespace viva_defaults {
inline constexpr const char* clientId = "sim-viva-client";
inline constexpr const char* clientSecret = "sim-viva-secret";
inline constexpr const char* merchantId = "6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10";
inline constexpr const char* apiKey = "sim-viva-api-key";
inline constexpr const char* webhookKey = "4C1A8E2B9D3F5A7C6E0B1D2F3A4C5E6B7D8F9A0B";
inline constexpr const char* terminalId = "16000010";     // and 16000011
inline constexpr const char* sourceSerial = "0820160010"; // the legacy source of 16000010
inline constexpr const char* providerId = "999";
} // namespace viva_defaults

// Adds /viva-accounts, /viva-api, /viva-legacy and /viva-local to `server` (which the caller then
// starts), verifying provider signatures with the public half of Mellon's test key.
inline void addVivaParties(sim::SimServer& server, sim::VivaSimOptions options = {}) {
    sim::addVivaParties(server, signing::PublicKey::fromPemFile(mellonPublicKey()),
                        std::move(options));
}

// Adds /provider (accepting `providerToken`, signing with Mellon's test key) and the Viva parties.
inline void addVivaPaymentParties(sim::SimServer& server, const std::string& providerToken,
                                  sim::VivaSimOptions options = {}) {
    const auto key = signing::PrivateKey::fromPemFile(mellonPrivateKey());
    sim::ProviderPartyOptions provider;
    provider.token = providerToken;
    server.addParty(std::make_shared<sim::ProviderParty>(key, provider, server.clock()));
    sim::addVivaParties(server, key.publicKey(), std::move(options));
}

// The ERP's webhook endpoint, played under its own prefix (default /erp-webhook): a GET answers
// {"Key": key} as Viva's Verify step wants; a POST is recorded (its JSON body, or the text when it
// is not JSON) and answered with `postStatus`.
class WebhookRecorder final : public sim::SimParty {
public:
    explicit WebhookRecorder(std::string key = viva_defaults::webhookKey,
                             std::string prefix = "/erp-webhook")
        : key_(std::move(key))
        , prefix_(std::move(prefix)) {}

    std::string name() const override { return prefix_.substr(1); } // "erp-webhook"
    std::string prefix() const override { return prefix_; }

    sim::SimResponse handle(const sim::SimRequest& request) override {
        std::lock_guard lock(mutex_);
        if (request.method == "GET") {
            return sim::SimResponse::json(200, core::Json{{"Key", key_}});
        }
        try {
            received_.push_back(
                core::parseJson(request.body, "webhook", core::JsonOrigin::Response));
        } catch (const core::InputError&) {
            received_.emplace_back(request.body);
        }
        targets_.push_back(request.subpath +
                           (request.rawQuery.empty() ? "" : "?" + request.rawQuery));
        return sim::SimResponse::json(postStatus_, core::Json::object());
    }
    void reset() override {
        std::lock_guard lock(mutex_);
        received_.clear();
        targets_.clear();
    }

    // The status POSTs are answered with from now on (200 by default).
    void answerWith(int status) {
        std::lock_guard lock(mutex_);
        postStatus_ = status;
    }
    std::vector<core::Json> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    // The path below the prefix and the query of each POST, in order.
    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return received_.size();
    }

private:
    std::string key_;
    std::string prefix_;
    mutable std::mutex mutex_;
    int postStatus_ = 200;
    std::vector<core::Json> received_;
    std::vector<std::string> targets_;
};

} // namespace fiscpos::test
