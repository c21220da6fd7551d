// The simulated Viva accounts server under /viva-accounts: the OAuth2 token endpoint of the POS
// APIs credentials (contract §2).
//
//   POST /viva-accounts/connect/token   Authorization: Basic base64(client_id:client_secret),
//                                       Content-Type: application/x-www-form-urlencoded,
//                                       grant_type=client_credentials[&scope=...]
//     200 {"access_token", "expires_in": <seconds>, "token_type": "Bearer", "scope"}
//     400 {"error": "invalid_client"}          missing or wrong Basic credentials (credentials in
//                                              the form body are not accepted)
//     400 {"error": "invalid_request"}         not a form body, or no grant_type
//     400 {"error": "unsupported_grant_type"}  a grant other than client_credentials
//
// Control (no authentication):
//   POST /viva-accounts/_control/expire-tokens   every token issued so far expires; the Cloud
//                                                Terminal API then refuses it (see
//                                                viva_api_party.hpp)
#pragma once

#include "sim/viva/viva_merchant_party.hpp"

#include <memory>
#include <string>

namespace fiscpos::sim {

class VivaAccountsParty final : public VivaMerchantParty {
public:
    explicit VivaAccountsParty(std::shared_ptr<viva::Merchant> merchant,
                               std::string prefix = "/viva-accounts");

private:
    // stats(): tokens_issued, token_failures, tokens_expired
    core::Json recordStats() const override;

    SimResponse route(const SimRequest& request) override;
    SimResponse token(const SimRequest& request);

    SimCounter failures_{counters_, "token_failures"}, expired_{counters_, "tokens_expired"};
};

} // namespace fiscpos::sim
