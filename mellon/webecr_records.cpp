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

std::string text(const JsonFields& fields, std::string_view key) {
    return fields.optionalScalarText(key).value_or("");
}

// The first of `keys` that is present and not null, as text.
std::string textOf(const JsonFields& fields, std::initializer_list<std::string_view> keys) {
    for (const auto key : keys) {
        if (!fields.isNull(key)) {
            return fields.optionalScalarText(key).value_or("");
        }
    }
    return {};
}

std::optional<core::Money> cents(const JsonFields& fields, std::string_view key) {
    const auto value = fields.optionalInteger(key);
    if (!value) {
        return std::nullopt;
    }
    return core::Money::fromCents(*value);
}

std::optional<bool> optionalBool(const JsonFields& fields, std::string_view key) {
    if (fields.isNull(key)) {
        return std::nullopt;
    }
    return fields.requireBool(key);
}

// An id the back ends write as `first` or `second`, a number or a string; required.
std::string requiredId(const JsonFields& fields, std::string_view first, std::string_view second,
                       const std::string& what) {
    std::string id = textOf(fields, {first, second});
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
    t.id = textOf(fields, {"Id", "id", "TxnId"});
    t.externalId = text(fields, "ExternalId");
    t.approved = optionalBool(fields, "Approved");
    t.voided = optionalBool(fields, "Voided").value_or(false);
    t.txnType = fields.optionalInteger("TxnType");
    t.amount = cents(fields, "Amount");
    t.tip = cents(fields, "TipAmount");
    t.tid = text(fields, "TID");
    t.mid = text(fields, "MID");
    t.rrn = text(fields, "RRN");
    t.authCode = text(fields, "AuthCode");
    t.cardPan = text(fields, "CardPAN");
    t.cardType = text(fields, "CardType");
    t.stan = text(fields, "STAN");
    t.batchNumber = text(fields, "BatchNumber");
    t.customerReference = text(fields, "CustomerReference");
    t.timestamp = text(fields, "Timestamp");
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
    intent.amount = cents(fields, "Amount");
    intent.tip = cents(fields, "TipAmount");
    intent.customerReference = text(fields, "CustomerReference");
    intent.terminal = text(fields, "Terminal");
    if (!fields.isNull("Transaction")) {
        const Json& transaction = fields.require("Transaction");
        if (transaction.is_object()) {
            intent.transaction =
                Transaction::fromJson(transaction, fields.fieldName("Transaction"));
            intent.transactionRef = intent.transaction->id;
        } else {
            intent.transactionRef = text(fields, "Transaction");
        }
    }
    intent.transactionId = text(fields, "TransactionId");
    if (!fields.isNull("InitialTransaction")) {
        const Json& initial = fields.require("InitialTransaction");
        intent.initialTransaction =
            initial.is_object()
                ? textOf(fieldsOf(initial, fields.fieldName("InitialTransaction")), {"Id", "id"})
                : text(fields, "InitialTransaction");
    }
    intent.createdAt = core::timeIfReadable(textOf(fields, {"Timestamp", "Created", "CreatedAt"}));
    intent.raw = json;
    return intent;
}

TerminalInfo TerminalInfo::fromJson(const Json& json, std::string_view context) {
    const JsonFields fields = fieldsOf(json, context);
    TerminalInfo info;
    info.id = requiredId(fields, "id", "Id", "terminal");
    info.tid = text(fields, "TerminalID");
    info.friendlyName = text(fields, "FriendlyName");
    info.terminalType = fields.optionalInteger("TerminalType");
    info.merchant = text(fields, "Merchant");
    info.acquirer = fields.optionalInteger("Acquirer");
    info.locked = optionalBool(fields, "Locked").value_or(false);
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
