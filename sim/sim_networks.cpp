// The networks, SMS gateways and further providers fiscpos-sim is built with: the one file of the
// simulator that names them. A new network is a folder under sim/ with its registerNetwork (a
// provider: its providerModule), plus a line here and in sim/CMakeLists.txt.
#include "sim/sim_networks.hpp"

#include "sim/etimologiera/etimologiera_options.hpp"
#include "sim/gptom/gptom_options.hpp"
#include "sim/mellon/mellon_options.hpp"
#include "sim/sms/sms_options.hpp"
#include "sim/viva/viva_options.hpp"

namespace fiscpos::sim {

const SimNetworkRegistry& simNetworks() {
    static const SimNetworkRegistry registry({mellon::registerNetwork, viva::registerNetwork,
                                              gptom::registerNetwork, sms::registerGateways});
    return registry;
}

const std::vector<SimProviderModule>& simProviders() {
    static const std::vector<SimProviderModule> providers{etimologiera::providerModule()};
    return providers;
}

} // namespace fiscpos::sim
