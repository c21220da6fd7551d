#include "viva/orders_records.hpp"

#include "core/errors.hpp"
#include "viva/viva_records.hpp"

namespace fiscpos::viva {

namespace {

using core::Json;

void requireObject(const Json& json, std::string_view context) {
    if (!json.is_object()) {
        throw core::ResponseError(std::string(context),
                                  "expected a JSON object, got " + std::string(json.type_name()));
    }
}

std::string text(const Json& object, std::string_view key, std::string_view context) {
    return scalarField(object, key, context).value_or("");
}

// `key` of `object`, else `key` of the object under `nested` (the legacy API nests some fields).
std::string textOrNested(const Json& object, std::string_view key, std::string_view nested,
                         std::string_view nestedKey, std::string_view context) {
    std::string value = text(object, key, context);
    if (!value.empty()) {
        return value;
    }
    const auto it = object.find(nested);
    if (it != object.end() && it->is_object()) {
        return text(*it, nestedKey, std::string(context) + "." + std::string(nested));
    }
    return {};
}

} // namespace

OrderCreated OrderCreated::fromJson(const Json& json, std::string_view context) {
    requireObject(json, context);
    OrderCreated order;
    order.orderCode = text(json, "OrderCode", context);
    if (order.orderCode.empty()) {
        order.orderCode = text(json, "orderCode", context);
    }
    order.errorCode = integerField(json, "ErrorCode", context).value_or(0);
    order.errorText = text(json, "ErrorText", context);
    order.raw = json;
    if (order.errorCode == 0 && order.orderCode.empty()) {
        throw core::ResponseError(std::string(context) + ".OrderCode",
                                  "is missing although ErrorCode is 0");
    }
    return order;
}

LegacyTransaction LegacyTransaction::fromJson(const Json& json, std::string_view context) {
    requireObject(json, context);
    LegacyTransaction t;
    t.transactionId = text(json, "TransactionId", context);
    if (t.transactionId.empty()) {
        throw core::ResponseError(std::string(context) + ".TransactionId", "is missing");
    }
    t.orderCode = textOrNested(json, "OrderCode", "Order", "OrderCode", context);
    t.statusId = text(json, "StatusId", context);
    t.amount = eurosField(json, "Amount", context);
    t.merchantTrns = text(json, "MerchantTrns", context);
    t.customerTrns = text(json, "CustomerTrns", context);
    t.sourceCode = text(json, "SourceCode", context);
    t.terminalId = text(json, "TerminalId", context);
    t.cardNumber = textOrNested(json, "CardNumber", "CreditCard", "Number", context);
    t.cardType = text(json, "CardType", context);
    if (t.cardType.empty()) {
        const auto card = json.find("CreditCard");
        if (card != json.end() && card->is_object()) {
            const auto type = card->find("CardType");
            if (type != card->end() && type->is_object()) {
                t.cardType = text(*type, "Name", std::string(context) + ".CreditCard.CardType");
            }
        }
    }
    t.authorizationId = text(json, "AuthorizationId", context);
    t.retrievalReferenceNumber = text(json, "RetrievalReferenceNumber", context);
    t.transactionTypeId = integerField(json, "TransactionTypeId", context);
    if (!t.transactionTypeId) {
        const auto type = json.find("TransactionType");
        if (type != json.end() && type->is_object()) {
            t.transactionTypeId =
                integerField(*type, "TransactionTypeId", std::string(context) + ".TransactionType");
        }
    }
    t.insDate = text(json, "InsDate", context);
    t.raw = json;
    return t;
}

TransactionList TransactionList::fromJson(const Json& json, std::string_view context) {
    TransactionList list;
    const Json* items = nullptr;
    std::string itemsContext(context);
    if (json.is_array()) {
        items = &json;
    } else {
        requireObject(json, context);
        list.errorCode = integerField(json, "ErrorCode", context).value_or(0);
        list.errorText = text(json, "ErrorText", context);
        const auto it = json.find("Transactions");
        if (it != json.end() && !it->is_null()) {
            if (!it->is_array()) {
                throw core::ResponseError(std::string(context) + ".Transactions",
                                          "expected a list, got " + std::string(it->type_name()));
            }
            items = &*it;
            itemsContext += ".Transactions";
        }
    }
    if (items != nullptr) {
        for (std::size_t i = 0; i < items->size(); ++i) {
            list.transactions.push_back(LegacyTransaction::fromJson(
                (*items)[i], itemsContext + "[" + std::to_string(i) + "]"));
        }
    }
    return list;
}

} // namespace fiscpos::viva
