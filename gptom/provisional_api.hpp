// PROVISIONAL: GP tom's Cloud API as far as GP has not published it. Every path, JSON field name,
// enum value and code mapping that is not in GP's public documentation lives in this file (and
// provisional_api.cpp) and nowhere else, so GP's full specification (OpenAPI or Postman) replaces
// it without touching the client, the terminal or the PaymentService. The shapes follow the
// contract fiscpos was written from: the verified endpoint and type names
// (POST /v1/tasks/TRANSACTION, CreateCloudTaskTransactionApiRequest, CloudTaskDetailApiResponse)
// and the vocabulary of GP's own apps and SDKs (originReferenceNum, amsID, TransactionData,
// Batch). What is verified is marked [verified]; everything else is invented and must be
// confirmed with GP before production use.
//
// Readers are tolerant: unknown fields are ignored and kept in `raw`, unknown enum values become
// Unknown (never Approved or Declined), ids may be numbers or strings, and "id"/"taskId" and
// "amsID"/"amsId" are both read. A required field that is missing or mistyped is a
// core::ResponseError naming it.
#pragma once

#include "core/json.hpp"
#include "gptom/gptom_records.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::gptom::provisional {

// ---- paths (below the Cloud API host) ----------------------------------------------------------

// POST: creates a sale or a cancellation task. [verified]
std::string createTransactionPath();
// POST: creates a batch-close task. PROVISIONAL, by analogy with TRANSACTION.
std::string createCloseBatchPath();
// GET: one task. PROVISIONAL.
std::string taskPath(const std::string& taskId);
// GET: the tasks created under our reference (the task list, filtered). PROVISIONAL: GP has a
// task list, its search parameters are not public.
std::string taskSearchPath(const std::string& reference);
// GET: a finished task's transaction, when the task view does not carry it. PROVISIONAL.
std::string transactionPath(const std::string& taskId);
// GET: a finished batch close's totals. PROVISIONAL.
std::string batchPath(const std::string& taskId);
// A master account names the terminal on every call: in the body of a create (see the bodies)
// and as a query parameter of every GET. PROVISIONAL placement.
std::string withTid(const std::string& target, const std::string& tid);

// ---- our reference ------------------------------------------------------------------------------

// originReferenceNum takes at most 20 characters (GP's iOS sale).
inline constexpr std::size_t maxReferenceLength = 20;
// The form of our reference that travels as originReferenceNum: the reference itself when it
// fits (letters, digits, '-', '_', '.', '/' and at most 20 characters), otherwise its first 20
// letters and digits (a UUID keeps 76 random bits). The same reference always gives the same
// form, so a task is found again by it. Empty when nothing of the reference can travel.
std::string originReference(const std::string& reference);

// ---- requests ----------------------------------------------------------------------------------

// {transactionType "SALE", amount (minor units), currencyCode, originReferenceNum,
//  printByPaymentApp, [tid], [aadeProviderId, aadeProviderSignatureData, aadeProviderSignature]}.
// The three aade* fields are PROVISIONAL twice over: GP has not said that its Cloud API takes
// the provider's signature at all; the names are those Viva's Cloud Terminal API uses.
core::Json saleBody(const SaleTask& task);
// {transactionType "STORNO", amsID, originReferenceNum, printByPaymentApp, [tid]}.
core::Json cancelBody(const CancelTask& task);
// {originReferenceNum, [tid]}.
core::Json closeBatchBody(const CloseBatchTask& task);

// ---- answers -----------------------------------------------------------------------------------

// A task view (CloudTaskDetailApiResponse): taskId|id, taskType, state, tid, originReferenceNum,
// created, updated, error, transaction, batch.
TaskView readTask(const core::Json& json, std::string_view context);
// The items of the task list: a bare array, or an object whose "content", "tasks", "items" or
// "results" is one.
std::vector<core::Json> readTaskList(const core::Json& json, std::string_view context);
// A transaction detail (names of GP's TransactionData).
TxnDetail readTransaction(const core::Json& json, std::string_view context);
// A batch-close result (names of GP's Batch).
BatchResult readBatch(const core::Json& json, std::string_view context);

// The state table: CREATED NEW QUEUED STARTED IN_PROGRESS 1 2 5 -> Pending (STARTED,
// IN_PROGRESS, 2, 5 running); COMPLETED FINISHED DONE 6 -> Done; FAILED ERROR INIT_ERROR 3 8 ->
// Failed; CANCELLED CANCELED 7 -> Cancelled; anything else -> Unknown. Names case-insensitive.
TaskState taskStateOf(const core::Json& value);
bool runningState(const core::Json& value);
// The result table: APPROVED 0 "00" -> Approved; DECLINED -4 -> Declined; CANCELLED ->
// Cancelled; ERROR FAILED -1 -> Error; anything else -> Unknown.
TxnOutcome txnOutcomeOf(const core::Json& value);

// What an error answer says, briefly: its "message" (or OAuth2's "error_description", "error"),
// else the body itself, cut to a readable length.
std::string errorText(const std::string& body);

} // namespace fiscpos::gptom::provisional
