// The simulated Viva network as a whole: one merchant account served by four parties on the
// simulator's server, so a fiscpos configuration points at them by URL alone:
//   /viva-accounts  OAuth2 token (viva_accounts_party.hpp)   accounts_url = {base}/viva-accounts
//   /viva-api       Cloud Terminal API (viva_api_party.hpp)   api_url      = {base}/viva-api
//   /viva-legacy    legacy Basic-auth API (viva_legacy_party.hpp)
//   /viva-local     one terminal's Local Terminal API (viva_local_party.hpp)
//                                                             url (viva-local) = {base}/viva-local
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/viva/viva_api_party.hpp"
#include "sim/viva/viva_local_party.hpp"
#include "sim/viva/viva_merchant.hpp"

namespace fiscpos::sim {

struct VivaSimOptions {
    viva::MerchantOptions merchant;
    VivaApiOptions api;
    VivaLocalOptions local;
};

// Adds the four Viva parties to `server`; they verify provider signatures with `providerKey`.
// ConfigError naming "viva.<setting>" on an unusable option.
void addVivaParties(SimServer& server, signing::PublicKey providerKey, VivaSimOptions options = {});

} // namespace fiscpos::sim
