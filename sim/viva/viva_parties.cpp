#include "sim/viva/viva_parties.hpp"

#include "sim/viva/viva_accounts_party.hpp"
#include "sim/viva/viva_legacy_party.hpp"

namespace fiscpos::sim {

void addVivaParties(SimServer& server, signing::PublicKey providerKey, VivaSimOptions options) {
    auto merchant = std::make_shared<viva::Merchant>(std::move(options.merchant), server.clock());
    server.addParty(std::make_shared<VivaAccountsParty>(merchant));
    server.addParty(std::make_shared<VivaApiParty>(merchant, providerKey, std::move(options.api)));
    server.addParty(std::make_shared<VivaLegacyParty>(merchant));
    server.addParty(
        std::make_shared<VivaLocalParty>(merchant, providerKey, std::move(options.local)));
}

} // namespace fiscpos::sim
