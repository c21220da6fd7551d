// What the Viva Local Terminal API (nsp = viva-local, contract viva-local-terminal.md) carries:
// the request bodies, which are the Cloud Terminal API's without terminalId and cashRegisterId
// (a refund names its sale by the sale's Viva transactionId), and its answers read tolerantly:
//   - the immediate answer to a sale, refund or abort: {state, sessionId, sessionType};
//   - a session: {state, sessionType, sessionId, payloadData{saleResponse | cancelResponse |
//     abortResponse}}, whose result object is the Cloud session's fields under a few other names
//     (isSuccess, transactionDate, isAbortRequested; retrievalReferenceNumber read as text so a
//     12-digit RRN survives) plus merchantApproved (a Store-and-Forward approval).
// The result is read into the Cloud API's viva::Session, so the same eventIds mean the same
// outcomes (session_outcome.hpp). A field that is required and missing or mistyped is a
// core::ResponseError naming it.
#pragma once

#include "core/json.hpp"
#include "viva/viva_records.hpp"
#include "viva/viva_requests.hpp"
#include "viva/viva_settings.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::viva::local {

// The immediate answer of POST /pos/v1/sale, /refund, /preauth-completion and /abort.
struct Immediate {
    std::string state; // PROCESSING, BUSY_ERROR, SERVER_ERROR, SESSION_NOT_FOUND_ERROR, ...
    std::string sessionId;
    std::string sessionType; // SALE, CANCEL
    core::Json raw;

    static Immediate fromJson(const core::Json& json, std::string_view context);
};

// The answer of GET /pos/v1/sessions/{sessionId}.
struct LocalSession {
    std::string state;
    std::string sessionType;
    std::string sessionId;
    // payloadData's saleResponse, cancelResponse or abortResponse, read as a Cloud session.
    std::optional<Session> result;
    // The result's merchantApproved: the terminal approved it offline (Store-and-Forward), not yet
    // authorised online.
    bool merchantApproved = false;
    core::Json raw;

    static LocalSession fromJson(const core::Json& json, std::string_view context);
};

// A result object of payloadData read as the Cloud session it mirrors.
Session resultAsSession(const core::Json& result, std::string_view context);

// POST /pos/v1/sale: the Cloud sale's fields without terminalId and cashRegisterId.
core::Json saleBody(const TransactionRequest& request, const VivaSettings& settings);
// POST /pos/v1/refund: sessionId, amount, currencyCode, merchantReference, [customerTrns],
// transactionId (the sale's Viva transactionId, required) and the credit document's aade* when
// given. InputError naming "original.networkTransactionRef" without the sale's transactionId.
core::Json refundBody(const TransactionRequest& request, const std::string& parentTransactionId,
                      const VivaSettings& settings);
// POST /pos/v1/abort
core::Json abortBody(const std::string& sessionId);

} // namespace fiscpos::viva::local
