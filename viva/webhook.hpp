// Viva's payment webhooks (contract §13), the library part of a receiver: reading a POSTed event,
// and the verification answer. The HTTP endpoint itself lives in `fiscpos serve`.
//
// A webhook is a hint, never proof: it carries no signature. The receiver answers 2xx at once,
// drops a MessageId it has seen (Viva re-sends the same message), and then asks the session (or
// the order's transactions) by our reference before anything changes. Events handled:
//   1796 Transaction Payment Created, 1797 Transaction Reversal Created, 1798 Transaction Failed
//   (the cardholder may still retry and succeed), 1802/1803 Transaction POS ECR Session Created /
//   Failed. Every other EventTypeId is reported as ignored.
// Our reference comes from MerchantTrns when it has our format ("fiscpos:<reference>", see
// viva_requests.hpp), or from the SessionId of a 1802/1803. Amount is in euros (42.0 for a sale
// of 4200 cents), read exactly.
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::viva {

enum class WebhookKind {
    PaymentCreated,    // 1796
    ReversalCreated,   // 1797
    TransactionFailed, // 1798
    EcrSessionCreated, // 1802
    EcrSessionFailed,  // 1803
    Ignored,           // any other EventTypeId
};

// "payment_created", "reversal_created", "transaction_failed", "ecr_session_created",
// "ecr_session_failed", "ignored".
std::string_view webhookKindName(WebhookKind kind);

struct WebhookEvent {
    std::int64_t eventTypeId = 0;
    WebhookKind kind = WebhookKind::Ignored;
    std::string messageId; // de-duplication: Viva re-sends the same MessageId
    std::string created;   // as written (UTC)
    std::string correlationId;

    // EventData.
    std::optional<std::string> reference; // ours, when the event names one of our payments
    std::string merchantTrns;
    std::string sessionId;
    std::string orderCode;
    std::string transactionId;
    std::string statusId; // "F" finished, "A" authorised, "X" cancelled, "E" error
    std::string terminalId;
    std::string sourceCode;
    std::string currencyCode;
    std::optional<core::Money> amount; // euros, exact
    std::optional<bool> success;       // 1802/1803
    std::optional<std::int64_t> responseEventId;
    std::optional<std::int64_t> transactionTypeId;
    std::string cardNumber; // masked, as Viva wrote it
    std::string authorizationId;
    std::string retrievalReferenceNumber;
    core::Json raw;

    bool handled() const { return kind != WebhookKind::Ignored; }
};

// Reads a POSTed event. A body that is not JSON, or an event handled here without its
// EventTypeId, MessageId, EventData, TransactionId (1796-1798) or SessionId (1802/1803), or with
// a field of the wrong type (an Amount that is not an exact amount in euros), is a
// core::ResponseError naming the field ("webhook.EventData.Amount").
WebhookEvent parseWebhookEvent(std::string_view body);

// {"Key": key}: what the webhook URL answers to Viva's verification GET (the key comes from
// LegacyClient::webhookKey()).
core::Json webhookKeyAnswer(const std::string& key);

} // namespace fiscpos::viva
