// The simulated remote parties a payment needs, for tests that run whole payments: the provider,
// signing with Mellon's published test key, and the Mellon WebECR network, verifying with its
// public half. Header-only: only the tests that include it link fiscpos_sim.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/shared_dir.hpp"

#include <memory>
#include <string>

namespace fiscpos::test {

// Adds /provider (accepting `providerToken`) and /mellon (its default account, API key and
// terminals) to `server`, which the caller then starts.
inline void addPaymentParties(sim::SimServer& server, const std::string& providerToken) {
    const auto key = signing::PrivateKey::fromPemFile(mellonPrivateKey());
    sim::ProviderPartyOptions provider;
    provider.token = providerToken;
    server.addParty(std::make_shared<sim::ProviderParty>(key, provider, server.clock()));
    server.addParty(std::make_shared<sim::MellonParty>(key.publicKey(), sim::MellonPartyOptions{},
                                                       server.clock()));
}

} // namespace fiscpos::test
