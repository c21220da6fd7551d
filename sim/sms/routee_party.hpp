// The simulated Routee API under /sms/routee (contract receipt-delivery.md §5, §9). A fiscpos
// configuration sets [sms] gateway = routee, url = http://127.0.0.1:PORT/sms/routee and
// token_url = http://127.0.0.1:PORT/sms/routee/oauth/token.
//
//   POST /sms/routee/oauth/token  "Authorization: Basic base64(app id:app secret)", form
//                                 grant_type=client_credentials -> {"access_token",
//                                 "token_type": "bearer", "expires_in", "scope": "sms",
//                                 "permissions": ["MT_ROLE_SMS"]}; 401 {"error":
//                                 "invalid_client"} for other credentials, 400
//                                 {"error": "unsupported_grant_type"} for another grant
//   POST /sms/routee/sms          "Authorization: Bearer <token>", {"body", "to": "+3069...",
//                                 "from", "label", "ttl", "flash", "callback": {"url",
//                                 "strategy"}} -> 200 {"trackingId", "createdAt", "from", "to",
//                                 "body", "label", "status": "Queued", "bodyAnalysis":
//                                 {"characters", "parts", "unicode", "transcoded": false}}
//
// A missing, unknown or expired token gets 401 {"code": "401000000", "developerMessage"}; a body
// Routee would not take 400 {"code": "400000000", "developerMessage", "property"}
// (PROVISIONAL codes). Tokens live `tokenLifetime` of simulated time; credentials are compared in
// constant time.
// POST /sms/routee/_control/refuse {"count", "status" (default 400), "code", "message"}: the next
// sends are refused with that status (429 included).
// POST /sms/routee/_control/expire-tokens: every token issued so far expires (the next send gets
// 401 once and fiscpos fetches a new one). Shared control and counters: sms_party.hpp; its own
// counters token_logins, login_failures, unauthenticated.
#pragma once

#include "sim/server/sim_tokens.hpp"
#include "sim/sms/sms_party.hpp"

#include <chrono>
#include <string>

namespace fiscpos::sim::sms {

struct RouteePartyOptions {
    std::string prefix = "/sms/routee";
    std::string appId = "sim-routee-app";
    std::string appSecret = "sim-routee-secret";
    std::chrono::milliseconds tokenLifetime{std::chrono::seconds(3600)}; // simulated
};

class RouteeParty final : public SmsGatewayParty {
public:
    // ConfigError naming "routee.app_id" / "routee.app_secret" when one is empty.
    RouteeParty(RouteePartyOptions options, const core::Clock& clock);

private:
    SimResponse route(const SimRequest& request) override;
    // POST callback.url, one JSON report per part: {messageId, smsId, part, parts, to, from, label,
    // status: {name, reason: {detailedStatus, description}, updatedDate}}
    std::vector<Callback> deliveryCallbacks(const SimSms& message,
                                            const std::string& status) const override;
    std::optional<SimResponse> control(const std::string& action, const core::Json& body) override;
    void resetGateway() override { tokens_.clear(); }

    SimResponse token(const SimRequest& request);
    SimResponse sendMessage(const SimRequest& request);

    RouteePartyOptions options_;
    SimTokenStore tokens_;
    SimCounter logins_{counters_, "token_logins"}, loginFailures_{counters_, "login_failures"},
        unauthenticated_{counters_, "unauthenticated"};
};

} // namespace fiscpos::sim::sms
