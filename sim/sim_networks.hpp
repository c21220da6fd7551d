// The networks fiscpos-sim is built with.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim {

const SimNetworkRegistry& simNetworks();

} // namespace fiscpos::sim
