// What the simulated Viva merchant account is made of, shared by its three parties (accounts,
// Cloud Terminal API, legacy API): the card terminals, the timing and scenario amounts of a
// payment, and the card transactions every payment leaves (what the legacy transactions API
// lists and the webhooks carry).
//
// Scenario amounts (cents; they apply to a sale, a pre-authorisation, a refund, an unreferenced
// refund and a legacy order alike; a pre-authorisation's completion always approves):
//   999  (9.99)   declined by the card issuer: eventId 1006; a failed (StatusId "E") transaction
//                 and a 1798 webhook
//   1798 (17.98)  contactless PIN retry: a failed tap (1798 webhook) at the normal completion,
//                 the session still processing (202); the PIN is entered `pinRetryAfter` later and
//                 the payment succeeds (1796 webhook, session 200 success)
//   1796 (17.96)  failed, then a late success: the session ends success:false eventId 1010
//                 "Invalid card" with a 1798 webhook; `lateSuccessAfter` later the customer's retry
//                 is charged (1796 webhook) and the session turns into success:true
//   3333 (33.33)  cancelled on the terminal by the customer: eventId 1000, no transaction
//   6060 (60.60)  never reaches the terminal: 202 until `expireAfter` (60 s), then eventId 1102
//                 "Transaction expired"
//   5050 (50.50)  an abort comes too late: DELETE answers 200 but the card is charged at the normal
//                 completion (abortSuccess false)
//   8888 (88.88)  never finishes: 202 for ever, an abort is acknowledged and ignored, the terminal
//                 stays busy (until POST /viva-api/_control/finish or /_sim/reset)
// Any other amount is approved at the normal completion.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_text.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::sim::viva {

namespace amounts {
inline constexpr std::int64_t declined = 999;
inline constexpr std::int64_t pinRetry = 1798;
inline constexpr std::int64_t lateSuccess = 1796;
inline constexpr std::int64_t cancelled = 3333;
inline constexpr std::int64_t expires = 6060;
inline constexpr std::int64_t abortTooLate = 5050;
inline constexpr std::int64_t neverFinishes = 8888;
} // namespace amounts

// eventId values the simulated terminals answer (contract §12).
namespace events {
inline constexpr int ok = 0;
inline constexpr int canceledByUser = 1000;
inline constexpr int declinedByServer = 1006;
inline constexpr int invalidAmountForVoid = 1009;
inline constexpr int invalidCard = 1010;
inline constexpr int aborted = 1016;
inline constexpr int invalidAmountForCapture = 1017;
inline constexpr int signatureFailed = 1076;
inline constexpr int aadeMismatch = 1077;
inline constexpr int aadeMissing = 1083;
inline constexpr int requestInProgress = 1100;
inline constexpr int noParent = 1101;
inline constexpr int expired = 1102;
} // namespace events

// The message a session carries with an eventId.
std::string eventMessage(int eventId);

struct Terminal {
    std::string terminalId;        // the TID: what devices:search lists and the provider signs
    int statusId = 1;              // 1 Live
    std::string sourceCode;        // the 4-digit Source Code of its store
    std::string serial;            // its own legacy payment source (Orders flow, contract §19)
    std::string virtualTerminalId; // as devices:search lists it

    core::Json toJson() const; // the devices:search entry
};

// 16000010 and 16000011 of store source 1234, legacy sources 0820160010 and 0820160011.
std::vector<Terminal> defaultTerminals();
// "TID[:SOURCECODE[:SERIAL]],..." e.g. "16000010:1234:0820160010,16000011"; the source code
// defaults to 1234 and the serial to "08" + the TID. ConfigError naming `setting` on a malformed
// entry or a repeated TID or serial.
std::vector<Terminal> parseTerminals(std::string_view text, const std::string& setting);

// Simulated durations of a payment.
struct Timing {
    Millis reachAfter{1000};        // the terminal has the request: AADE check, busy refusal
    Millis completeAfter{4000};     // the card is read and the payment completes
    Millis pinRetryAfter{6000};     // 17.98: from the failed tap to the PIN entered
    Millis lateSuccessAfter{20000}; // 17.96: from the failed result to the late success
    Millis expireAfter{60000};      // 60.60: an unpaid session expires
    Millis abortAfter{2000};        // from an abort to the session ending aborted
    Millis pickupAfter{5000};       // legacy: from an order to the cashier pressing F1
};

// One step of a payment on simulated time: a card attempt (a transaction, approved or failed,
// and its webhook) or the result the session (or order) ends with.
struct Step {
    enum class Kind { Attempt, Finish };
    core::TimePoint at;
    Kind kind = Kind::Finish;
    bool success = false;
    int eventId = events::ok;
};

// The steps of a card-present payment of `cents` starting at `start` (the request reached the
// cloud; for an order, the cashier pressed F1), by the scenario amounts above.
std::deque<Step> scenarioSteps(std::int64_t cents, core::TimePoint start, const Timing& timing);

// What a payment charges, and the terminal and payment source it is made at: what each of its
// card attempts records.
struct Charge {
    core::Money amount, tip;
    std::optional<std::string> merchantTrns, customerTrns;
    std::string sourceCode;
    std::string terminalId;
};

// A card transaction on the merchant account: what the legacy transactions API lists and what
// the 1796/1797/1798 webhooks carry.
struct Transaction : Charge {
    std::string transactionId; // UUID
    std::int64_t orderCode = 0;
    bool approved = false;
    int transactionTypeId = 5;            // 5 card charge, 4 refund, 1 authorisation, 0 capture
    std::optional<std::string> sessionId; // Cloud Terminal API payments
    std::optional<std::string> parentId;  // a refund's or capture's original transaction
    int responseEventId = events::ok;
    std::string responseCode; // "00" approved
    // The card.
    std::string cardNumber, applicationLabel, bankId, aid, authorizationId, rrn, verification;
    int stan = 0;
    core::TimePoint at;

    // The card attempt `step` of the payment `orderCode`, a transaction of type `typeId` that
    // charges `charge`: a new transactionId, and the step's outcome, eventId and time.
    static Transaction attempt(const Step& step, std::int64_t orderCode, int typeId, Charge charge);

    std::string statusId() const { return approved ? "F" : "E"; }
    // The webhook EventData (contract §13.3): Amount in euros as a decimal number.
    core::Json eventData(const std::string& merchantId) const;
    // An entry of GET /api/transactions (legacy).
    core::Json legacyJson(const std::string& merchantId) const;
};

// The event a webhook carries: EventTypeId and EventData.
struct WebhookEvent {
    int eventTypeId = 0;
    core::Json eventData;
};
using WebhookSink = std::function<void(WebhookEvent)>;

// Every card transaction of the account. Thread-safe.
class Ledger {
public:
    Ledger();
    // Fills the card fields of `transaction` (read from one of the test cards), records it and
    // returns it.
    Transaction add(Transaction transaction);
    std::optional<Transaction> find(const std::string& transactionId) const;
    std::vector<Transaction> byOrderCode(std::int64_t orderCode) const;
    // Transactions of a day of Athens local time ("YYYY-MM-DD").
    std::vector<Transaction> byAthensDate(const std::string& date) const;
    std::size_t size() const;
    void reset();

    // A fresh 16-digit order code, never given before (also across resets).
    std::int64_t newOrderCode();
    // Random digits, for RRNs, authorisation codes and AADE transaction ids.
    std::string digits(std::size_t count);

private:
    mutable std::mutex mutex_;
    std::vector<Transaction> transactions_;
    std::mt19937_64 random_;
    std::int64_t nextOrder_ = 0;
    int nextStan_ = 1;
};

// The Athens date "YYYY-MM-DD" of a point in time, and the UTC one.
std::string athensDate(core::TimePoint t);
std::string utcDate(core::TimePoint t);
// "2024-06-29T16:45:40.123Z".
std::string utcMillis(core::TimePoint t);
// A terminal id as webhooks carry it: a number when it is all digits.
core::Json numericId(const std::string& id);

} // namespace fiscpos::sim::viva
