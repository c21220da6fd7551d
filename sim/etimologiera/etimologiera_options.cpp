// fiscpos-sim's e-timologiera options.
#include "sim/etimologiera/etimologiera_options.hpp"

#include "sim/etimologiera/etimologiera_party.hpp"
#include "sim/server/sim_option_table.hpp"

#include <memory>

namespace fiscpos::sim::etimologiera {

SimProviderModule providerModule() {
    using Table = SimOptionTable<EtimologieraPartyOptions>;
    const auto table = std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text({"etimologiera-username",
                     "e-timologiera's HTTP Basic user (default sim-etimologiera)", "NAME"},
                    &EtimologieraPartyOptions::username),
        Table::text(
            {"etimologiera-password", "its password (default sim-etimologiera-password)", "SECRET"},
            &EtimologieraPartyOptions::password),
    });
    SimProviderModule module;
    module.name = "etimologiera";
    module.where = "e-timologiera createSimSign at /etimologiera";
    module.options = table->specs();
    module.help = "e-timologiera (POST /etimologiera/v4/createSimSign, HTTP Basic, signed with "
                  "--provider-key): POST /etimologiera/_control/skew.";
    module.add = [table](SimServer& server, const SimOptionValues& values,
                         const signing::PrivateKey& providerKey) {
        server.addParty(
            std::make_shared<EtimologieraParty>(providerKey, table->read(values), server.clock()));
    };
    return module;
}

} // namespace fiscpos::sim::etimologiera
