// The networks, and the providers besides /provider, fiscpos-sim is built with.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim {

const SimNetworkRegistry& simNetworks();
const std::vector<SimProviderModule>& simProviders();

} // namespace fiscpos::sim
