// fiscpos-sim's SMS gateway options.
#include "sim/sms/sms_options.hpp"

#include "sim/server/sim_option_table.hpp"
#include "sim/sms/routee_party.hpp"
#include "sim/sms/yuboto_party.hpp"

#include <memory>
#include <string>
#include <utility>

namespace fiscpos::sim::sms {

namespace {

// The module of a gateway of one party made as Party(options, clock) from what `table` reads.
template <class Party, class Options>
SimNetworkModule gatewayModule(std::string name, std::string where, std::string help,
                               std::shared_ptr<const SimOptionTable<Options>> table) {
    SimNetworkModule module{std::move(name), std::move(where), table->specs(), std::move(help), {},
                            std::nullopt};
    module.add = [table](SimServer& server, const SimOptionValues& values, signing::PublicKey) {
        server.addParty(std::make_shared<Party>(table->read(values), server.clock()));
    };
    return module;
}

std::shared_ptr<const SimOptionTable<YubotoPartyOptions>> yubotoOptions() {
    using Table = SimOptionTable<YubotoPartyOptions>;
    return std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text(
            {"yuboto-api-key", "API key of the simulated Yuboto (default sim-yuboto-key)", "KEY"},
            &YubotoPartyOptions::apiKey),
        Table::seconds({"yuboto-deliver-after",
                        "simulated seconds until a message reads Delivered (default 5)", "S"},
                       &YubotoPartyOptions::deliverAfter),
    });
}

std::shared_ptr<const SimOptionTable<RouteePartyOptions>> routeeOptions() {
    using Table = SimOptionTable<RouteePartyOptions>;
    return std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text({"routee-app-id", "application id (default sim-routee-app)", "ID"},
                    &RouteePartyOptions::appId),
        Table::text({"routee-app-secret", "its secret (default sim-routee-secret)", "SECRET"},
                    &RouteePartyOptions::appSecret),
        Table::secondsAtLeast({"routee-token-lifetime",
                               "simulated seconds an access token lives (default 3600)", "S"},
                              std::chrono::seconds(1), "must be at least one second",
                              &RouteePartyOptions::tokenLifetime),
    });
}

} // namespace

void registerGateways(SimNetworkRegistry& registry) {
    registry.add(gatewayModule<YubotoParty>(
        "yuboto", "Yuboto SMS at /sms/yuboto",
        "Yuboto SMS (/sms/yuboto/omni/v1/Send, /Dlr): GET /sms/yuboto/_control/messages, POST "
        "/sms/yuboto/_control/refuse.",
        yubotoOptions()));
    registry.add(gatewayModule<RouteeParty>(
        "routee", "Routee SMS at /sms/routee",
        "Routee SMS (/sms/routee/oauth/token, /sms/routee/sms): GET "
        "/sms/routee/_control/messages, POST /sms/routee/_control/refuse, POST "
        "/sms/routee/_control/expire-tokens.",
        routeeOptions()));
}

} // namespace fiscpos::sim::sms
