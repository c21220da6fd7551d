// The simulated Viva Cloud Terminal API under /viva-api (contract §3-§13):
//
//   POST   /viva-api/ecr/v1/devices:search                  {statusId?, sourceCode?} -> [terminals]
//   POST   /viva-api/ecr/v1/transactions:sale               200, empty body
//   POST   /viva-api/ecr/v1/transactions:refund             200, empty body (parentSessionId)
//   POST   /viva-api/ecr/v1/transactions:unreferenced-refund 200, empty body
//   POST   /viva-api/ecr/v1/transactions:preauth-completion 200, empty body (parentSessionId)
//   GET    /viva-api/ecr/v1/sessions/{sessionId}            202 {"detail": "The session is being
//                                                           processed"} until final, then 200 with
//                                                           the session object; 404 unknown
//   GET    /viva-api/ecr/v1/sessions?date=YYYY-MM-DD[&AadeAutonomouslyOnly=true|false]
//                                                           the final sessions created on that UTC
//                                                           day (default: today), as an array
//   DELETE /viva-api/ecr/v1/sessions/{sessionId}?cashRegisterId=ID
//                                                           200 empty (abort requested), 403
//                                                           another register, 404 unknown, 409 an
//                                                           abort already started
// Every answer carries an x-viva-correlationid header. Every call needs "Authorization: Bearer
// <access_token>" from /viva-accounts: a missing, unknown or expired token gets 401 with
// {"detail": "Could not validate credentials"} (or, with the setting expired_token_answer "empty",
// an empty body and WWW-Authenticate). devices:search with a body that is not JSON answers 500,
// as Viva was seen to. Bad fields answer 400 {"title", "status", "detail": "<field>: <reason>"};
// a sessionId used before answers 400 and creates nothing.
//
// The terminal's AADE check (contract §6), when the request reaches it: a sale, refund or
// unreferenced refund needs aadeProviderId, aadeProviderSignatureData and aadeProviderSignature
// (unless require_aade is off, or fiscalisationData is sent instead); a completion is checked only
// when it carries them. Missing ones give eventId 1083. The signature (base64 DER ECDSA P-256)
// must verify over aadeProviderSignatureData with the provider's public key, and aadeProviderId
// must be one of the accepted ids (any digits by default): otherwise 1076. The signed Input must
// read as the Viva layout UID;MARK;YYYYMMDDhhmmss;Payable;Net;VAT;Total;TID with Payable equal
// to the request's `amount` (tip excluded) and TID equal to its terminalId: otherwise 1077. Why
// is in /_sim/stats (viva_api.aade_failure_log).
//
// Control (no authentication):
//   GET|POST /viva-api/_control/settings  {"codes_as_numbers", "session_events", "require_aade",
//                                          "expired_token_answer": "detail"|"empty",
//                                          "unregistered_for_seconds"}
//   POST     /viva-api/_control/finish    {"sessionId", "outcome": "approved"|"declined"|
//                                          "cancelled"|"expired"|"aborted"} ends a session now
//   POST     /viva-api/_control/expire-tokens   as /viva-accounts/_control/expire-tokens
//   GET|POST /viva-api/_control/webhooks, POST /viva-api/_control/webhooks/verify (viva_http.hpp)
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/viva/viva_merchant_party.hpp"

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace fiscpos::sim {

struct VivaApiOptions {
    std::string prefix = "/viva-api";
    // aadeProviderId values the terminals accept; empty: any digits.
    std::set<std::string> providerIds;
    bool requireAade = true;
    bool emptyUnauthorized = false; // 401 with an empty body instead of {"detail": ...}
};

class VivaApiParty final : public VivaMerchantParty {
public:
    VivaApiParty(std::shared_ptr<viva::Merchant> merchant, signing::PublicKey providerKey,
                 VivaApiOptions options = {});

    // VivaMerchantParty::handle() with an x-viva-correlationid header.
    SimResponse handle(const SimRequest& request) override;

private:
    void resetRecords() override;
    // stats(): the session book's counters (sessions_created, session_posts, results, event_ids,
    // ...), the webhook counters, and device_searches, session_polls, pending_answers,
    // unauthenticated, invalid.
    core::Json recordStats() const override;

    SimResponse route(const SimRequest& request) override;
    SimResponse control(const SimRequest& request, const std::string& action);
    void authenticate(const SimRequest& request);
    SimResponse devices(const SimRequest& request);
    SimResponse transaction(const SimRequest& request, viva::SessionKind kind);
    SimResponse session(const std::string& sessionId);
    SimResponse sessionsOfDay(const SimRequest& request);
    SimResponse abort(const SimRequest& request, const std::string& sessionId);
    // 0 when the aade* fields pass the terminal's check; otherwise 1076, 1077 or 1083 and `why`.
    int checkAade(const core::Json& body, const viva::SessionRequest& request, bool required,
                  std::string& why) const;

    signing::PublicKey providerKey_;
    VivaApiOptions options_;

    mutable std::mutex mutex_; // guards the two settings below
    bool requireAade_;
    bool emptyUnauthorized_;

    SimCounter deviceSearches_{counters_, "device_searches"}, polls_{counters_, "session_polls"},
        pendingAnswers_{counters_, "pending_answers"};
};

} // namespace fiscpos::sim
