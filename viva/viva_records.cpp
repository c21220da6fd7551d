#include "viva/viva_records.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::viva {

namespace {

using core::Json;

using core::allDigits;

std::string fieldName(std::string_view context, std::string_view key) {
    return context.empty() ? std::string(key) : std::string(context) + "." + std::string(key);
}

std::string typeName(const Json& value) {
    return core::isDecimal(value) ? "decimal number" : value.type_name();
}

void requireObject(const Json& json, std::string_view context) {
    if (!json.is_object()) {
        throw core::ResponseError(std::string(context),
                                  "expected a JSON object, got " + typeName(json));
    }
}

std::string text(const Json& object, std::string_view key, std::string_view context) {
    return scalarField(object, key, context).value_or("");
}

// Cents, as an integer or digits; never negative.
std::optional<core::Money> cents(const Json& object, std::string_view key,
                                 std::string_view context) {
    const auto value = integerField(object, key, context);
    if (!value) {
        return std::nullopt;
    }
    if (*value < 0) {
        throw core::ResponseError(fieldName(context, key),
                                  std::to_string(*value) + " is a negative amount");
    }
    return core::Money::fromCents(*value);
}

// The list inside an answer: the array itself, or the array under one of `keys`; a single object
// counts as a list of one.
std::vector<const Json*> listItems(const Json& json, std::string_view context,
                                   std::initializer_list<std::string_view> keys,
                                   std::string_view itemKey) {
    std::vector<const Json*> items;
    if (json.is_array()) {
        for (const auto& item : json) {
            items.push_back(&item);
        }
        return items;
    }
    if (json.is_object()) {
        for (const auto key : keys) {
            const auto it = json.find(key);
            if (it != json.end() && it->is_array()) {
                for (const auto& item : *it) {
                    items.push_back(&item);
                }
                return items;
            }
        }
        if (json.contains(itemKey)) {
            items.push_back(&json);
            return items;
        }
        if (json.empty()) {
            return items;
        }
    }
    if (json.is_null()) {
        return items;
    }
    throw core::ResponseError(std::string(context),
                              "expected a list (a JSON array), got " + typeName(json));
}

// The records of a list answer, each read with T::fromJson and named by its index.
template <class T>
std::vector<T> readList(const Json& json, std::string_view context,
                        std::initializer_list<std::string_view> keys, std::string_view itemKey) {
    std::vector<T> records;
    const auto items = listItems(json, context, keys, itemKey);
    for (std::size_t i = 0; i < items.size(); ++i) {
        records.push_back(
            T::fromJson(*items[i], std::string(context) + "[" + std::to_string(i) + "]"));
    }
    return records;
}

} // namespace

std::optional<std::int64_t> integerField(const Json& object, std::string_view key,
                                         std::string_view context) {
    const auto value = scalarField(object, key, context);
    if (!value || value->empty()) {
        return std::nullopt;
    }
    const std::string_view digits =
        value->front() == '-' ? std::string_view(*value).substr(1) : std::string_view(*value);
    if (!allDigits(digits) || digits.size() > 18) {
        throw core::ResponseError(fieldName(context, key), "\"" + *value + "\" is not an integer");
    }
    return std::stoll(*value);
}

std::optional<bool> boolField(const Json& object, std::string_view key, std::string_view context) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::nullopt;
    }
    if (it->is_boolean()) {
        return it->get<bool>();
    }
    if (it->is_string()) {
        std::string value = it->get<std::string>();
        std::transform(value.begin(), value.end(), value.begin(),
                       [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
        if (value == "true") {
            return true;
        }
        if (value == "false") {
            return false;
        }
    }
    if (it->is_number_integer() || it->is_number_unsigned()) {
        const auto number = it->get<std::int64_t>();
        if (number == 0 || number == 1) {
            return number == 1;
        }
    }
    throw core::ResponseError(fieldName(context, key), "expected true or false, got " + it->dump());
}

std::optional<std::string> scalarText(const Json& value, std::string_view field) {
    if (value.is_null()) {
        return std::nullopt;
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer() || value.is_number_unsigned()) {
        return value.dump();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "true" : "false";
    }
    if (core::isDecimal(value)) {
        // A number beyond 64 bits arrives as a decimal node with its exact digits.
        const std::string digits = core::decimalText(value);
        if (allDigits(digits)) {
            return digits;
        }
        throw core::ResponseError(std::string(field),
                                  "expected a string or an integer, got " + digits);
    }
    throw core::ResponseError(std::string(field),
                              "expected a string or an integer, got " + typeName(value));
}

std::optional<std::string> scalarField(const Json& object, std::string_view key,
                                       std::string_view context) {
    const auto it = object.find(key);
    if (it == object.end()) {
        return std::nullopt;
    }
    return scalarText(*it, fieldName(context, key));
}

core::Money eurosFromJson(const Json& value, std::string_view field) {
    std::string text;
    if (core::isDecimal(value)) {
        text = core::decimalText(value);
    } else if (value.is_number_integer() || value.is_number_unsigned()) {
        text = value.dump();
    } else if (value.is_string()) {
        text = value.get<std::string>();
    } else {
        throw core::ResponseError(std::string(field),
                                  "expected an amount in euros, got " + typeName(value));
    }
    // 42.000 is 42.00: zeros beyond the cents change nothing.
    const auto point = text.find('.');
    if (point != std::string::npos) {
        while (text.size() > point + 3 && text.back() == '0') {
            text.pop_back();
        }
    }
    try {
        return core::Money::parse(text, field);
    } catch (const core::InputError& e) {
        const std::string prefix = std::string(field) + ": ";
        std::string reason = e.what();
        if (reason.starts_with(prefix)) {
            reason.erase(0, prefix.size());
        }
        throw core::ResponseError(std::string(field), reason);
    }
}

std::optional<core::Money> eurosField(const Json& object, std::string_view key,
                                      std::string_view context) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::nullopt;
    }
    return eurosFromJson(*it, fieldName(context, key));
}

std::optional<std::string> detailOf(const std::string& body) {
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_object()) {
        for (const char* key : {"detail", "message", "Message", "ErrorText"}) {
            const auto it = json.find(key);
            if (it != json.end() && it->is_string()) {
                return it->get<std::string>();
            }
        }
    }
    return std::nullopt;
}

AccessToken AccessToken::fromJson(const Json& json, std::string_view context) {
    requireObject(json, context);
    AccessToken token;
    token.accessToken = text(json, "access_token", context);
    if (token.accessToken.empty()) {
        throw core::ResponseError(fieldName(context, "access_token"), "is missing or empty");
    }
    if (const auto expires = integerField(json, "expires_in", context)) {
        if (*expires <= 0) {
            throw core::ResponseError(fieldName(context, "expires_in"),
                                      std::to_string(*expires) + " is not a lifetime in seconds");
        }
        token.expiresIn = std::chrono::seconds(*expires);
    }
    token.tokenType = text(json, "token_type", context);
    if (!token.tokenType.empty() && token.tokenType != "Bearer" && token.tokenType != "bearer") {
        throw core::ResponseError(fieldName(context, "token_type"),
                                  "\"" + token.tokenType + "\" is not Bearer");
    }
    token.scope = text(json, "scope", context);
    return token;
}

std::string deviceStatusName(std::int64_t statusId) {
    switch (statusId) {
    case 0:
        return "warehouse";
    case 1:
        return "live";
    case 2:
        return "ready to ship";
    case 3:
        return "in stock";
    case 4:
        return "pending key injection";
    case 5:
        return "lost";
    case 6:
        return "broken";
    case 7:
        return "locked";
    default:
        return "status " + std::to_string(statusId);
    }
}

Device Device::fromJson(const Json& json, std::string_view context) {
    requireObject(json, context);
    Device device;
    device.terminalId = text(json, "terminalId", context);
    if (device.terminalId.empty()) {
        throw core::ResponseError(fieldName(context, "terminalId"), "is missing");
    }
    device.statusId = integerField(json, "statusId", context);
    device.sourceCode = text(json, "sourceCode", context);
    device.virtualTerminalId = text(json, "virtualTerminalId", context);
    device.merchantId = text(json, "merchantId", context);
    device.raw = json;
    return device;
}

std::vector<Device> Device::listFromJson(const Json& json, std::string_view context) {
    return readList<Device>(json, context, {"devices", "items", "results"}, "terminalId");
}

Session Session::fromJson(const Json& json, std::string_view context) {
    requireObject(json, context);
    Session s;
    s.sessionId = text(json, "sessionId", context);
    s.terminalId = text(json, "terminalId", context);
    s.cashRegisterId = text(json, "cashRegisterId", context);
    s.amount = cents(json, "amount", context);
    s.tip = cents(json, "tipAmount", context);
    s.currencyCode = text(json, "currencyCode", context);
    s.merchantReference = text(json, "merchantReference", context);
    s.customerTrns = text(json, "customerTrns", context);
    s.success = boolField(json, "success", context);
    s.eventId = integerField(json, "eventId", context);
    s.transactionEventId = integerField(json, "transactionEventId", context);
    s.message = text(json, "message", context);
    s.transactionId = text(json, "transactionId", context);
    s.transactionTypeId = integerField(json, "transactionTypeId", context);
    s.authorizationId = text(json, "authorizationId", context);
    s.retrievalReferenceNumber = text(json, "retrievalReferenceNumber", context);
    s.referenceNumber = text(json, "referenceNumber", context);
    s.orderCode = text(json, "orderCode", context);
    s.shortOrderCode = text(json, "shortOrderCode", context);
    s.panEntryMode = text(json, "panEntryMode", context);
    s.applicationLabel = text(json, "applicationLabel", context);
    s.cardType = text(json, "cardType", context);
    s.bankId = text(json, "bankId", context);
    s.primaryAccountNumberMasked = text(json, "primaryAccountNumberMasked", context);
    s.aid = text(json, "aid", context);
    s.verificationMethod = text(json, "verificationMethod", context);
    s.tid = text(json, "tid", context);
    s.transactionDateTime = text(json, "transactionDateTime", context);
    s.installments = integerField(json, "installments", context);
    s.preauth = boolField(json, "preauth", context);
    s.abortOperation = boolField(json, "abortOperation", context);
    s.abortSuccess = boolField(json, "abortSuccess", context);
    s.abortAckTime = text(json, "abortAckTime", context);
    s.aadeTransactionId = text(json, "aadeTransactionId", context);
    s.raw = json;
    return s;
}

std::vector<Session> Session::listFromJson(const Json& json, std::string_view context) {
    return readList<Session>(json, context, {"sessions", "items", "results"}, "sessionId");
}

} // namespace fiscpos::viva
