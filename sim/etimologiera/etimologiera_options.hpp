// fiscpos-sim's e-timologiera options, and the party's place among the simulator's providers.
#pragma once

#include "sim/server/sim_options.hpp"

namespace fiscpos::sim::etimologiera {

// The simulated e-timologiera createSimSign (its options, help and party).
SimProviderModule providerModule();

} // namespace fiscpos::sim::etimologiera
