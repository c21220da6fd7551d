// What Viva's legacy Basic-auth API answers (contract §19), read tolerantly: the created order,
// and the transactions list. Amounts there are euros (decimal numbers), read exactly; ids are
// strings or numbers (a 16-digit OrderCode as a bare number); fields the legacy API nests (the
// order code under Order, the card under CreditCard, the type under TransactionType) are read
// from either place. Every record keeps `raw`.
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::viva {

// The answer of POST /api/orders: {"OrderCode": ..., "ErrorCode": 0, "ErrorText": null, ...}.
struct OrderCreated {
    std::string orderCode;
    std::int64_t errorCode = 0; // 0: success
    std::string errorText;
    core::Json raw;

    // ResponseError naming the field when the answer has no OrderCode although ErrorCode is 0.
    static OrderCreated fromJson(const core::Json& json, std::string_view context);
};

// An entry of GET /api/transactions.
struct LegacyTransaction {
    std::string transactionId;
    std::string orderCode;
    std::string statusId;              // "F" finished, "A" authorised, "X" cancelled, "E" error
    std::optional<core::Money> amount; // euros, exact
    std::string merchantTrns;
    std::string customerTrns;
    std::string sourceCode;
    std::string terminalId;
    std::string cardNumber; // masked, as Viva wrote it
    std::string cardType;
    std::string authorizationId;
    std::string retrievalReferenceNumber;
    std::optional<std::int64_t> transactionTypeId;
    std::string insDate; // as written
    core::Json raw;

    // F (finished) or A (authorised): the cardholder paid.
    bool paid() const { return statusId == "F" || statusId == "A"; }

    static LegacyTransaction fromJson(const core::Json& json, std::string_view context);
};

// The answer of GET /api/transactions: {"Transactions": [...], "ErrorCode": 0, "ErrorText": null}
// (a bare array is read too).
struct TransactionList {
    std::vector<LegacyTransaction> transactions;
    std::int64_t errorCode = 0;
    std::string errorText;

    static TransactionList fromJson(const core::Json& json, std::string_view context);
};

} // namespace fiscpos::viva
