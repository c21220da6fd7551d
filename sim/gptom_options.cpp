// fiscpos-sim's GP tom options.
#include "sim/sim_options.hpp"

namespace fiscpos::sim {

// Not simulated yet: a module without add() is left out of fiscpos-sim.
SimNetworkModule gptomModule() {
    return {};
}

} // namespace fiscpos::sim
