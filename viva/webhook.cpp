#include "viva/webhook.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"
#include "viva/viva_records.hpp"
#include "viva/viva_requests.hpp"

namespace fiscpos::viva {

namespace {

using core::Json;

constexpr const char* envelope = "webhook";
constexpr const char* data = "webhook.EventData";

WebhookKind kindOf(std::int64_t eventTypeId) {
    switch (eventTypeId) {
    case 1796:
        return WebhookKind::PaymentCreated;
    case 1797:
        return WebhookKind::ReversalCreated;
    case 1798:
        return WebhookKind::TransactionFailed;
    case 1802:
        return WebhookKind::EcrSessionCreated;
    case 1803:
        return WebhookKind::EcrSessionFailed;
    default:
        return WebhookKind::Ignored;
    }
}

std::string text(const Json& object, std::string_view key, std::string_view context) {
    return scalarField(object, key, context).value_or("");
}

void requireText(const std::string& value, std::string_view key, std::string_view context,
                 const std::string& why) {
    if (value.empty()) {
        throw core::ResponseError(std::string(context) + "." + std::string(key),
                                  "is missing: " + why);
    }
}

} // namespace

std::string_view webhookKindName(WebhookKind kind) {
    static constexpr auto names =
        core::nameTable<WebhookKind>({{WebhookKind::PaymentCreated, "payment_created"},
                                      {WebhookKind::ReversalCreated, "reversal_created"},
                                      {WebhookKind::TransactionFailed, "transaction_failed"},
                                      {WebhookKind::EcrSessionCreated, "ecr_session_created"},
                                      {WebhookKind::EcrSessionFailed, "ecr_session_failed"}});
    return names.name(kind, "ignored");
}

WebhookEvent parseWebhookEvent(std::string_view body) {
    const Json json = core::parseJson(body, envelope, core::JsonOrigin::Response);
    if (!json.is_object()) {
        throw core::ResponseError(envelope,
                                  "expected a JSON object, got " + std::string(json.type_name()));
    }
    WebhookEvent event;
    event.raw = json;
    const auto type = integerField(json, "EventTypeId", envelope);
    if (!type) {
        throw core::ResponseError("webhook.EventTypeId", "is missing: which event this is");
    }
    event.eventTypeId = *type;
    event.kind = kindOf(*type);
    event.messageId = text(json, "MessageId", envelope);
    event.created = text(json, "Created", envelope);
    event.correlationId = text(json, "CorrelationId", envelope);
    if (!event.handled()) {
        return event;
    }
    requireText(event.messageId, "MessageId", envelope, "events are told apart by it");

    const auto it = json.find("EventData");
    if (it == json.end() || it->is_null()) {
        throw core::ResponseError(data, "is missing: the event carries no data");
    }
    if (!it->is_object()) {
        throw core::ResponseError(data,
                                  "expected a JSON object, got " + std::string(it->type_name()));
    }
    const Json& fields = *it;
    event.merchantTrns = text(fields, "MerchantTrns", data);
    event.sessionId = text(fields, "SessionId", data);
    event.orderCode = text(fields, "OrderCode", data);
    event.transactionId = text(fields, "TransactionId", data);
    event.statusId = text(fields, "StatusId", data);
    event.terminalId = text(fields, "TerminalId", data);
    event.sourceCode = text(fields, "SourceCode", data);
    event.currencyCode = text(fields, "CurrencyCode", data);
    event.amount = eurosField(fields, "Amount", data);
    event.success = boolField(fields, "Success", data);
    event.responseEventId = integerField(fields, "ResponseEventId", data);
    event.transactionTypeId = integerField(fields, "TransactionTypeId", data);
    event.cardNumber = text(fields, "CardNumber", data);
    event.authorizationId = text(fields, "AuthorizationId", data);
    event.retrievalReferenceNumber = text(fields, "RetrievalReferenceNumber", data);

    const bool session =
        event.kind == WebhookKind::EcrSessionCreated || event.kind == WebhookKind::EcrSessionFailed;
    if (session) {
        requireText(event.sessionId, "SessionId", data,
                    "a POS ECR session event names its session");
    } else {
        requireText(event.transactionId, "TransactionId", data,
                    "a transaction event names its transaction");
    }
    event.reference = referenceFromMerchantReference(event.merchantTrns);
    if (!event.reference && session && isSessionId(event.sessionId)) {
        event.reference = event.sessionId;
    }
    return event;
}

Json webhookKeyAnswer(const std::string& key) {
    return Json{{"Key", key}};
}

} // namespace fiscpos::viva
