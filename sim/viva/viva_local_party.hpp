// The simulated Viva Local Terminal API under /viva-local (contract viva-local-terminal.md): one
// terminal of the simulated merchant account (the first one, 16000010, unless told otherwise)
// answering on the shop's LAN, no authentication. Its sessions are sessions of the merchant's
// session book (viva_sessions.hpp), so they follow the scenario amounts and timing of the Cloud
// Terminal API, leave the same card transactions and send the same webhooks:
//
//   POST /viva-local/pos/v1/sale     {sessionId, amount, [tipAmount, preauth, maxInstalments,
//                                     currencyCode "978", merchantReference, customerTrns, aade*]}
//        -> 200 {"state": "PROCESSING"|"BUSY_ERROR", sessionId, sessionType "SALE"}; BUSY_ERROR
//           while another session of this party is not final (nothing is started)
//   POST /viva-local/pos/v1/refund   {sessionId, amount, transactionId (the sale's Viva
//                                     transactionId), [aade*, ...]} -> as a sale, sessionType
//                                     "CANCEL"; an unknown transactionId ends eventId 1101
//   POST /viva-local/pos/v1/preauth-completion {sessionId, amount, transactionId} -> as a sale
//   POST /viva-local/pos/v1/abort    {sessionId} -> 200 {"state": "PROCESSING"} (the session
//                                     ends eventId 1016 as the Cloud abort does), or
//                                     {"state": "SESSION_NOT_FOUND_ERROR"}
//   GET  /viva-local/pos/v1/sessions/{sessionId}
//        -> 200 {"state": "PROCESSING", sessionId, sessionType, "payloadData": null} until final;
//           then 200 {"state": "SUCCESS"|"FAILURE", ..., "payloadData": {"saleResponse" |
//           "cancelResponse": {isSuccess, eventId, message, transactionId, aadeTransactionId,
//           tid, retrievalReferenceNumber (a string), authorizationId, transactionDate, amount,
//           tipAmount, transactionTypeId, primaryAccountNumberMasked, applicationLabel,
//           isAbortRequested, ...}}}: SUCCESS when the card was read (isSuccess false: declined,
//           e.g. 9.99 eventId 1006), FAILURE when no card transaction happened (cancelled 33.33
//           eventId 1000, aborted 1016, expired 1102, the AADE check 1076/1077/1083);
//           404 {"state": "SESSION_NOT_FOUND_ERROR", sessionId} for a session it does not know
//   Bad fields answer 400 with a problem body (no state).
//
// Store-and-Forward amounts (this party only): 70.70 is approved offline, SUCCESS with isSuccess
// true and merchantApproved true, no transactionId (that comes online); 71.71 the same without
// aadeTransactionId and tid.
//
// The terminal's AADE check is the Cloud API's (viva_aade.hpp) against this terminal's TID.
//
// Control (no authentication):
//   POST /viva-local/_control/reboot  the terminal restarts: every session it has not finished
//                                     ends unpaid (eventId 1016) and it forgets all its sessions
//                                     (SESSION_NOT_FOUND_ERROR from then on); {"forgotten": n}
// POST /viva-api/_control/finish ends one of its sessions too (the same session book).
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/viva/viva_merchant_party.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace fiscpos::sim {

namespace viva::local_amounts {
inline constexpr std::int64_t offlineApproved = 7070;
inline constexpr std::int64_t offlineWithoutAade = 7171;
} // namespace viva::local_amounts

struct VivaLocalOptions {
    std::string prefix = "/viva-local";
    std::string tid; // the merchant's terminal it plays; empty: the first one
    // aadeProviderId values the terminal accepts; empty: any digits.
    std::set<std::string> providerIds;
};

class VivaLocalParty final : public VivaMerchantParty {
public:
    // ConfigError naming "viva.local_tid" when the merchant has no such terminal.
    VivaLocalParty(std::shared_ptr<viva::Merchant> merchant, signing::PublicKey providerKey,
                   VivaLocalOptions options = {});

private:
    void resetRecords() override;
    // stats(): sales, refunds, completions, busy_answers, session_polls, not_found_answers,
    // aborts, reboots, invalid, and session_posts {sessionId: n} (every POST naming it, busy
    // ones too).
    core::Json recordStats() const override;

    SimResponse route(const SimRequest& request) override;
    SimResponse start(const SimRequest& request, viva::SessionKind kind);
    SimResponse session(const std::string& sessionId);
    SimResponse abort(const SimRequest& request);
    SimResponse reboot();
    // Whether a session this terminal took is not final yet. Needs mutex_.
    bool busyLocked();

    signing::PublicKey providerKey_;
    VivaLocalOptions options_;
    viva::Terminal terminal_;

    mutable std::mutex mutex_;
    std::map<std::string, viva::SessionKind> known_; // the sessions it still knows
    std::map<std::string, std::int64_t> posts_;

    SimCounter sales_{counters_, "sales"}, refunds_{counters_, "refunds"},
        completions_{counters_, "completions"}, busy_{counters_, "busy_answers"},
        polls_{counters_, "session_polls"}, notFound_{counters_, "not_found_answers"},
        aborts_{counters_, "aborts"}, reboots_{counters_, "reboots"};
};

} // namespace fiscpos::sim
