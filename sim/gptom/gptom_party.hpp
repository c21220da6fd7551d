// The simulated GP tom Cloud API under /gptom, written from the contract
// (../shared/contracts/gptom-cloud.md): the verified token call and task creation, and the
// PROVISIONAL rest of the wire format (§5) that GP has not published. A fiscpos configuration
// sets url = http://127.0.0.1:PORT/gptom.
//
//   POST /gptom/cloud/oauth/token   form grant_type=password&username&password[&tid]    [verified]
//                                   or grant_type=refresh_token&refresh_token
//   POST /gptom/api/oauth/token     form grant_type=refresh_token&refresh_token [verified, 2nd
//   place] POST /gptom/v1/tasks/TRANSACTION  {transactionType SALE|STORNO, amount, currencyCode,
//                                      originReferenceNum, printByPaymentApp, amsID, tid,
//                                      aadeProviderId, aadeProviderSignatureData,
//                                      aadeProviderSignature} -> 201 task view
//   POST /gptom/v1/tasks/CLOSE_BATCH  {originReferenceNum, tid} -> 201 task view
//   GET  /gptom/v1/tasks[?originReferenceNum=REF]   the caller's tasks (a JSON array)
//   GET  /gptom/v1/tasks/{taskId}                   task view {taskId, taskType, state, tid,
//                                                   originReferenceNum, created, updated, error,
//                                                   transaction}
//   GET  /gptom/v1/tasks/{taskId}/transaction       the transaction (404 when there is none)
//   GET  /gptom/v1/tasks/{taskId}/batch             a batch close's totals (404 until closed)
//
// Authentication: token calls carry "Authorization: Basic <client credential>" (401
// invalid_client otherwise). A per-terminal login names its terminal (`tid`; 400 without it),
// the token is bound to it, and a call naming another TID gets 403. The master account logs in
// without `tid` (the answer's tid is null) and names the terminal on every call: `tid` in a
// create's body, ?tid= on every GET (400 without it). Every other call carries "Bearer
// <access_token>": 401 {"error": "invalid_token"} when it is missing, unknown or expired.
// Access tokens live `accessLifetime` (per terminal) or `masterAccessLifetime`, in simulated
// time; refresh tokens rotate on use.
//
// A sale carrying the aade* fields has its signature checked as a terminal would: the signature
// (base64 DER) must verify over aadeProviderSignatureData with the provider's public key, and
// that Input, read in AADE's DEFAULT layout (payable first), must name the task's TID and
// amount. A sale that fails the check is accepted and its task FAILS (error
// PROVIDER_SIGNATURE); why is in /_sim/stats (gptom.signature_failure_log). Outcomes by amount
// and the devices' modes: see gptom_tasks.hpp.
//
// Control (no authentication), for tests and ERP developers:
//   POST /gptom/_control/tap             {"taskId"} or {"tid"} (its oldest waiting task)
//                                        [, "cancel": true]: the cashier starts the task on an
//                                        assisted device, or removes it from the queue
//   POST /gptom/_control/expire-tokens   [{"refresh": true}] every token issued so far expires
//   POST /gptom/_control/backdate        {"amsID", "days"} moves a transaction's date back
//   GET|POST /gptom/_control/settings    {"embed_transaction": bool} whether a finished task's
//                                        view carries its transaction
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/gptom/gptom_tasks.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_network_party.hpp"
#include "sim/server/sim_records.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace fiscpos::sim {

struct GptomPartyOptions {
    std::string prefix = "/gptom";
    // What the token calls must carry after "Basic " (base64 of "gptom-sim:sim-secret").
    std::string clientCredential = "Z3B0b20tc2ltOnNpbS1zZWNyZXQ=";
    std::string username = "sim-user"; // the per-terminal account: any of the devices
    std::string password = "sim-password";
    std::string masterUsername = "sim-master"; // the company's master API account
    std::string masterPassword = "sim-master-password";
    std::vector<gptom::Device> devices = gptom::defaultDevices();
    gptom::Timing timing;
    std::chrono::milliseconds accessLifetime = std::chrono::seconds(3600);
    std::chrono::milliseconds masterAccessLifetime = std::chrono::seconds(86399);
    std::chrono::milliseconds refreshLifetime = std::chrono::hours(24 * 90);
    // Where a refresh is accepted: "/cloud/oauth/token" and/or "/api/oauth/token".
    std::vector<std::string> refreshPaths{"/cloud/oauth/token", "/api/oauth/token"};
    bool embedTransaction = true; // a finished task's view carries its transaction
};

// stats(): the task book's counters (tasks_created, tasks_by_kind, ...) plus token_logins,
// master_logins, login_failures, token_refreshes, token_refresh_failures, unauthenticated,
// forbidden, invalid.
class GptomParty final : public SimNetworkParty<GptomPartyOptions, gptom::TaskBook> {
public:
    // ConfigError naming "gptom.<setting>" on an unusable option.
    GptomParty(signing::PublicKey providerKey, GptomPartyOptions options, const SimClock& clock);

private:
    // The transaction embedding setting.
    void resetSettings() override;

    // Who is calling: the terminal a per-terminal token is bound to, or the master account.
    struct Caller {
        std::string tid;
        bool master = false;
    };

    SimResponse route(const SimRequest& request) override;
    SimResponse control(const SimRequest& request, const std::string& action);
    SimResponse tokenCall(const SimRequest& request, const std::string& path);
    SimResponse passwordGrant(const SimForm& form);
    SimResponse refreshGrant(const SimForm& form, const std::string& path);
    // Access and refresh tokens for `tid` (empty: the master account).
    SimResponse issue(const std::string& tid);
    SimResponse createTransaction(const SimRequest& request, const Caller& caller);
    SimResponse createCloseBatch(const SimRequest& request, const Caller& caller);

    Caller authenticate(const SimRequest& request);
    // The terminal a call acts for; `named` is the TID the call names (body or query).
    std::string terminalFor(const Caller& caller, const std::string& named) const;
    std::string verifySignature(const std::string& input, const std::string& signature,
                                const std::string& tid, std::int64_t amount) const;

    SimSetting<bool> embedTransaction_;

    SimCounter logins_{counters_, "token_logins"}, masterLogins_{counters_, "master_logins"},
        loginFailures_{counters_, "login_failures"}, refreshes_{counters_, "token_refreshes"},
        refreshFailures_{counters_, "token_refresh_failures"};
};

} // namespace fiscpos::sim
