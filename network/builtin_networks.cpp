// The networks fiscpos is built with: the one place outside their folders that names them. A new
// network is a folder that fills in a NetworkModule, plus a line here and in CMakeLists.txt.
#include "network/network_module.hpp"

#include "gptom/gptom_network.hpp"
#include "mellon/mellon_network.hpp"
#include "viva/viva_network.hpp"

namespace fiscpos::network {

const NetworkRegistry& builtinNetworks() {
    static const NetworkRegistry registry = [] {
        NetworkRegistry made;
        mellon::registerNetwork(made);
        viva::registerNetworks(made);
        gptom::registerNetwork(made);
        return made;
    }();
    return registry;
}

} // namespace fiscpos::network
