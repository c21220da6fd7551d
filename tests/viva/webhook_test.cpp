// Viva's payment webhooks: the envelope, our reference out of MerchantTrns or SessionId, exact
// euros, ignored event types, and malformed events named by their field.
#include "core/errors.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/webhook.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::ResponseError;

namespace {

constexpr const char* reference = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";

// A POS payment event as Viva sends it (the #2373 payload's shape), with `amount` written as is.
std::string paymentEvent(int type, const std::string& amount,
                         const std::string& merchantTrns = std::string("fiscpos:") + reference) {
    return R"({"Url": "https://erp.example/viva/webhook?token=x",
      "EventData": {"Amount": )" +
           amount + R"(, "TerminalId": 16253546, "OrderCode": 3112212881253546,
        "StatusId": "F", "TransactionId": "b1b9d5a4-41c1-4b2a-9fa4-1c2fc34b2c0c",
        "MerchantTrns": ")" +
           merchantTrns + R"(", "CardNumber": "414746XXXXXX0133", "TransactionTypeId": 5,
        "AuthorizationId": "A1B2C3", "RetrievalReferenceNumber": 412345678901,
        "CurrencyCode": "978", "ResponseEventId": null},
      "Created": "2024-05-10T13:43:40.1234567Z", "CorrelationId": "c-1",
      "EventTypeId": )" +
           std::to_string(type) + R"(, "Delay": null, "RetryCount": 0,
      "RetryDelayInSeconds": null, "MessageId": "m-1", "RecipientId": "r", "MessageTypeId": 0})";
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_webhook)

BOOST_AUTO_TEST_CASE(payment_created_names_our_payment_in_exact_euros) {
    const WebhookEvent event = parseWebhookEvent(paymentEvent(1796, "42.0"));
    BOOST_TEST(event.handled());
    BOOST_TEST(event.kind == WebhookKind::PaymentCreated);
    BOOST_TEST(webhookKindName(event.kind) == "payment_created");
    BOOST_TEST(event.messageId == "m-1");
    BOOST_TEST(event.reference.value_or("") == reference);
    BOOST_TEST(event.orderCode == "3112212881253546");
    BOOST_TEST(event.transactionId == "b1b9d5a4-41c1-4b2a-9fa4-1c2fc34b2c0c");
    BOOST_TEST(event.statusId == "F");
    BOOST_TEST(event.terminalId == "16253546");
    BOOST_TEST(event.amount.value().cents() == 4200);
    BOOST_TEST(event.retrievalReferenceNumber == "412345678901");
    BOOST_TEST(!event.responseEventId.has_value());
}

BOOST_AUTO_TEST_CASE(euros_are_read_exactly) {
    const std::pair<const char*, std::int64_t> cases[] = {
        {"12.4", 1240},   {"0.1", 10},
        {"0.29", 29},     {"1234567.89", 123456789},
        {"42", 4200},     {"\"12.40\"", 1240},
        {"42.000", 4200}, {"19.99", 1999},
        {"0.30", 30},     {"100000.01", 10000001}};
    for (const auto& [text, cents] : cases) {
        const auto event = parseWebhookEvent(paymentEvent(1796, text));
        BOOST_TEST(event.amount.value().cents() == cents, text);
    }
}

BOOST_AUTO_TEST_CASE(every_handled_type_and_the_ignored_ones) {
    BOOST_TEST(parseWebhookEvent(paymentEvent(1797, "5.00")).kind == WebhookKind::ReversalCreated);
    BOOST_TEST(parseWebhookEvent(paymentEvent(1798, "5.00")).kind ==
               WebhookKind::TransactionFailed);
    // Commission, bank transfers, orders: reported as ignored, nothing else required of them.
    for (const int type : {1799, 2054, 768, 4865}) {
        const auto event = parseWebhookEvent(R"({"EventTypeId": )" + std::to_string(type) + R"(})");
        BOOST_TEST(!event.handled());
        BOOST_TEST(webhookKindName(event.kind) == "ignored");
        BOOST_TEST(event.eventTypeId == type);
    }
}

BOOST_AUTO_TEST_CASE(ecr_session_events_name_the_session) {
    const std::string body = std::string(R"({"EventTypeId": 1802, "MessageId": "m-2",
        "EventData": {"SessionId": ")") +
                             reference + R"(", "TerminalId": "16000010", "Success": true,
        "TransactionId": "t-1", "Amount": 12.40, "StatusId": "F", "ResponseEventId": 0}})";
    const WebhookEvent created = parseWebhookEvent(body);
    BOOST_TEST(created.kind == WebhookKind::EcrSessionCreated);
    BOOST_TEST(created.reference.value_or("") == reference);
    BOOST_TEST(created.success.value());
    BOOST_TEST(created.amount.value().cents() == 1240);
    BOOST_TEST(created.responseEventId.value() == 0);

    const WebhookEvent failed = parseWebhookEvent(R"({"EventTypeId": 1803, "MessageId": "m-3",
        "EventData": {"SessionId": "s-9", "Success": false, "ResponseEventId": 1100}})");
    BOOST_TEST(failed.kind == WebhookKind::EcrSessionFailed);
    BOOST_TEST(failed.reference.value_or("") == "s-9");
    BOOST_TEST(!failed.success.value());
}

BOOST_AUTO_TEST_CASE(a_payment_someone_else_started_has_no_reference) {
    const auto event = parseWebhookEvent(paymentEvent(1796, "1.00", "ERP:A-2:1234"));
    BOOST_TEST(event.handled());
    BOOST_TEST(!event.reference.has_value());
    BOOST_TEST(event.merchantTrns == "ERP:A-2:1234");
}

BOOST_AUTO_TEST_CASE(malformed_events_name_the_field) {
    requireFieldError<ResponseError>([] { parseWebhookEvent("not json"); }, "webhook");
    requireFieldError<ResponseError>([] { parseWebhookEvent("[]"); }, "webhook");
    requireFieldError<ResponseError>([] { parseWebhookEvent(R"({"MessageId": "m"})"); },
                                     "webhook.EventTypeId");
    requireFieldError<ResponseError>(
        [] { parseWebhookEvent(R"({"EventTypeId": "payment", "MessageId": "m"})"); },
        "webhook.EventTypeId");
    requireFieldError<ResponseError>(
        [] { parseWebhookEvent(R"({"EventTypeId": 1796, "EventData": {"TransactionId": "t"}})"); },
        "webhook.MessageId");
    requireFieldError<ResponseError>(
        [] { parseWebhookEvent(R"({"EventTypeId": 1796, "MessageId": "m"})"); },
        "webhook.EventData");
    requireFieldError<ResponseError>(
        [] { parseWebhookEvent(R"({"EventTypeId": 1796, "MessageId": "m", "EventData": 5})"); },
        "webhook.EventData");
    requireFieldError<ResponseError>(
        [] {
            parseWebhookEvent(
                R"({"EventTypeId": 1796, "MessageId": "m", "EventData": {"Amount": 1}})");
        },
        "webhook.EventData.TransactionId");
    requireFieldError<ResponseError>(
        [] {
            parseWebhookEvent(
                R"({"EventTypeId": 1802, "MessageId": "m", "EventData": {"TransactionId": "t"}})");
        },
        "webhook.EventData.SessionId");
    // Amounts finer than a cent, negative, exponents, text or objects.
    for (const char* amount : {"12.345", "-1.00", "1.2e1", "\"twelve\"", "{}", "true"}) {
        requireFieldError<ResponseError>([&] { parseWebhookEvent(paymentEvent(1796, amount)); },
                                         "webhook.EventData.Amount");
    }
    requireFieldError<ResponseError>(
        [] {
            parseWebhookEvent(R"({"EventTypeId": 1802, "MessageId": "m",
                "EventData": {"SessionId": "s", "Success": "yes please"}})");
        },
        "webhook.EventData.Success");
}

BOOST_AUTO_TEST_CASE(verification_answer) {
    BOOST_TEST(core::dumpJson(webhookKeyAnswer("ABC123")) == R"({"Key":"ABC123"})");
}

BOOST_AUTO_TEST_SUITE_END()
