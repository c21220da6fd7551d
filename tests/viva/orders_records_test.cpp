// The legacy API's answers (orders, the transactions list with euros and nested fields) and what
// the transactions of an order mean for the payment.
#include "core/errors.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/orders_records.hpp"
#include "viva/orders_terminal.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::PaymentOutcome;
using core::ResponseError;
using core::TerminalStage;
using std::chrono::seconds;

namespace {

Json parse(const std::string& text) {
    return core::parseJson(text, "answer", core::JsonOrigin::Response);
}

LegacyTransaction transaction(const std::string& status, const std::string& id = "t-1") {
    LegacyTransaction t;
    t.transactionId = id;
    t.orderCode = "1234567890123456";
    t.statusId = status;
    t.amount = core::Money::fromCents(1240);
    return t;
}

const core::TimePoint now = core::TimePoint(std::chrono::seconds(1'720'000'000));

} // namespace

BOOST_AUTO_TEST_SUITE(viva_orders_records)

BOOST_AUTO_TEST_CASE(order_created_and_refused) {
    const auto order =
        OrderCreated::fromJson(parse(R"({"OrderCode": 1234567890123456, "ErrorCode": 0,
                                         "ErrorText": null, "TimeStamp": "x"})"),
                               "order");
    BOOST_TEST(order.orderCode == "1234567890123456");
    BOOST_TEST(order.errorCode == 0);
    const auto refused = OrderCreated::fromJson(
        parse(R"({"OrderCode": 0, "ErrorCode": 403, "ErrorText": "Source not found"})"), "order");
    BOOST_TEST(refused.errorCode == 403);
    BOOST_TEST(refused.errorText == "Source not found");
    requireFieldError<ResponseError>(
        [] { OrderCreated::fromJson(parse(R"({"ErrorCode": 0})"), "order"); }, "order.OrderCode");
}

BOOST_AUTO_TEST_CASE(transactions_in_euros_flat_or_nested) {
    const auto list = TransactionList::fromJson(parse(R"({"Transactions": [
        {"TransactionId": "a", "Amount": 12.4, "StatusId": "F", "OrderCode": 1234567890123456,
         "MerchantTrns": "fiscpos:r-1", "CardNumber": "414746XXXXXX0133", "TerminalId": 16000010,
         "InsDate": "2024-05-10T16:43:40.12+03:00", "TransactionTypeId": 5},
        {"TransactionId": "b", "Amount": 0.3, "StatusId": "E",
         "Order": {"OrderCode": "1234567890123457"},
         "CreditCard": {"Number": "5239XXXXXXXX1234", "CardType": {"CardTypeId": 1,
         "Name": "MasterCard"}}, "TransactionType": {"TransactionTypeId": 5, "Name": "x"}}
      ], "ErrorCode": 0, "ErrorText": null})"),
                                                "transactions");
    BOOST_TEST_REQUIRE(list.transactions.size() == 2U);
    const auto& a = list.transactions[0];
    BOOST_TEST(a.amount.value().cents() == 1240);
    BOOST_TEST(a.orderCode == "1234567890123456");
    BOOST_TEST(a.merchantTrns == "fiscpos:r-1");
    BOOST_TEST(a.terminalId == "16000010");
    BOOST_TEST(a.paid());
    const auto& b = list.transactions[1];
    BOOST_TEST(b.amount.value().cents() == 30);
    BOOST_TEST(b.orderCode == "1234567890123457");
    BOOST_TEST(b.cardNumber == "5239XXXXXXXX1234");
    BOOST_TEST(b.cardType == "MasterCard");
    BOOST_TEST(b.transactionTypeId.value() == 5);
    BOOST_TEST(!b.paid());

    BOOST_TEST(TransactionList::fromJson(parse("[]"), "transactions").transactions.empty());
    BOOST_TEST(TransactionList::fromJson(parse(R"({"Transactions": null, "ErrorCode": 0})"),
                                         "transactions")
                   .transactions.empty());
    requireFieldError<ResponseError>(
        [] {
            TransactionList::fromJson(
                parse(R"({"Transactions": [{"TransactionId": "a", "Amount": 1.234}]})"),
                "transactions");
        },
        "transactions.Transactions[0].Amount");
    requireFieldError<ResponseError>(
        [] { TransactionList::fromJson(parse(R"({"Transactions": [{}]})"), "transactions"); },
        "transactions.Transactions[0].TransactionId");
}

BOOST_AUTO_TEST_CASE(a_paid_order_is_approved) {
    const auto report = reportOfOrder({transaction("E", "t-0"), transaction("F", "t-1")},
                                      "1234567890123456", now, now + seconds(60));
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.ids.intentId == "1234567890123456");
    BOOST_TEST(report.ids.networkTransactionRef == "t-1");
    BOOST_TEST(report.amount.value().cents() == 1240);
}

BOOST_AUTO_TEST_CASE(an_open_order_waits_and_an_expired_one_is_final) {
    auto report = reportOfOrder({}, "1", now, now + seconds(10));
    BOOST_TEST(report.stage == TerminalStage::OnDevice);
    report = reportOfOrder({}, "1", now, now - seconds(1));
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(report.message.find("expired unpaid") != std::string::npos);

    // A failed attempt while the order is payable: the cardholder may try again.
    report = reportOfOrder({transaction("E")}, "1", now, now + seconds(10));
    BOOST_TEST(report.stage == TerminalStage::OnDevice);
    report = reportOfOrder({transaction("E")}, "1", now, now - seconds(1));
    BOOST_TEST(report.outcome == PaymentOutcome::Declined);
    report = reportOfOrder({transaction("X")}, "1", now, std::nullopt);
    BOOST_TEST(report.outcome == PaymentOutcome::Cancelled);
}

BOOST_AUTO_TEST_SUITE_END()
