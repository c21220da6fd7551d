// The simulated parties a GP tom payment needs, for tests that run whole payments: the provider,
// signing with Mellon's published test key, and the GP tom Cloud API (its provisional shape),
// verifying the provider's signatures with the public half. Header-only: only the tests that
// include it link fiscpos_sim.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/gptom/gptom_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/shared_dir.hpp"

#include <memory>
#include <string>

namespace fiscpos::test {

// Server options for a simulator on loopback whose time runs `timeScale` times faster.
inline sim::SimServerOptions fastSimOptions(double timeScale) {
    sim::SimServerOptions options;
    options.timeScale = timeScale;
    return options;
}

// Adds /gptom alone, verifying the provider's signatures with Mellon's public test key. By
// default: the per-terminal account sim-user/sim-password, the master account
// sim-master/sim-master-password, the client credential Z3B0b20tc2ltOnNpbS1zZWNyZXQ=, device
// 12345678 automatic and 12345679 assisted. A terminal's url is baseUrl() + "/gptom".
inline void addGptomParty(sim::SimServer& server, sim::GptomPartyOptions options = {}) {
    server.addParty(std::make_shared<sim::GptomParty>(
        signing::PublicKey::fromPemFile(mellonPublicKey()), std::move(options), server.clock()));
}

// Adds /provider (accepting `providerToken`, signing with Mellon's private test key) and /gptom
// (see addGptomParty) to `server`, which the caller then starts.
inline void addGptomParties(sim::SimServer& server, const std::string& providerToken,
                            sim::GptomPartyOptions options = {}) {
    sim::ProviderPartyOptions provider;
    provider.token = providerToken;
    server.addParty(std::make_shared<sim::ProviderParty>(
        signing::PrivateKey::fromPemFile(mellonPrivateKey()), provider, server.clock()));
    addGptomParty(server, std::move(options));
}

} // namespace fiscpos::test
