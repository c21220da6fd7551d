// fiscpos-sim's Viva options.
#include "sim/sim_options.hpp"

namespace fiscpos::sim {

// Not simulated yet: a module without add() is left out of fiscpos-sim.
SimNetworkModule vivaModule() {
    return {};
}

} // namespace fiscpos::sim
