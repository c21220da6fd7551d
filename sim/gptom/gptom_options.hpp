// fiscpos-sim's GP tom options, and the network's place in the simulator's registry.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim::gptom {

// Adds the simulated GP tom network (its options, help and parties) to `registry`.
void registerNetwork(SimNetworkRegistry& registry);

} // namespace fiscpos::sim::gptom
