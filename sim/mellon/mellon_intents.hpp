// The records of the simulated Mellon WebECR back end: its terminals, the transaction intents the
// ERP creates, and the card transactions the terminals make. An intent moves on simulated time
// (PENDING 1 -> SENT 2 -> COMPLETED 3) by a schedule fixed when it is created; the records are
// brought up to date whenever they are read, so no thread runs behind them.
//
// Scenario amounts (Amount in cents, sales and refunds; voids always approve):
//   999  (9.99)   DECLINED 2 at the normal completion; a transaction with Approved false
//   2222 (22.22)  stays SENT until `lateApproval` (150 s), then APPROVED 1
//   1313 (13.13)  communication lost: stays SENT and becomes Result 5 UNKNOWN at `deviceTimeout`
//                 (180 s). The card was charged at the normal completion, so /transaction/ has an
//                 approved record with the intent's CustomerReference; the intent never links it.
//   1314 (13.14)  UNKNOWN 5 at the normal completion; the card was charged, and the approved
//                 record under the intent's CustomerReference shows in /transaction/
//                 `unknownRecordLag` (3 s) later
//   1315 (13.15)  UNKNOWN 5 at the normal completion; nothing charged, no record
//   3333 (33.33)  CANCELLED 3 by the operator on the terminal, at the normal completion
//   6666 (66.66)  BUSY 6, answered as soon as the intent reaches the terminal (no SENT phase)
//   7777 (77.77)  MAX_TRANSACTIONS 7, likewise at once
// A preloaded sale (PreloadTransaction, PreloadExpiration minutes) stays SENT until the customer
// pays it (customerPays: APPROVED 1 then, or DECLINED 2 for 9.99) or it lapses, which completes it
// FAILED 4 (PROVISIONAL: the result a lapsed preload gets is not published). It does not count as
// a payment in progress on its terminal.
// Any other amount is APPROVED 1 at the normal completion, with a 21-digit TransactionId and a
// transaction record. A ProviderData the terminal cannot verify gives FAILED 4 at the normal
// completion, whatever the amount. A pre-authorisation (TxnType 2) and its completion (3, with
// InitialTransaction) are accepted and counted apart from sales (stats preauths, completions),
// so a test can tell which operation was sent.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_records.hpp"
#include "sim/server/sim_text.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::sim::mellon {

// An answer in the Django REST framework error shape the back end uses, thrown by the checks and
// turned into the HTTP answer by the party.
class ApiError : public SimAnswerError {
public:
    using SimAnswerError::SimAnswerError;

    // {"detail": text}
    static ApiError detail(int status, const std::string& text);
    // 400 {"<field>": [text]}
    static ApiError field(const std::string& field, const std::string& text);
    // 400 {"<object>": {"<field>": [text]}}, a nested object's field
    static ApiError nested(const std::string& object, const std::string& field,
                           const std::string& text);
};

// Magic amounts, in cents (see the top of this file).
namespace amounts {
inline constexpr std::int64_t declined = 999;
inline constexpr std::int64_t lateApproval = 2222;
inline constexpr std::int64_t communicationLost = 1313;
inline constexpr std::int64_t unknownRecordLate = 1314;
inline constexpr std::int64_t unknownNotCharged = 1315;
inline constexpr std::int64_t cancelled = 3333;
inline constexpr std::int64_t busy = 6666;
inline constexpr std::int64_t maxTransactions = 7777;
} // namespace amounts

struct Terminal {
    std::int64_t id = 0; // the id in paths (terminal/{id}/txninit/)
    std::string tid;     // TerminalID: what the provider signs
    std::string friendlyName;
    int terminalType = 100;
    std::string merchant = "11719"; // the MID
    int acquirer = 11;
    bool locked = false;
    int batchNumber = 1;

    core::Json toJson() const;
};

// 358046/"99000031", 358047/"99000032" and 358048/"64999964".
std::vector<Terminal> defaultTerminals();
// "ID:TID[:NAME],..." e.g. "358046:99000031:Counter 1,358047:99000032"; ConfigError naming
// `setting` on a malformed entry or a repeated id or TID.
std::vector<Terminal> parseTerminals(std::string_view text, const std::string& setting);

struct Timing {
    Millis sentAfter{1000};        // PENDING -> SENT
    Millis completeAfter{4000};    // SENT -> COMPLETED, from creation
    Millis lateApproval{150000};   // the 22.22 scenario
    Millis deviceTimeout{180000};  // the 13.13 scenario: when the back end gives up (Result 5)
    Millis unknownRecordLag{3000}; // the 13.14 scenario: the charge's record after UNKNOWN
};

enum class IntentKind { Sale, Refund, Void };
enum class Status { Pending = 1, Sent = 2, Completed = 3 };
enum class Result {
    Approved = 1,
    Declined = 2,
    Cancelled = 3,
    Failed = 4,
    Unknown = 5,
    Busy = 6,
    MaxTransactions = 7
};

// What a card payment charges, as an intent asks for it and its transaction records it.
struct CardPayment {
    int txnType = 0; // 0 sale, 1 refund, 2 pre-auth, 3 completion; a void copies its original's
    core::Money amount, tip, cashback;
    int currencyCode = 978;
    int instalments = 0;
    int paymentType = 0; // 0 card, 1 IRIS
};

// A txninit or txnvoid body after the party's checks of its fields.
struct IntentRequest : CardPayment {
    IntentKind kind = IntentKind::Sale;
    Terminal terminal;
    std::optional<std::string> customerReference, customerEmail, customerPhone;
    // Refund: the original as the ERP named it, a transaction `Id` (digits) or its 21-digit
    // TransactionId.
    std::optional<std::string> initialTransaction;
    // Void: OriginalIdentifier and its type (1 intent Id, 2 TransactionId).
    std::string originalIdentifier;
    int originalIdentifierType = 0;
    // Why the terminal refuses the ProviderData; empty when it verifies.
    std::string signatureFailure;
    // A preloaded sale: how long the terminal holds it for the customer.
    std::optional<int> preloadMinutes;
};

// How intents are written out; the back ends disagree, so tolerant clients are tested with both.
struct Presentation {
    bool transactionAsObject = false; // "Transaction": {...} instead of its int id
    std::string idKey = "Id";         // or "id"
};

struct IntentFilter {
    std::optional<std::string> customerReference, transactionId, tid;
    std::optional<core::TimePoint> from, to; // Timestamp_min / Timestamp_max, inclusive
};

struct TransactionFilter {
    std::optional<std::string> tid, customerReference;
    std::optional<core::TimePoint> from, to;
};

// The intents and transactions. Thread-safe.
class IntentBook final : public SimRecordBook<Timing> {
public:
    IntentBook(Timing timing, const core::Clock& clock);

    // Checks what depends on the records (the refund's original, the void's target: ApiError 400
    // naming the field), schedules the intent and returns its id.
    std::int64_t create(IntentRequest request);
    // When the intent reaches COMPLETED; nullopt for an unknown id.
    std::optional<core::TimePoint> completesAt(std::int64_t id) const;
    // The customer pays the preloaded sale under `customerReference` at the terminal now: it
    // completes at once; its intent. ApiError 404 naming CustomerReference when no preloaded sale
    // under it is still open.
    core::Json customerPays(const std::string& customerReference, const Presentation& presentation);

    std::optional<core::Json> intent(std::int64_t id, const Presentation& presentation);
    std::vector<core::Json> intents(const IntentFilter& filter, const Presentation& presentation);
    std::optional<core::Json> transaction(std::int64_t id);
    std::vector<core::Json> transactions(const TransactionFilter& filter);

    void reset();
    // intents_created, sales, refunds, voids, intents_by_reference, results, transactions,
    // signature_failures and the last reasons (signature_failure_log).
    core::Json stats();

private:
    struct Transaction : CardPayment {
        std::int64_t id = 0;
        std::int64_t intentId = 0;
        std::int64_t terminalId = 0;
        std::string transactionId; // 21 digits; empty when declined
        bool approved = false;
        bool voided = false;
        std::optional<core::TimePoint> voidedAt;
        int stan = 0, batchNumber = 1;
        std::string tid, mid, acquirer, rrn, authCode, cardPan, cardHash, cardType, cryptogram,
            hostResponseCode;
        std::optional<std::string> customerReference, originalRrn, originalAuthCode;
        core::TimePoint at;

        core::Json toJson() const;   // the /transaction/ record
        core::Json embedded() const; // the object form of an intent's "Transaction"
    };

    struct Intent {
        std::int64_t id = 0;
        IntentRequest request;
        core::TimePoint createdAt, sentAt, completeAt;
        std::optional<core::TimePoint> chargeAt; // when the card is charged, if it is
        Result outcome = Result::Approved;       // what it completes with
        bool charged = false;
        Status status = Status::Pending;
        std::optional<Result> result;
        std::optional<std::int64_t> transaction; // its own (sale, refund) or the voided one
        std::optional<std::int64_t> original;    // refund: the initial transaction; void: target
    };

    // Whether an intent still holds a claim on `original` (in progress, or completed approved).
    static bool claims(const Intent& intent, IntentKind kind, std::int64_t original);
    std::int64_t resolveInitial(const IntentRequest& request);
    std::int64_t resolveVoidTarget(IntentRequest& request);

    void catchUp(core::TimePoint now) override;
    void complete(Intent& intent);
    std::int64_t charge(Intent& intent, bool approved, core::TimePoint at);
    Transaction* findTransaction(std::int64_t id);
    Transaction* findTransaction(const std::string& reference);
    core::Json render(const Intent& intent, const Presentation& presentation);

    std::map<std::int64_t, Intent> intents_;
    std::map<std::int64_t, Transaction> transactions_;
    std::int64_t nextIntentId_ = 1200001;
    std::int64_t nextTransactionId_ = 8091001;
    int nextStan_ = 1;
    std::mt19937_64 random_;
    std::map<std::string, std::int64_t> byReference_;
    std::map<int, std::int64_t> results_;
    std::int64_t created_ = 0, sales_ = 0, refunds_ = 0, voids_ = 0;
    std::int64_t preauths_ = 0, completions_ = 0, preloads_ = 0;
    std::int64_t overlapping_ = 0; // intents created while another of their terminal was open
    SimFailureLog signatureFailures_{"signature"};
};

} // namespace fiscpos::sim::mellon
