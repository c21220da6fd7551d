// fiscpos-sim's Mellon WebECR options, and the network's place in the simulator's registry.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim::mellon {

// Adds the simulated Mellon WebECR network (its options, help and parties) to `registry`.
void registerNetwork(SimNetworkRegistry& registry);

} // namespace fiscpos::sim::mellon
