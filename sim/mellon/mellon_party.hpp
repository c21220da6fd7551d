// The simulated Mellon WebECR network ("Common WebECR") under /mellon: the cloud back end an ERP
// drives the card terminals through. With the defaults the API root is
// {url}/mellon/api/v2.2 (v2.1 is served alongside with the same resources), so a fiscpos
// configuration sets the URL http://127.0.0.1:PORT/mellon, path prefix /api and version v2.2.
//
//   POST /mellon/api/token/                                 {username, password} -> {access,
//   refresh} POST /mellon/api/token/refresh/                         {refresh} -> {access} POST
//   /mellon/api/{v}/authorization/redeem/              {Type: "webecr", Code} -> {Id, Type} GET
//   /mellon/api/{v}/terminal/[?TerminalID&Merchant&Acquirer&limit&offset] GET
//   /mellon/api/{v}/terminal/{id}/ POST /mellon/api/{v}/terminal/{id}/txninit/             sale
//   (TxnType 0) or refund (1) POST /mellon/api/{v}/terminal/{id}/txnvoid/ {OriginalIdentifier,
//   ...Type 1|2} GET  /mellon/api/{v}/transactionintent/[?CustomerReference&TransactionId&TID
//                                           &Timestamp_min&Timestamp_max&limit&offset]
//   GET  /mellon/api/{v}/transactionintent/{id}/
//   GET  /mellon/api/{v}/transaction/[?TID&CustomerReference&Timestamp_min&Timestamp_max...]
//   GET  /mellon/api/{v}/transaction/{id}/
// Every path ends with '/'; without it the answer is 404. Lists are paginated with limit/offset
// as {count, next, previous, results}, `next` and `previous` being absolute URLs built from the
// request's Host header.
//
// Authentication: "Authorization: Bearer <access>" on every call but the two token calls (401
// {"detail": ...} when missing, unknown or expired), and "X-Api-Key: <key>" on every call but
// redeem (403 when missing; an unknown or revoked key answers `revokedKeyStatus`, 403 by default,
// even with a fresh token: the ERP must pair the terminal again). Access tokens are JWT-shaped
// (claims token_type, exp, iat, jti, user_id) with `exp` in simulated time.
//
// Control (no authentication), for tests and ERP developers:
//   POST /mellon/_control/expire-tokens  [{"refresh": true}] every token issued so far expires
//   POST /mellon/_control/revoke-key     [{"key": "..."}] the key (default: every key) is revoked;
//                                        a later redeem issues a new one
//   GET|POST /mellon/_control/settings   {"transaction_as_object", "intent_id_key",
//                                         "revoked_key_status"} how intents and refusals look
//
// txninit checks the body's fields (400 {"<Field>": ["..."]}, ProviderData's fields nested) and
// then, as a terminal does, rebuilds the Mellon-layout Input
// Uid;Mark;SignatureTimestamp;NetAmount;VatAmount;TotalAmount;Amount;<the terminal's TID> and
// verifies ProviderData.Signature (base64 DER) with the provider's public key. An intent whose
// signature does not verify is accepted and completes with Result 4 FAILED; why is in
// /_sim/stats (mellon.signature_failure_log). Outcomes by amount: see mellon_intents.hpp.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_intents.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_network_party.hpp"
#include "sim/server/sim_records.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace fiscpos::sim {

struct MellonPartyOptions {
    std::string prefix = "/mellon";
    std::string pathPrefix = "/api";                      // "" for the epay-style root
    std::vector<std::string> apiVersions{"v2.1", "v2.2"}; // "" serves the unversioned root
    std::string username = "sim-user";
    std::string password = "sim-password";
    // The key a redeem issues while it is not revoked (a 22-character base64url id).
    std::string apiKey = "c2ltLXdlYmVjci1rZXktMQ";
    // The one pair code redeem accepts; empty: any code of 6 to 10 digits.
    std::string pairCode;
    std::vector<mellon::Terminal> terminals = mellon::defaultTerminals();
    std::size_t pageSize = 20;        // intents and transactions per page (limit overrides)
    std::size_t terminalPageSize = 2; // small, so a client meets `next`
    mellon::Timing timing;
    std::chrono::milliseconds accessLifetime = std::chrono::hours(8);
    std::chrono::milliseconds refreshLifetime = std::chrono::hours(24 * 30);
    mellon::Presentation presentation;
    int revokedKeyStatus = 403; // 401 or 403
    int createdStatus = 200;    // txninit / txnvoid success status (200 or 201)
};

// stats(): the intent book's counters (intents_created, intents_by_reference, voids, refunds,
// signature_failures, ...) plus token_logins, token_refreshes, redeems, unauthenticated, forbidden,
// invalid, keys_revoked.
class MellonParty final : public SimNetworkParty<MellonPartyOptions, mellon::IntentBook> {
public:
    // ConfigError naming "mellon.<setting>" on an unusable option (no terminals, page size 0,
    // a status other than the ones allowed, an empty username or key, ...).
    MellonParty(signing::PublicKey providerKey, MellonPartyOptions options, const SimClock& clock);

private:
    // The settings and the valid keys.
    void resetSettings() override;

    SimResponse route(const SimRequest& request) override;
    SimResponse control(const SimRequest& request, const std::string& action);
    SimResponse api(const SimRequest& request, const std::vector<std::string>& path);

    SimResponse login(const SimRequest& request);
    SimResponse refresh(const SimRequest& request);
    SimResponse redeem(const SimRequest& request);
    SimResponse terminals(const SimRequest& request);
    SimResponse createIntent(const SimRequest& request, const mellon::Terminal& terminal,
                             bool isVoid);
    SimResponse listIntents(const SimRequest& request);
    SimResponse listTransactions(const SimRequest& request);
    SimResponse settings(const SimRequest& request);

    void authenticate(const SimRequest& request);
    void checkApiKey(const SimRequest& request);
    const mellon::Terminal& terminal(const std::string& id) const;
    std::string issueToken(SimTokenStore::Kind kind);
    std::string verifyProviderData(const core::Json& providerData, const core::Json& body,
                                   const mellon::Terminal& terminal) const;

    // What POST /_control/settings changes.
    struct Settings {
        mellon::Presentation presentation;
        int revokedKeyStatus = 403;
    };

    SimSetting<Settings> settings_;

    mutable std::mutex mutex_; // guards validKeys_
    std::set<std::string> validKeys_;

    SimCounter logins_{counters_, "token_logins"},
        loginFailures_{counters_, "token_login_failures"}, refreshes_{counters_, "token_refreshes"},
        refreshFailures_{counters_, "token_refresh_failures"}, redeems_{counters_, "redeems"},
        keysRevoked_{counters_, "keys_revoked"};
};

} // namespace fiscpos::sim
