// The simulated parties a GP tom payment needs, for tests that run whole payments: the provider,
// signing with Mellon's published test key, and the GP tom Cloud API (its provisional shape),
// verifying the provider's signatures with the public half. Header-only: only the tests that
// include it link fiscpos_sim.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/gptom_party.hpp"
#include "sim/provider_party.hpp"
#include "sim/sim_server.hpp"
#include "tests/support/shared_dir.hpp"

#include <memory>
#include <string>

namespace fiscpos::test {

// Adds /provider (accepting `providerToken`) and /gptom (`options`: by default the per-terminal
// account sim-user/sim-password, the master account sim-master/sim-master-password, the client
// credential Z3B0b20tc2ltOnNpbS1zZWNyZXQ=, device 12345678 automatic and 12345679 assisted) to
// `server`, which the caller then starts. Configure a terminal with url = baseUrl() + "/gptom".
inline void addGptomParties(sim::SimServer& server, const std::string& providerToken,
                            sim::GptomPartyOptions options = {}) {
    const auto key = signing::PrivateKey::fromPemFile(mellonPrivateKey());
    sim::ProviderPartyOptions provider;
    provider.token = providerToken;
    server.addParty(std::make_shared<sim::ProviderParty>(key, provider, server.clock()));
    server.addParty(
        std::make_shared<sim::GptomParty>(key.publicKey(), std::move(options), server.clock()));
}

} // namespace fiscpos::test
