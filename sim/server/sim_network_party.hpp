// What the parties of the card networks that log their clients in share: the provider's public
// key they verify signatures with, their options and the simulator's clock, the tokens they have
// issued, and the counters of refused requests.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_party.hpp"
#include "sim/server/sim_tokens.hpp"

#include <string>
#include <utility>

namespace fiscpos::sim {

// `Options` has the party's path prefix as `prefix`.
template <class Options> class SimNetworkParty : public SimPartyBase {
protected:
    SimNetworkParty(std::string name, signing::PublicKey providerKey, Options options,
                    const SimClock& clock)
        : SimPartyBase(std::move(name), options.prefix)
        , providerKey_(std::move(providerKey))
        , options_(std::move(options))
        , clock_(clock) {}

    const signing::PublicKey providerKey_;
    const Options options_;
    const SimClock& clock_;
    SimTokenStore tokens_;
    SimRefusalCounters refusals_{counters_, SimRefusalCounters::Forbidden::Counted};
};

} // namespace fiscpos::sim
