#include "sim/gptom/gptom_tasks.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/names.hpp"

#include <Poco/String.h>

#include <algorithm>
#include <array>
#include <set>

namespace fiscpos::sim::gptom {

namespace {

using core::Json;

struct TestCard {
    const char* number;
    const char* type;
    const char* aid;
};
constexpr std::array<TestCard, 2> testCards{{
    {"************0119", "VISA", "A0000000031010"},
    {"************5454", "MASTERCARD", "A0000000041010"},
}};

// A task type's name in tasks_by_kind.
constexpr auto typeNames = core::nameTable<TaskType>({{TaskType::Sale, "sale"},
                                                      {TaskType::Storno, "storno"},
                                                      {TaskType::CloseBatch, "close_batch"}});

// A state's name in a task's view; in lower case, its key in tasks_by_state.
constexpr auto stateNames = core::nameTable<TaskState>({{TaskState::Created, "CREATED"},
                                                        {TaskState::InProgress, "IN_PROGRESS"},
                                                        {TaskState::Completed, "COMPLETED"},
                                                        {TaskState::Failed, "FAILED"},
                                                        {TaskState::Cancelled, "CANCELLED"}});

Json error(const std::string& code, const std::string& internal, const std::string& message) {
    return Json{{"code", code},
                {"internalErrorCode", textOrNull(internal)},
                {"internalErrorSubCode", nullptr},
                {"platform", "ANDROID"},
                {"message", message}};
}

} // namespace

CloudError CloudError::message(int status, const std::string& text) {
    return CloudError(status, Json{{"message", text}});
}

CloudError CloudError::field(int status, const std::string& field, const std::string& text) {
    return CloudError(status,
                      Json{{"message", text}, {"errors", Json{{field, Json::array({text})}}}});
}

CloudError CloudError::oauth(int status, const std::string& error, const std::string& description) {
    return CloudError(status, Json{{"error", error}, {"error_description", description}});
}

std::vector<Device> defaultDevices() {
    std::vector<Device> devices(2);
    devices[0].tid = "12345678";
    devices[0].mode = DeviceMode::Automatic;
    devices[1].tid = "12345679";
    devices[1].mode = DeviceMode::Assisted;
    return devices;
}

std::vector<Device> parseDevices(std::string_view text, const std::string& setting) {
    std::vector<Device> devices;
    std::set<std::string> tids;
    for (const std::string& entry : splitAt(text, ',')) {
        const std::size_t colon = entry.find(':');
        Device device;
        device.tid = entry.substr(0, colon);
        const std::string mode = colon == std::string::npos ? "automatic" : entry.substr(colon + 1);
        if (device.tid.empty() || device.tid.find_first_of("; ") != std::string::npos ||
            (mode != "automatic" && mode != "assisted")) {
            throw core::ConfigError(setting, "\"" + entry +
                                                 "\" is not TID[:automatic|assisted] (a TID "
                                                 "without ';' or spaces)");
        }
        device.mode = mode == "assisted" ? DeviceMode::Assisted : DeviceMode::Automatic;
        if (!tids.insert(device.tid).second) {
            throw core::ConfigError(setting, "TID " + device.tid + " is listed twice");
        }
        devices.push_back(std::move(device));
    }
    return devices;
}

Json TaskBook::Transaction::toJson() const {
    const auto* card = &testCards[0];
    for (const auto& candidate : testCards) {
        if (cardNumber == candidate.number) {
            card = &candidate;
        }
    }
    return Json{{"amsID", amsId},
                {"transactionID", transactionId},
                {"terminalID", tid},
                {"merchantID", merchantId},
                {"transactionType", "CARD"},
                {"amount", amount},
                {"totalAmount", amount},
                {"tipAmount", 0},
                {"currencyCode", currency},
                {"result", approved ? "APPROVED" : "DECLINED"},
                {"authorizationCode", textOrNull(authorizationCode)},
                {"referenceNumber", referenceNumber},
                {"sequenceNumber", zeroPadded(sequenceNumber, 6)},
                {"batchNumber", std::to_string(batchNumber)},
                {"receiptNumber", std::to_string(receiptNumber)},
                {"cardNumber", cardNumber},
                {"cardType", cardType},
                {"cardEntryMode", "CONTACTLESS"},
                {"emvAid", card->aid},
                {"emvAppLabel", card->type},
                {"pinOk", false},
                {"date", core::utcIso8601(at)}};
}

Json TaskBook::Batch::toJson() const {
    return Json{{"amsId", amsId},
                {"batchNumber", std::to_string(batchNumber)},
                {"saleAmount", saleAmount},
                {"saleCount", saleCount},
                {"voidAmount", voidAmount},
                {"voidCount", voidCount},
                {"totalAmount", saleAmount - voidAmount},
                {"totalCount", saleCount + voidCount},
                {"subBatches", Json::array()}};
}

TaskBook::TaskBook(std::vector<Device> devices, Timing timing, const core::Clock& clock)
    : SimRecordBook(timing, clock)
    , random_(20250510) {
    if (devices.empty()) {
        throw core::ConfigError("gptom.terminals", "at least one terminal is needed");
    }
    for (auto& device : devices) {
        const std::string tid = device.tid;
        if (tid.empty() || !devices_.emplace(tid, DeviceState{std::move(device), 1, {}}).second) {
            throw core::ConfigError("gptom.terminals", "every terminal needs a TID of its own");
        }
    }
    if (timing_.startAfter.count() < 0 || timing_.runFor.count() < 0 ||
        timing_.timeoutAfter.count() < 0) {
        throw core::ConfigError("gptom.timing", "delays must not be negative");
    }
}

bool TaskBook::hasDevice(const std::string& tid) const {
    std::lock_guard lock(mutex_);
    return devices_.count(tid) != 0;
}

Millis TaskBook::durationOf(const TaskRequest& request) const {
    if (request.type == TaskType::Sale && request.amount == amounts::timeout &&
        request.signatureFailure.empty()) {
        return timing_.timeoutAfter;
    }
    return timing_.runFor;
}

bool TaskBook::claimed(const std::string& amsId) const {
    return std::any_of(tasks_.begin(), tasks_.end(), [&amsId](const auto& entry) {
        const Task& task = entry.second;
        return task.request.type == TaskType::Storno && task.request.amsId == amsId &&
               (task.state == State::Created || task.state == State::InProgress ||
                task.state == State::Completed);
    });
}

Json TaskBook::create(TaskRequest request) {
    const auto [lock, now] = upToDate();
    DeviceState& device = devices_.at(request.tid);

    if (request.type == TaskType::Storno) {
        const auto it = transactions_.find(request.amsId);
        if (it == transactions_.end()) {
            throw CloudError::field(422, "amsID", "No transaction " + request.amsId + ".");
        }
        const Transaction& sale = it->second;
        if (sale.tid != request.tid) {
            throw CloudError::field(422, "amsID",
                                    "Transaction " + request.amsId + " was made on terminal " +
                                        sale.tid +
                                        "; a cancellation must be created for that terminal.");
        }
        if (sale.type != TaskType::Sale || !sale.approved) {
            throw CloudError::field(422, "amsID",
                                    "Transaction " + request.amsId + " is not an approved sale.");
        }
        if (sale.cancelled || claimed(request.amsId)) {
            throw CloudError::field(422, "amsID",
                                    "Transaction " + request.amsId + " is already cancelled.");
        }
        if (now - sale.at > cancellationWindow) {
            throw CloudError::field(422, "amsID",
                                    "Transaction " + request.amsId +
                                        " is older than 93 days and can no longer be cancelled.");
        }
    }

    Task task;
    task.id = core::newUuid();
    task.order = nextOrder_++;
    task.createdAt = task.updatedAt = now;
    task.request = std::move(request);
    if (device.device.mode == DeviceMode::Automatic) {
        core::TimePoint start = now + timing_.startAfter;
        if (device.busyUntil && *device.busyUntil > start) {
            start = *device.busyUntil;
        }
        task.startAt = start;
        task.finishAt = start + durationOf(task.request);
        device.busyUntil = task.finishAt;
    }
    ++created_;
    ++byKind_[std::string(typeNames.name(task.request.type))];
    if (!task.request.signatureFailure.empty()) {
        signatureFailures_.add(Json{{"taskId", task.id},
                                    {"tid", task.request.tid},
                                    {"reason", task.request.signatureFailure}});
    }
    const std::string id = task.id;
    const Task& stored = tasks_.emplace(id, std::move(task)).first->second;
    return render(stored, false);
}

TaskBook::Transaction& TaskBook::record(Task& task, bool approved, core::TimePoint at) {
    const DeviceState& device = devices_.at(task.request.tid);
    Transaction transaction;
    transaction.amsId = std::to_string(nextAmsId_++);
    transaction.transactionId = core::newUuid();
    transaction.taskId = task.id;
    transaction.tid = task.request.tid;
    transaction.merchantId = device.device.merchantId;
    transaction.type = task.request.type;
    transaction.amount = task.request.amount;
    transaction.currency = task.request.currency;
    transaction.approved = approved;
    transaction.referenceNumber =
        zeroPadded(static_cast<std::int64_t>(random_() % 1000000000000ULL), 12);
    if (approved) {
        transaction.authorizationCode =
            zeroPadded(static_cast<std::int64_t>(random_() % 1000000ULL), 6);
    }
    const auto& card = testCards[random_() % testCards.size()];
    transaction.cardNumber = card.number;
    transaction.cardType = card.type;
    transaction.sequenceNumber = nextSequence_;
    transaction.receiptNumber = nextSequence_++;
    transaction.batchNumber = device.batchNumber;
    transaction.at = at;
    task.transaction = transaction.amsId;
    ++results_[approved ? "approved" : "declined"];
    return transactions_.emplace(transaction.amsId, std::move(transaction)).first->second;
}

void TaskBook::finish(Task& task) {
    const core::TimePoint at = *task.finishAt;
    task.updatedAt = at;
    task.state = State::Completed;
    DeviceState& device = devices_.at(task.request.tid);
    switch (task.request.type) {
    case TaskType::Sale:
        if (!task.request.signatureFailure.empty()) {
            task.state = State::Failed;
            task.error = error("PROVIDER_SIGNATURE", "",
                               "The terminal refused the provider's signature: " +
                                   task.request.signatureFailure);
            ++results_["signature_refused"];
        } else if (task.request.amount == amounts::declined) {
            record(task, false, at);
        } else if (task.request.amount == amounts::timeout) {
            task.state = State::Failed;
            task.error = error("TIMEOUT", "1123", "No card was presented in time.");
            ++results_["timeout"];
        } else if (task.request.amount == amounts::exception) {
            task.state = State::Failed;
            task.error = error("EXCEPTION", "1124", "The payment application failed.");
            ++results_["exception"];
        } else if (task.request.amount == amounts::failedAfterCharge) {
            record(task, true, at);
            task.state = State::Failed;
            task.error =
                error("APP_ERROR", "1125", "The payment application failed after the payment.");
        } else {
            record(task, true, at);
        }
        return;
    case TaskType::Storno: {
        Transaction& sale = transactions_.at(task.request.amsId);
        sale.cancelled = true;
        task.request.amount = sale.amount;
        task.request.currency = sale.currency;
        Transaction& storno = record(task, true, at);
        storno.cancels = sale.amsId;
        storno.cardNumber = sale.cardNumber;
        storno.cardType = sale.cardType;
        return;
    }
    case TaskType::CloseBatch: {
        Batch batch;
        batch.amsId = std::to_string(nextAmsId_++);
        batch.batchNumber = device.batchNumber;
        for (const auto& [amsId, transaction] : transactions_) {
            if (transaction.tid != task.request.tid ||
                transaction.batchNumber != device.batchNumber || !transaction.approved) {
                continue;
            }
            if (transaction.type == TaskType::Storno) {
                ++batch.voidCount;
                batch.voidAmount += transaction.amount;
            } else {
                ++batch.saleCount;
                batch.saleAmount += transaction.amount;
            }
        }
        task.batch = batch;
        ++device.batchNumber;
        ++batchesClosed_;
        return;
    }
    }
}

void TaskBook::catchUp(core::TimePoint now) {
    std::vector<Task*> finishing;
    for (auto& [id, task] : tasks_) {
        if (task.state == State::Created && task.startAt && *task.startAt <= now) {
            task.state = State::InProgress;
            task.updatedAt = *task.startAt;
        }
        if ((task.state == State::Created || task.state == State::InProgress) && task.finishAt &&
            *task.finishAt <= now) {
            finishing.push_back(&task);
        }
    }
    // In the order the device finished them, so a batch close totals what came before it.
    std::sort(finishing.begin(), finishing.end(), [](const Task* a, const Task* b) {
        return *a->finishAt != *b->finishAt ? *a->finishAt < *b->finishAt : a->order < b->order;
    });
    for (Task* task : finishing) {
        finish(*task);
    }
}

Json TaskBook::render(const Task& task, bool embedTransaction) const {
    Json transaction = nullptr;
    if (embedTransaction && task.transaction) {
        transaction = transactions_.at(*task.transaction).toJson();
    }
    return Json{
        {"taskId", task.id},
        {"taskType", task.request.type == TaskType::CloseBatch ? "CLOSE_BATCH" : "TRANSACTION"},
        {"state", stateNames.name(task.state)},
        {"tid", task.request.tid},
        {"originReferenceNum", textOrNull(task.request.reference)},
        {"created", core::utcIso8601(task.createdAt)},
        {"updated", core::utcIso8601(task.updatedAt)},
        {"error", task.error},
        {"transaction", transaction}};
}

TaskBook::Task* TaskBook::visibleTask(const std::string& taskId, const std::string& tid) {
    const auto it = tasks_.find(taskId);
    if (it == tasks_.end() || it->second.request.tid != tid) {
        return nullptr;
    }
    return &it->second;
}

std::optional<Json> TaskBook::task(const std::string& taskId, const std::string& tid,
                                   bool embedTransaction) {
    const auto current = upToDate();
    const Task* task = visibleTask(taskId, tid);
    if (!task) {
        return std::nullopt;
    }
    return render(*task, embedTransaction);
}

std::vector<Json> TaskBook::tasks(const std::string& tid,
                                  const std::optional<std::string>& reference,
                                  bool embedTransaction) {
    const auto current = upToDate();
    std::vector<const Task*> found;
    for (const auto& [id, task] : tasks_) {
        if (task.request.tid == tid && (!reference || task.request.reference == *reference)) {
            found.push_back(&task);
        }
    }
    std::sort(found.begin(), found.end(),
              [](const Task* a, const Task* b) { return a->order < b->order; });
    std::vector<Json> views;
    for (const Task* task : found) {
        views.push_back(render(*task, embedTransaction));
    }
    return views;
}

std::optional<Json> TaskBook::transaction(const std::string& taskId, const std::string& tid) {
    const auto current = upToDate();
    const Task* task = visibleTask(taskId, tid);
    return task && task->transaction ? std::optional(transactions_.at(*task->transaction).toJson())
                                     : std::nullopt;
}

std::optional<Json> TaskBook::batch(const std::string& taskId, const std::string& tid) {
    const auto current = upToDate();
    const Task* task = visibleTask(taskId, tid);
    return task && task->batch ? std::optional(task->batch->toJson()) : std::nullopt;
}

Json TaskBook::tap(const std::string& taskId, const std::string& tid, bool cancel) {
    const auto [lock, now] = upToDate();
    Task* task = nullptr;
    if (!taskId.empty()) {
        const auto it = tasks_.find(taskId);
        task = it == tasks_.end() ? nullptr : &it->second;
    } else {
        for (auto& [id, candidate] : tasks_) {
            if (candidate.request.tid == tid && candidate.state == State::Created &&
                !candidate.startAt && (!task || candidate.order < task->order)) {
                task = &candidate;
            }
        }
    }
    if (!task) {
        throw CloudError::message(404, taskId.empty() ? "Terminal " + tid + " has no waiting task."
                                                      : "No task " + taskId + ".");
    }
    if (task->state != State::Created || task->startAt) {
        throw CloudError::message(409, "Task " + task->id +
                                           " is not waiting for the cashier (automatic mode, or "
                                           "already started or finished).");
    }
    if (cancel) {
        ++taps_;
        task->updatedAt = now;
        task->state = State::Cancelled;
        ++results_["cancelled_in_queue"];
        return render(*task, false);
    }
    const std::string& device = task->request.tid;
    const bool busy = std::any_of(tasks_.begin(), tasks_.end(), [&device](const auto& entry) {
        return entry.second.request.tid == device && entry.second.state == State::InProgress;
    });
    if (busy) {
        throw CloudError::message(409, "Terminal " + device + " is running another task.");
    }
    ++taps_;
    task->updatedAt = now;
    task->state = State::InProgress;
    task->startAt = now;
    task->finishAt = now + durationOf(task->request);
    return render(*task, false);
}

Json TaskBook::backdate(const std::string& amsId, int days) {
    std::lock_guard lock(mutex_);
    const auto it = transactions_.find(amsId);
    if (it == transactions_.end()) {
        throw CloudError::field(404, "amsID", "No transaction " + amsId + ".");
    }
    it->second.at -= std::chrono::hours(24) * days;
    return it->second.toJson();
}

void TaskBook::reset() {
    std::lock_guard lock(mutex_);
    tasks_.clear();
    transactions_.clear();
    for (auto& [tid, device] : devices_) {
        device.batchNumber = 1;
        device.busyUntil.reset();
    }
    byKind_.clear();
    results_.clear();
    created_ = taps_ = batchesClosed_ = 0;
    signatureFailures_.clear();
}

Json TaskBook::stats() {
    const auto current = upToDate();
    Json kinds = Json::object();
    for (const auto& [type, name] : typeNames.rows()) {
        const auto it = byKind_.find(std::string(name));
        kinds[std::string(name)] = it != byKind_.end() ? it->second : 0;
    }
    const auto stateKey = [](TaskState state) {
        return Poco::toLower(std::string(stateNames.name(state)));
    };
    Json states = Json::object();
    for (const auto& [state, name] : stateNames.rows()) {
        states[stateKey(state)] = 0;
    }
    for (const auto& [id, task] : tasks_) {
        auto& count = states[stateKey(task.state)];
        count = count.get<std::int64_t>() + 1;
    }
    Json stats{{"tasks_created", created_},
               {"tasks_by_kind", kinds},
               {"tasks_by_state", states},
               {"results", countsJson(results_)},
               {"transactions", transactions_.size()},
               {"batches_closed", batchesClosed_},
               {"taps", taps_}};
    signatureFailures_.addTo(stats);
    return stats;
}

} // namespace fiscpos::sim::gptom
