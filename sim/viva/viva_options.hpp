// fiscpos-sim's Viva options, and the network's place in the simulator's registry.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim::viva {

// Adds the simulated Viva network (its options, help and parties) to `registry`.
void registerNetwork(SimNetworkRegistry& registry);

} // namespace fiscpos::sim::viva
