#include "mellon/webecr_records.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"

#include <limits>

namespace fiscpos::mellon {

namespace {

using core::Json;
using core::JsonFields;
using core::JsonOrigin;

JsonFields fieldsOf(const Json& json, std::string_view context) {
    return JsonFields(json, std::string(context), JsonOrigin::Response);
}

// An id the back ends write as `first` or `second`, a number or a string; required.
std::string requiredId(const JsonFields& fields, std::string_view first, std::string_view second,
                       const std::string& what) {
    std::string id = fields.firstText({first, second});
    if (id.empty()) {
        fields.fail(first, "missing: the " + what + " has neither " + std::string(first) + " nor " +
                               std::string(second));
    }
    return id;
}

int smallInteger(const JsonFields& fields, std::string_view key, std::int64_t value) {
    if (value < 0 || value > std::numeric_limits<int>::max()) {
        fields.fail(key, "value " + std::to_string(value) + " is out of range");
    }
    return static_cast<int>(value);
}

} // namespace

std::string_view statusName(int status) {
    static constexpr auto names =
        core::nameTable<int>({{1, "PENDING"}, {2, "SENT"}, {3, "COMPLETED"}});
    return names.name(status, "STATUS ?");
}

std::string_view resultName(int result) {
    static constexpr auto names = core::nameTable<int>({{1, "APPROVED"},
                                                        {2, "DECLINED"},
                                                        {3, "CANCELLED"},
                                                        {4, "FAILED"},
                                                        {5, "UNKNOWN"},
                                                        {6, "BUSY"},
                                                        {7, "MAX_TRANSACTIONS"}});
    return names.name(result, "RESULT ?");
}

Transaction Transaction::fromJson(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    Transaction t;
    t.id = fields.firstText({"Id", "id", "TxnId"});
    t.externalId = fields.firstText({"ExternalId"});
    t.approved = fields.optionalBool("Approved");
    t.voided = fields.optionalBool("Voided").value_or(false);
    t.txnType = fields.optionalInteger("TxnType");
    t.amount = fields.optionalCents("Amount");
    t.tip = fields.optionalCents("TipAmount");
    t.tid = fields.firstText({"TID"});
    t.mid = fields.firstText({"MID"});
    t.rrn = fields.firstText({"RRN"});
    t.authCode = fields.firstText({"AuthCode"});
    t.cardPan = fields.firstText({"CardPAN"});
    t.cardType = fields.firstText({"CardType"});
    t.stan = fields.firstText({"STAN"});
    t.batchNumber = fields.firstText({"BatchNumber"});
    t.customerReference = fields.firstText({"CustomerReference"});
    t.timestamp = fields.firstText({"Timestamp"});
    t.at = core::timeIfReadable(t.timestamp);
    t.raw = json;
    return t;
}

Intent Intent::fromJson(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    Intent intent;
    intent.id = requiredId(fields, "Id", "id", "intent");
    intent.status = smallInteger(fields, "Status", fields.requireInteger("Status"));
    if (const auto result = fields.optionalInteger("Result")) {
        intent.result = smallInteger(fields, "Result", *result);
    }
    intent.txnType = fields.optionalInteger("TxnType");
    intent.amount = fields.optionalCents("Amount");
    intent.tip = fields.optionalCents("TipAmount");
    intent.customerReference = fields.firstText({"CustomerReference"});
    intent.terminal = fields.firstText({"Terminal"});
    if (!fields.isNull("Transaction")) {
        const Json& transaction = fields.require("Transaction");
        if (transaction.is_object()) {
            intent.transaction =
                Transaction::fromJson(transaction, fields.fieldName("Transaction"));
            intent.transactionRef = intent.transaction->id;
        } else {
            intent.transactionRef = fields.firstText({"Transaction"});
        }
    }
    intent.transactionId = fields.firstText({"TransactionId"});
    if (!fields.isNull("InitialTransaction")) {
        const Json& initial = fields.require("InitialTransaction");
        intent.initialTransaction =
            initial.is_object()
                ? fieldsOf(initial, fields.fieldName("InitialTransaction")).firstText({"Id", "id"})
                : fields.firstText({"InitialTransaction"});
    }
    intent.createdAt =
        core::timeIfReadable(fields.firstText({"Timestamp", "Created", "CreatedAt"}));
    intent.raw = json;
    return intent;
}

TerminalInfo TerminalInfo::fromJson(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    TerminalInfo info;
    info.id = requiredId(fields, "id", "Id", "terminal");
    info.tid = fields.firstText({"TerminalID"});
    info.friendlyName = fields.firstText({"FriendlyName"});
    info.terminalType = fields.optionalInteger("TerminalType");
    info.merchant = fields.firstText({"Merchant"});
    info.acquirer = fields.optionalInteger("Acquirer");
    info.locked = fields.optionalBool("Locked").value_or(false);
    info.currentBatchNumber = fields.optionalInteger("CurrentBatchNumber");
    info.raw = json;
    return info;
}

Page Page::fromJson(const Json& json, std::string_view context) {
    Page page;
    if (json.is_array()) {
        page.results.assign(json.begin(), json.end());
        page.count = static_cast<std::int64_t>(page.results.size());
        return page;
    }
    const JsonFields fields = fieldsOf(json, context);
    page.count = fields.optionalInteger("count");
    page.next = fields.optionalString("next").value_or("");
    const Json& results = fields.require("results");
    if (!results.is_array()) {
        fields.fail("results", std::string("expected an array, got ") + results.type_name());
    }
    page.results.assign(results.begin(), results.end());
    return page;
}

} // namespace fiscpos::mellon
