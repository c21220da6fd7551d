// fiscpos-sim's SMS gateway options, and the gateways' place in the simulator's registry.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim::sms {

// Adds the simulated Yuboto and Routee gateways (their options, help and parties) to `registry`.
void registerGateways(SimNetworkRegistry& registry);

} // namespace fiscpos::sim::sms
