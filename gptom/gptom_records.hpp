// What fiscpos asks GP tom's Cloud API for, and what it reads back, as fiscpos's own types. They
// carry no wire names: gptom/provisional_api.hpp turns them into GP's JSON and back, so the day
// GP publishes its specification only that file changes.
//
// Two state machines, never mixed up: the task (queued on the device, done, failed, cancelled)
// and the payment it carried (approved, declined, ...). A task that is done may carry a declined
// payment; a task that failed may still have charged the card.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::gptom {

enum class TaskState {
    Pending,   // created, queued on the device or running there
    Done,      // the device finished it: read the transaction (or the batch close)
    Failed,    // the device gave up: look the transaction up before "not charged" is said
    Cancelled, // removed from the device's queue
    Unknown,   // a state fiscpos does not know: keep asking, never a result
};

enum class TxnOutcome {
    Approved,
    Declined,
    Cancelled,
    Error,   // the transaction failed
    Unknown, // a result fiscpos does not know: in doubt
};

enum class TaskKind { Transaction, CloseBatch, Unknown };

std::string_view taskStateName(TaskState state);     // "pending", "done", ...
std::string_view txnOutcomeName(TxnOutcome outcome); // "approved", "declined", ...
std::string_view taskKindName(TaskKind kind);        // "transaction", "close_batch", ...

// The error a task reports, as GP's apps describe one.
struct TaskError {
    std::string code;
    std::string internalErrorCode;
    std::string internalErrorSubCode;
    std::string platform;
    std::string message;

    // "code 1124 (internal 12/3): text", for messages.
    std::string describe() const;
};

// The card transaction a task made.
struct TxnDetail {
    std::string amsId;         // GP tom's internal transaction id: what a cancellation names
    std::string transactionId; // GP's transaction id
    std::string terminalId, merchantId;
    std::string transactionType;
    std::optional<core::Money> amount, totalAmount, tip;
    std::string currency;
    std::string result; // as GP wrote it
    TxnOutcome outcome = TxnOutcome::Unknown;
    std::string authorizationCode, referenceNumber, sequenceNumber, batchNumber, receiptNumber;
    std::string cardNumber, cardType, cardEntryMode;
    std::string date; // as GP wrote it
    std::optional<core::TimePoint> at;
    core::Json raw; // the object as received
};

// What a batch close reports: the closed batch's totals.
struct BatchResult {
    std::string amsId;
    std::string batchNumber;
    std::int64_t saleCount = 0;
    core::Money saleAmount;
    std::int64_t voidCount = 0; // cancellations
    core::Money voidAmount;
    std::int64_t totalCount = 0;
    core::Money totalAmount;
    core::Json raw;
};

// A task as GP reports it.
struct TaskView {
    std::string taskId;
    TaskKind kind = TaskKind::Unknown;
    std::string kindText; // as GP wrote it
    TaskState state = TaskState::Unknown;
    bool running = false;  // Pending and already started on the device
    std::string stateText; // as GP wrote it
    std::string tid;
    std::string reference; // our reference, echoed
    std::optional<core::TimePoint> created, updated;
    std::optional<TaskError> error;
    std::optional<TxnDetail> transaction; // when the task view carries it
    std::optional<BatchResult> batch;     // likewise, for a batch close
    core::Json raw;
};

// The provider's signature as it travels with a sale.
struct TaskSignature {
    std::string input;           // the provider's Input, verbatim
    std::string signatureBase64; // DER, base64
    std::string providerId;
};

// A sale task.
struct SaleTask {
    core::Money amount;
    std::string currency = "EUR";
    std::string reference; // the wire form of ours, see provisional::originReference
    bool printReceipt = false;
    std::string tid; // a master account's target terminal; empty for a per-terminal account
    std::optional<TaskSignature> signature;
};

// A cancellation (storno) of an earlier sale of the same terminal.
struct CancelTask {
    std::string amsId;
    std::string reference;
    bool printReceipt = false;
    std::string tid; // master account only
};

// A batch close.
struct CloseBatchTask {
    std::string reference;
    std::string tid; // master account only
};

} // namespace fiscpos::gptom
