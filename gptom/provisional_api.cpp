// PROVISIONAL throughout: see provisional_api.hpp. Replace this file with GP's specification.
#include "gptom/provisional_api.hpp"

#include "core/body_quote.hpp"

#include "core/errors.hpp"

#include "core/url_encoding.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

namespace fiscpos::gptom::provisional {

namespace {

using core::Json;
using core::JsonFields;
using core::JsonOrigin;

// ---- the invented names, in one place ----------------------------------------------------------

constexpr std::string_view tasksRoot = "/v1/tasks";
constexpr std::string_view transactionTaskType = "TRANSACTION"; // [verified] in the path
constexpr std::string_view closeBatchTaskType = "CLOSE_BATCH";
constexpr std::string_view saleType = "SALE";
constexpr std::string_view stornoType = "STORNO";
constexpr std::string_view referenceField = "originReferenceNum";
constexpr std::string_view tidField = "tid";

struct StateName {
    std::string_view name;
    TaskState state;
    bool running;
};

constexpr std::array<StateName, 20> stateNames{{
    {"CREATED", TaskState::Pending, false},
    {"NEW", TaskState::Pending, false},
    {"QUEUED", TaskState::Pending, false},
    {"STARTED", TaskState::Pending, true},
    {"IN_PROGRESS", TaskState::Pending, true},
    {"COMPLETED", TaskState::Done, false},
    {"FINISHED", TaskState::Done, false},
    {"DONE", TaskState::Done, false},
    {"FAILED", TaskState::Failed, false},
    {"ERROR", TaskState::Failed, false},
    {"INIT_ERROR", TaskState::Failed, false},
    {"CANCELLED", TaskState::Cancelled, false},
    {"CANCELED", TaskState::Cancelled, false},
    // GP's app2app numeric states: 1 created, 2 started, 3 init error, 5 in progress,
    // 6 completed, 7 cancelled, 8 error.
    {"1", TaskState::Pending, false},
    {"2", TaskState::Pending, true},
    {"3", TaskState::Failed, false},
    {"5", TaskState::Pending, true},
    {"6", TaskState::Done, false},
    {"7", TaskState::Cancelled, false},
    {"8", TaskState::Failed, false},
}};

struct ResultName {
    std::string_view name;
    TxnOutcome outcome;
};

constexpr std::array<ResultName, 10> resultNames{{
    {"APPROVED", TxnOutcome::Approved},
    {"0", TxnOutcome::Approved},
    {"00", TxnOutcome::Approved},
    {"DECLINED", TxnOutcome::Declined},
    {"-4", TxnOutcome::Declined},
    {"CANCELLED", TxnOutcome::Cancelled},
    {"CANCELED", TxnOutcome::Cancelled},
    {"ERROR", TxnOutcome::Error},
    {"FAILED", TxnOutcome::Error},
    {"-1", TxnOutcome::Error},
}};

// ---- reading helpers ---------------------------------------------------------------------------

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// An enum value written as a name or a number, as text ("IN_PROGRESS", "6", "-4").
std::string enumText(const Json& value) {
    if (value.is_string()) {
        return upper(value.get<std::string>());
    }
    if (value.is_number_integer() || value.is_number_unsigned()) {
        return value.dump();
    }
    return {};
}

JsonFields fieldsOf(const Json& json, std::string_view context) {
    return JsonFields(json, std::string(context), JsonOrigin::Response);
}

TaskKind kindOf(const std::string& text) {
    const std::string name = upper(text);
    if (name == transactionTaskType) {
        return TaskKind::Transaction;
    }
    if (name == closeBatchTaskType || name == "CLOSEBATCH") {
        return TaskKind::CloseBatch;
    }
    return TaskKind::Unknown;
}

std::optional<StateName> stateEntry(const Json& value) {
    const std::string text = enumText(value);
    for (const auto& entry : stateNames) {
        if (entry.name == text) {
            return entry;
        }
    }
    return std::nullopt;
}

TaskError readError(const Json& json, const std::string& context) {
    TaskError error;
    if (json.is_string()) {
        error.message = json.get<std::string>();
        return error;
    }
    const JsonFields fields = fieldsOf(json, context);
    error.code = fields.firstText({"code"});
    error.internalErrorCode = fields.firstText({"internalErrorCode"});
    error.internalErrorSubCode = fields.firstText({"internalErrorSubCode"});
    error.platform = fields.firstText({"platform"});
    error.message = fields.firstText({"message", "description"});
    return error;
}

} // namespace

// ---- paths -------------------------------------------------------------------------------------

std::string createTransactionPath() {
    return std::string(tasksRoot) + "/" + std::string(transactionTaskType);
}

std::string createCloseBatchPath() {
    return std::string(tasksRoot) + "/" + std::string(closeBatchTaskType);
}

std::string taskPath(const std::string& taskId) {
    return std::string(tasksRoot) + "/" + core::percentEncoded(taskId);
}

std::string taskSearchPath(const std::string& reference) {
    return std::string(tasksRoot) + "?" + std::string(referenceField) + "=" +
           core::percentEncoded(reference);
}

std::string transactionPath(const std::string& taskId) {
    return taskPath(taskId) + "/transaction";
}

std::string batchPath(const std::string& taskId) {
    return taskPath(taskId) + "/batch";
}

std::string withTid(const std::string& target, const std::string& tid) {
    if (tid.empty()) {
        return target;
    }
    const char separator = target.find('?') == std::string::npos ? '?' : '&';
    return target + separator + std::string(tidField) + "=" + core::percentEncoded(tid);
}

// ---- our reference -----------------------------------------------------------------------------

std::string originReference(const std::string& reference) {
    const auto travels = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' ||
               c == '.' || c == '/';
    };
    if (!reference.empty() && reference.size() <= maxReferenceLength &&
        std::all_of(reference.begin(), reference.end(), travels)) {
        return reference;
    }
    std::string form;
    for (const char c : reference) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            form.push_back(c);
            if (form.size() == maxReferenceLength) {
                break;
            }
        }
    }
    return form;
}

// ---- requests ----------------------------------------------------------------------------------

Json saleBody(const SaleTask& task) {
    Json body{{"transactionType", saleType},
              {"amount", task.amount.cents()},
              {"currencyCode", task.currency},
              {referenceField, task.reference},
              {"printByPaymentApp", task.printReceipt}};
    if (!task.tid.empty()) {
        body[tidField] = task.tid;
    }
    if (task.signature) {
        body["aadeProviderId"] = task.signature->providerId;
        body["aadeProviderSignatureData"] = task.signature->input;
        body["aadeProviderSignature"] = task.signature->signatureBase64;
    }
    return body;
}

Json cancelBody(const CancelTask& task) {
    Json body{{"transactionType", stornoType},
              {"amsID", task.amsId},
              {referenceField, task.reference},
              {"printByPaymentApp", task.printReceipt}};
    if (!task.tid.empty()) {
        body[tidField] = task.tid;
    }
    return body;
}

Json closeBatchBody(const CloseBatchTask& task) {
    Json body{{referenceField, task.reference}};
    if (!task.tid.empty()) {
        body[tidField] = task.tid;
    }
    return body;
}

// ---- answers -----------------------------------------------------------------------------------

TaskState taskStateOf(const Json& value) {
    const auto entry = stateEntry(value);
    return entry ? entry->state : TaskState::Unknown;
}

bool runningState(const Json& value) {
    const auto entry = stateEntry(value);
    return entry && entry->running;
}

TxnOutcome txnOutcomeOf(const Json& value) {
    const std::string text = enumText(value);
    for (const auto& entry : resultNames) {
        if (entry.name == text) {
            return entry.outcome;
        }
    }
    return TxnOutcome::Unknown;
}

TxnDetail readTransaction(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    TxnDetail detail;
    detail.amsId = fields.firstText({"amsID", "amsId"});
    detail.transactionId = fields.firstText({"transactionID", "transactionId"});
    detail.terminalId = fields.firstText({"terminalID", "terminalId"});
    detail.merchantId = fields.firstText({"merchantID", "merchantId"});
    detail.transactionType = fields.firstText({"transactionType"});
    detail.amount = fields.optionalCents("amount");
    detail.totalAmount = fields.optionalCents("totalAmount");
    detail.tip = fields.optionalCents("tipAmount");
    detail.currency = fields.firstText({"currencyCode"});
    if (!fields.isNull("result")) {
        const Json& result = fields.require("result");
        detail.result = result.is_string() ? result.get<std::string>() : result.dump();
        detail.outcome = txnOutcomeOf(result);
    }
    detail.authorizationCode = fields.firstText({"authorizationCode"});
    detail.referenceNumber = fields.firstText({"referenceNumber"});
    detail.sequenceNumber = fields.firstText({"sequenceNumber"});
    detail.batchNumber = fields.firstText({"batchNumber"});
    detail.receiptNumber = fields.firstText({"receiptNumber"});
    detail.cardNumber = fields.firstText({"cardNumber"});
    detail.cardType = fields.firstText({"cardType"});
    detail.cardEntryMode = fields.firstText({"cardEntryMode"});
    detail.date = fields.firstText({"date"});
    detail.at = core::timeIfReadable(detail.date);
    detail.raw = json;
    return detail;
}

BatchResult readBatch(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    BatchResult batch;
    batch.amsId = fields.firstText({"amsId", "amsID"});
    batch.batchNumber = fields.firstText({"batchNumber"});
    batch.saleCount = fields.optionalInteger("saleCount").value_or(0);
    batch.saleAmount = fields.optionalCents("saleAmount").value_or(core::Money());
    batch.voidCount = fields.optionalInteger("voidCount").value_or(0);
    batch.voidAmount = fields.optionalCents("voidAmount").value_or(core::Money());
    batch.totalCount = fields.optionalInteger("totalCount").value_or(0);
    batch.totalAmount = fields.optionalCents("totalAmount").value_or(core::Money());
    batch.raw = json;
    return batch;
}

TaskView readTask(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    TaskView task;
    task.taskId = fields.firstText({"taskId", "id"});
    if (task.taskId.empty()) {
        fields.fail("taskId", "missing: the task has neither taskId nor id");
    }
    task.kindText = fields.firstText({"taskType"});
    task.kind = kindOf(task.kindText);
    const Json& state = fields.require("state");
    if (!state.is_string() && !state.is_number_integer()) {
        fields.fail("state", std::string("expected a name or a number, got ") + state.type_name());
    }
    task.stateText = state.is_string() ? state.get<std::string>() : state.dump();
    task.state = taskStateOf(state);
    task.running = runningState(state);
    task.tid = fields.firstText({"tid", "terminalID", "terminalId"});
    task.reference = fields.firstText({referenceField});
    task.created = core::timeIfReadable(fields.firstText({"created"}));
    task.updated = core::timeIfReadable(fields.firstText({"updated"}));
    if (!fields.isNull("error")) {
        task.error = readError(fields.require("error"), fields.fieldName("error"));
    }
    if (!fields.isNull("transaction")) {
        task.transaction =
            readTransaction(fields.require("transaction"), fields.fieldName("transaction"));
    }
    if (!fields.isNull("batch")) {
        task.batch = readBatch(fields.require("batch"), fields.fieldName("batch"));
    }
    task.raw = json;
    return task;
}

std::vector<Json> readTaskList(const Json& json, std::string_view context) {
    if (json.is_array()) {
        return {json.begin(), json.end()};
    }
    const JsonFields fields = fieldsOf(json, context);
    for (const auto key : {"content", "tasks", "items", "results"}) {
        if (!fields.isNull(key) && fields.require(key).is_array()) {
            const Json& items = fields.require(key);
            return {items.begin(), items.end()};
        }
    }
    fields.fail("content", "the task list is neither an array nor an object holding one");
}

std::string errorText(const std::string& body) {
    std::string text = body;
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_object()) {
        for (const auto key : {"message", "error_description", "error"}) {
            if (json.contains(key) && json[key].is_string()) {
                text = json[key].get<std::string>();
                break;
            }
        }
    }
    return core::quoteBody(text);
}

} // namespace fiscpos::gptom::provisional
