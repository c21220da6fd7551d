// What the WebECR API answers, read tolerantly: the intent id as `Id` or `id`, `Transaction` as a
// number or an object, ids and card fields as strings or numbers, and every unknown field kept in
// `raw` (the answer as received, for the journal). Amounts are integer minor units (cents).
// A field that is required and missing or mistyped is a core::ResponseError naming it.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::mellon {

// Intent Status: 1 PENDING, 2 SENT, 3 COMPLETED. Result, once completed: 1 APPROVED, 2 DECLINED,
// 3 CANCELLED, 4 FAILED, 5 UNKNOWN, 6 BUSY, 7 MAX_TRANSACTIONS.
std::string_view statusName(int status); // "PENDING", "SENT", "COMPLETED", else "STATUS <n>"
std::string_view resultName(int result); // "APPROVED", ... "MAX_TRANSACTIONS", else "RESULT <n>"

// A card transaction: a record of /transaction/, or the object form of an intent's "Transaction".
struct Transaction {
    std::string id;         // Id (TxnId in older answers)
    std::string externalId; // ExternalId
    std::optional<bool> approved;
    bool voided = false;
    std::optional<std::int64_t> txnType;
    std::optional<core::Money> amount, tip;
    std::string tid, mid, rrn, authCode, cardPan, cardType, stan, batchNumber;
    std::string customerReference;
    std::string timestamp; // as written
    std::optional<core::TimePoint> at;
    core::Json raw;

    static Transaction fromJson(const core::Json& json, std::string_view context);
};

// A transaction intent: the answer of txninit and txnvoid, and the items of /transactionintent/.
struct Intent {
    std::string id;            // Id or id
    int status = 0;            // Status
    std::optional<int> result; // Result; null until completed
    std::optional<std::int64_t> txnType;
    std::optional<core::Money> amount, tip;
    std::string customerReference;
    std::string terminal;       // the terminal's path id
    std::string transactionRef; // the id of its transaction (Transaction as a number, or its Id)
    std::optional<Transaction> transaction; // when Transaction is an object
    std::string transactionId;              // TransactionId: the myDATA transactionId
    std::string initialTransaction;
    std::optional<core::TimePoint> createdAt; // Timestamp, when the back end says
    core::Json raw;

    static Intent fromJson(const core::Json& json, std::string_view context);
};

// An entry of the terminal list.
struct TerminalInfo {
    std::string id;  // the id in paths
    std::string tid; // TerminalID
    std::string friendlyName;
    std::optional<std::int64_t> terminalType, acquirer, currentBatchNumber;
    std::string merchant;
    bool locked = false;
    core::Json raw;

    static TerminalInfo fromJson(const core::Json& json, std::string_view context);
};

// One page of a list: {count, next, previous, results}, or a bare array (one page, no next).
struct Page {
    std::optional<std::int64_t> count;
    std::string next; // absolute URL; empty on the last page
    std::vector<core::Json> results;

    static Page fromJson(const core::Json& json, std::string_view context);
};

} // namespace fiscpos::mellon
