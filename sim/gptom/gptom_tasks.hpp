// The records of the simulated GP tom Cloud API: the devices running GP tom (by TID), the tasks
// the ERP creates for them (a sale, a cancellation, a batch close), the card transactions the
// tasks make, and the batches they close. Written from the contract's PROVISIONAL wire format
// (../shared/contracts/gptom-cloud.md §5), independently of fiscpos's client.
//
// Devices. In automatic mode a device runs its tasks one at a time, in the order they arrive:
// a task starts `startAfter` after it was created (or when the one before it ends) and finishes
// `runFor` later. In assisted mode a task waits in the device's queue until the cashier taps it
// (POST /gptom/_control/tap), so tasks finish in the order they are tapped; a tap may also
// remove a task from the queue (CANCELLED). Everything moves on simulated time and is brought up
// to date whenever the records are read; no thread runs behind them.
//
// Task states: CREATED -> IN_PROGRESS -> COMPLETED | FAILED, or CANCELLED from the queue.
// Sale amounts (minor units), GP's simulator amounts and one of fiscpos's own:
//   1111 (11.11)  COMPLETED, transaction APPROVED
//   1122 (11.22)  COMPLETED, transaction DECLINED
//   1123 (11.23)  stays IN_PROGRESS for `timeoutAfter` (past any client's deadline), then FAILED
//                 with error TIMEOUT and no transaction
//   1124 (11.24)  FAILED with error EXCEPTION and no transaction
//   1125 (11.25)  FAILED with error APP_ERROR after the card was charged: the transaction is
//                 APPROVED (fiscpos's scenario: a failed task is not proof of "not charged")
// Any other amount is APPROVED. A sale whose provider signature does not verify FAILS with error
// PROVIDER_SIGNATURE and no transaction. A cancellation (STORNO) is APPROVED and marks its sale
// cancelled; a batch close totals the device's open batch and opens the next.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
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

namespace fiscpos::sim::gptom {

// An answer of the simulated API with its status, thrown by the checks and turned into the HTTP
// answer by the party.
class CloudError : public SimAnswerError {
public:
    using SimAnswerError::SimAnswerError;

    // {"message": text}
    static CloudError message(int status, const std::string& text);
    // {"message": text, "errors": {field: [text]}}
    static CloudError field(int status, const std::string& field, const std::string& text);
    // OAuth2's {"error": code, "error_description": text}
    static CloudError oauth(int status, const std::string& error, const std::string& description);
};

namespace amounts {
inline constexpr std::int64_t approved = 1111;
inline constexpr std::int64_t declined = 1122;
inline constexpr std::int64_t timeout = 1123;
inline constexpr std::int64_t exception = 1124;
inline constexpr std::int64_t failedAfterCharge = 1125;
} // namespace amounts

// Cancellations are accepted up to this long after the sale.
inline constexpr auto cancellationWindow = std::chrono::hours(24 * 93);

enum class DeviceMode { Automatic, Assisted };

struct Device {
    std::string tid;
    DeviceMode mode = DeviceMode::Automatic;
    std::string merchantId = "1234567890";
};

// 12345678 (automatic) and 12345679 (assisted).
std::vector<Device> defaultDevices();
// "TID[:automatic|assisted],..."; ConfigError naming `setting` on a malformed entry or a repeated
// TID.
std::vector<Device> parseDevices(std::string_view text, const std::string& setting);

struct Timing {
    Millis startAfter{1000};     // automatic mode: from arrival to the start on the device
    Millis runFor{3000};         // from the start to the end
    Millis timeoutAfter{600000}; // the 11.23 scenario: how long it stays IN_PROGRESS
};

enum class TaskType { Sale, Storno, CloseBatch };
// What a task is doing: CREATED -> IN_PROGRESS -> COMPLETED | FAILED, or CANCELLED from the queue.
enum class TaskState { Created, InProgress, Completed, Failed, Cancelled };

// A create request after the party's checks of its fields.
struct TaskRequest {
    TaskType type = TaskType::Sale;
    std::string tid;
    std::string reference; // originReferenceNum; may be empty
    std::int64_t amount = 0;
    std::string currency = "EUR";
    bool print = false;
    std::string amsId;             // storno: the sale's
    bool signedByProvider = false; // the sale carried a provider signature
    std::string signatureFailure;  // why the device refuses it; empty when it verifies
};

// The tasks, transactions and batches. Thread-safe.
class TaskBook final : public SimRecordBook<Timing> {
public:
    // ConfigError naming "gptom.<setting>" on no devices, a repeated TID, or negative timings.
    TaskBook(std::vector<Device> devices, Timing timing, const core::Clock& clock);

    bool hasDevice(const std::string& tid) const;
    // Checks what depends on the records (a storno's sale: CloudError 422 naming amsID), queues
    // the task and returns its view.
    core::Json create(TaskRequest request);

    // Views as the API shows them to a caller acting for `tid`; nullopt for an unknown task or
    // another terminal's. `embedTransaction`: a finished task's view carries its transaction.
    std::optional<core::Json> task(const std::string& taskId, const std::string& tid,
                                   bool embedTransaction);
    // The caller's tasks, oldest first; only those under `reference` when it is given.
    std::vector<core::Json> tasks(const std::string& tid,
                                  const std::optional<std::string>& reference,
                                  bool embedTransaction);
    // A finished task's transaction, a finished batch close's totals; nullopt when there is none.
    std::optional<core::Json> transaction(const std::string& taskId, const std::string& tid);
    std::optional<core::Json> batch(const std::string& taskId, const std::string& tid);

    // Assisted mode: the cashier starts a waiting task (or removes it from the queue). By task
    // id, or the oldest waiting task of `tid` when the id is empty. CloudError 404 for no such
    // task, 409 when it is not waiting or the device is running another.
    core::Json tap(const std::string& taskId, const std::string& tid, bool cancel);
    // Moves a transaction's date `days` back, so a cancellation can meet the 93-day limit.
    core::Json backdate(const std::string& amsId, int days);

    void reset();
    // tasks_created, tasks_by_kind {sale, storno, close_batch}, tasks_by_state, results,
    // transactions, batches_closed, taps, signature_failures and the last reasons
    // (signature_failure_log).
    core::Json stats();

private:
    using State = TaskState;

    struct Transaction {
        std::string amsId;
        std::string transactionId;
        std::string taskId;
        std::string tid, merchantId;
        TaskType type = TaskType::Sale;
        std::int64_t amount = 0;
        std::string currency;
        bool approved = false;
        bool cancelled = false; // a sale a storno reversed
        std::string authorizationCode, referenceNumber, cardNumber, cardType;
        int sequenceNumber = 0, receiptNumber = 0, batchNumber = 0;
        std::optional<std::string> cancels; // storno: the sale's amsID
        core::TimePoint at;

        core::Json toJson() const;
    };

    struct Batch {
        std::string amsId;
        int batchNumber = 0;
        std::int64_t saleCount = 0, saleAmount = 0, voidCount = 0, voidAmount = 0;
        core::Json toJson() const;
    };

    struct Task {
        std::string id;
        std::int64_t order = 0; // arrival
        TaskRequest request;
        State state = State::Created;
        core::TimePoint createdAt, updatedAt;
        std::optional<core::TimePoint> startAt, finishAt;
        core::Json error;                       // null or {code, internalErrorCode, ...}
        std::optional<std::string> transaction; // its amsID
        std::optional<Batch> batch;
    };

    struct DeviceState {
        Device device;
        int batchNumber = 1;
        std::optional<core::TimePoint> busyUntil; // automatic mode: when the last queued ends
    };

    Millis durationOf(const TaskRequest& request) const;
    Transaction& record(Task& task, bool approved, core::TimePoint at);
    void catchUp(core::TimePoint now) override;
    void finish(Task& task);
    Task* visibleTask(const std::string& taskId, const std::string& tid);
    core::Json render(const Task& task, bool embedTransaction) const;
    // Whether a storno still claims the sale (waiting, running, or approved).
    bool claimed(const std::string& amsId) const;

    std::map<std::string, DeviceState> devices_;
    std::map<std::string, Task> tasks_;
    std::map<std::string, Transaction> transactions_; // by amsID
    std::int64_t nextOrder_ = 1;
    std::int64_t nextAmsId_ = 9876543210;
    int nextSequence_ = 1;
    std::mt19937_64 random_;
    std::map<std::string, std::int64_t> byKind_, results_;
    std::int64_t created_ = 0, taps_ = 0, batchesClosed_ = 0;
    SimFailureLog signatureFailures_{"signature"};
};

} // namespace fiscpos::sim::gptom
