// Tolerant reading of WebECR answers: intents, transactions, terminals and pages as the back ends
// write them (Id or id, Transaction as a number or an object, ids as strings or numbers).
#include "core/errors.hpp"
#include "mellon/webecr_records.hpp"
#include "mellon/webecr_terminal.hpp"
#include "tests/mellon/mellon_test_support.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::Json;
using fiscpos::core::Money;
using fiscpos::core::PaymentOutcome;
using fiscpos::core::ResponseError;
using fiscpos::core::TerminalStage;
using namespace fiscpos::mellon;
using fiscpos::mellon::test::requireFieldError;

namespace {

Json completedIntent() {
    return Json::parse(R"({
        "Id": 1234567, "Status": 3, "Result": 1,
        "TxnType": 0, "Amount": 1240, "TipAmount": 0, "CurrencyCode": 978, "Instalments": 0,
        "CustomerReference": "b7775c92-0be9-4005-9450-e45769e593e2",
        "Terminal": 358154,
        "Transaction": 8091750,
        "TransactionId": "075121702285176315144",
        "Timestamp": "2024-07-01T15:19:48.123456Z",
        "SomethingNew": {"kept": true}
    })");
}

} // namespace

BOOST_AUTO_TEST_SUITE(webecr_records)

BOOST_AUTO_TEST_CASE(intent_with_capital_id_and_numeric_transaction) {
    const Intent intent = Intent::fromJson(completedIntent(), "intent");
    BOOST_TEST(intent.id == "1234567");
    BOOST_TEST(intent.status == 3);
    BOOST_TEST(intent.result.value_or(0) == 1);
    BOOST_TEST(intent.amount.value().cents() == 1240);
    BOOST_TEST(intent.customerReference == "b7775c92-0be9-4005-9450-e45769e593e2");
    BOOST_TEST(intent.terminal == "358154");
    BOOST_TEST(intent.transactionRef == "8091750");
    BOOST_TEST(!intent.transaction.has_value());
    BOOST_TEST(intent.transactionId == "075121702285176315144");
    BOOST_TEST_REQUIRE(intent.createdAt.has_value());
    BOOST_TEST(fiscpos::core::utcIso8601(*intent.createdAt) == "2024-07-01T15:19:48Z");
    // Unknown fields stay in the raw answer.
    BOOST_TEST(intent.raw["SomethingNew"]["kept"] == true);
}

BOOST_AUTO_TEST_CASE(intent_with_lowercase_id_and_embedded_transaction) {
    Json json = completedIntent();
    json.erase("Id");
    json["id"] = "998877";
    json["Transaction"] = Json::parse(R"({"Id": "8091750", "TID": 99000031, "MID": "11719",
        "RRN": 412345678901, "AuthCode": "A1B2C3", "CardPAN": "4111********1111",
        "CardType": "VISA", "STAN": 17, "BatchNumber": 1, "CustomerReceipt": "..."})");
    const Intent intent = Intent::fromJson(json, "intent");
    BOOST_TEST(intent.id == "998877");
    BOOST_TEST_REQUIRE(intent.transaction.has_value());
    BOOST_TEST(intent.transactionRef == "8091750");
    // Numbers where strings belong are read as their digits.
    BOOST_TEST(intent.transaction->tid == "99000031");
    BOOST_TEST(intent.transaction->rrn == "412345678901");
    BOOST_TEST(intent.transaction->cardPan == "4111********1111");
    BOOST_TEST(intent.transaction->stan == "17");

    const fiscpos::core::TerminalReport report = reportOf(intent);
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST((report.outcome == PaymentOutcome::Approved));
    BOOST_TEST(report.ids.intentId == "998877");
    BOOST_TEST(report.ids.transactionId == "075121702285176315144");
    BOOST_TEST(report.ids.networkTransactionRef == "8091750");
    BOOST_TEST(report.rrn == "412345678901");
    BOOST_TEST(report.authCode == "A1B2C3");
    BOOST_TEST(report.maskedPan == "4111********1111");
    BOOST_TEST(report.cardType == "VISA");
    BOOST_TEST(report.tid == "99000031");
}

BOOST_AUTO_TEST_CASE(pending_intent_has_no_result) {
    const Intent intent = Intent::fromJson(
        Json::parse(R"({"id": 5, "Status": 1, "Result": null, "Transaction": null})"), "intent");
    BOOST_TEST(!intent.result.has_value());
    BOOST_TEST(intent.transactionRef.empty());
    BOOST_TEST(!intent.createdAt.has_value());
    BOOST_TEST(reportOf(intent).stage == TerminalStage::Pending);
    BOOST_TEST(reportOf(intent).networkStatus == "PENDING");
}

BOOST_AUTO_TEST_CASE(intent_errors_name_the_field) {
    requireFieldError<ResponseError>(
        [] { Intent::fromJson(Json::parse(R"({"Status": 1})"), "intent"); }, "intent.Id");
    requireFieldError<ResponseError>(
        [] { Intent::fromJson(Json::parse(R"({"Id": 1})"), "intent"); }, "intent.Status");
    requireFieldError<ResponseError>(
        [] { Intent::fromJson(Json::parse(R"({"Id": 1, "Status": "3"})"), "intent"); },
        "intent.Status");
    requireFieldError<ResponseError>(
        [] { Intent::fromJson(Json::parse(R"({"Id": 1, "Status": 3, "Result": 1.5})"), "intent"); },
        "intent.Result");
    requireFieldError<ResponseError>(
        [] { Intent::fromJson(Json::parse(R"({"Id": 1, "Status": 3, "Amount": "12.40"})"), "x"); },
        "x.Amount");
    requireFieldError<ResponseError>(
        [] {
            Intent::fromJson(Json::parse(R"({"Id": 1, "Status": 3, "Transaction": {"TID": []}})"),
                             "intent");
        },
        "intent.Transaction.TID");
    requireFieldError<ResponseError>([] { Intent::fromJson(Json::array(), "intent"); }, "intent");
    // A status the contract does not know is not guessed at.
    requireFieldError<ResponseError>(
        [] { reportOf(Intent::fromJson(Json::parse(R"({"Id": 1, "Status": 9})"), "i")); },
        "intent.Status");
}

BOOST_AUTO_TEST_CASE(every_result_maps_to_an_outcome_and_message) {
    struct Case {
        int result;
        PaymentOutcome outcome;
        const char* status;
        const char* words;
    };
    const Case cases[] = {
        {1, PaymentOutcome::Approved, "COMPLETED/APPROVED", "approved"},
        {2, PaymentOutcome::Declined, "COMPLETED/DECLINED", "declined"},
        {3, PaymentOutcome::Cancelled, "COMPLETED/CANCELLED", "cancelled on the terminal"},
        {4, PaymentOutcome::Failed, "COMPLETED/FAILED", "nothing was charged"},
        {5, PaymentOutcome::InDoubt, "COMPLETED/UNKNOWN", "do not charge again"},
        {6, PaymentOutcome::Failed, "COMPLETED/BUSY", "terminal busy"},
        {7, PaymentOutcome::Failed, "COMPLETED/MAX_TRANSACTIONS",
         "batch full: close the batch on the terminal"},
        {8, PaymentOutcome::InDoubt, "COMPLETED/RESULT ?", "in doubt"},
    };
    for (const Case& c : cases) {
        Json json{{"Id", 1}, {"Status", 3}, {"Result", c.result}};
        const auto report = reportOf(Intent::fromJson(json, "intent"));
        BOOST_TEST(report.stage == TerminalStage::Final);
        BOOST_TEST((report.outcome == c.outcome), "result " << c.result);
        BOOST_TEST(report.networkStatus == c.status);
        BOOST_TEST(report.message.find(c.words) != std::string::npos,
                   "result " << c.result << ": " << report.message);
    }
    const auto sent = reportOf(Intent::fromJson(Json{{"Id", 1}, {"Status", 2}}, "intent"));
    BOOST_TEST(sent.stage == TerminalStage::OnDevice);
    BOOST_TEST(!sent.outcome.has_value());
    const auto noResult = reportOf(Intent::fromJson(Json{{"Id", 1}, {"Status", 3}}, "intent"));
    BOOST_TEST((noResult.outcome == PaymentOutcome::InDoubt));
}

BOOST_AUTO_TEST_CASE(transaction_record) {
    const Transaction t = Transaction::fromJson(Json::parse(R"({
        "Id": "8091750", "ExternalId": "075121702285176315144", "Approved": true, "Voided": false,
        "TxnType": 0, "STAN": 42, "BatchNumber": 3, "Amount": 999, "TipAmount": 0,
        "Timestamp": "2024-07-01T15:19:48Z", "VoidTimestamp": null, "CardPAN": "5123********0008",
        "TID": "99000031", "MID": "11719", "RRN": "412345678901", "AuthCode": null,
        "CustomerReference": "ref-1", "CardType": "MASTERCARD", "Cryptogram": "ABCD"})"),
                                                "transaction");
    BOOST_TEST(t.id == "8091750");
    BOOST_TEST(t.externalId == "075121702285176315144");
    BOOST_TEST(t.approved.value_or(false));
    BOOST_TEST(!t.voided);
    BOOST_TEST(t.amount.value().cents() == 999);
    BOOST_TEST(t.stan == "42");
    BOOST_TEST(t.batchNumber == "3");
    BOOST_TEST(t.authCode.empty());
    BOOST_TEST(t.customerReference == "ref-1");
    BOOST_TEST(t.at.has_value());
    BOOST_TEST(t.raw["Cryptogram"] == "ABCD");

    // The older client's id name.
    BOOST_TEST(Transaction::fromJson(Json{{"TxnId", 77}}, "t").id == "77");
    requireFieldError<ResponseError>(
        [] {
            Transaction::fromJson(Json{{"Approved", "yes"}}, "transactions.results[0]");
        },
        "transactions.results[0].Approved");
}

BOOST_AUTO_TEST_CASE(terminal_entry) {
    const TerminalInfo info = TerminalInfo::fromJson(
        Json::parse(R"({"id": 358046, "TerminalID": "64999964", "FriendlyName": "Test softPOS",
            "TerminalType": 100, "Merchant": "11719", "Acquirer": 11, "Locked": false,
            "CurrentBatchNumber": 1})"),
        "terminal");
    BOOST_TEST(info.id == "358046");
    BOOST_TEST(info.tid == "64999964");
    BOOST_TEST(info.friendlyName == "Test softPOS");
    BOOST_TEST(info.acquirer.value_or(0) == 11);
    BOOST_TEST(!info.locked);
    requireFieldError<ResponseError>(
        [] {
            TerminalInfo::fromJson(Json{{"TerminalID", "1"}}, "terminals.results[2]");
        },
        "terminals.results[2].id");
}

BOOST_AUTO_TEST_CASE(pages) {
    const Page page = Page::fromJson(
        Json::parse(R"({"count": 3, "next": "http://h/api/v2.2/terminal/?limit=2&offset=2",
                        "previous": null, "results": [{"id": 1}, {"id": 2}]})"),
        "terminals");
    BOOST_TEST(page.count.value_or(0) == 3);
    BOOST_TEST(page.next == "http://h/api/v2.2/terminal/?limit=2&offset=2");
    BOOST_TEST(page.results.size() == 2U);

    const Page last = Page::fromJson(Json::parse(R"({"next": null, "results": []})"), "p");
    BOOST_TEST(last.next.empty());
    const Page bare = Page::fromJson(Json::parse(R"([{"id": 1}])"), "p");
    BOOST_TEST(bare.results.size() == 1U);
    BOOST_TEST(bare.next.empty());

    requireFieldError<ResponseError>(
        [] {
            Page::fromJson(Json{{"count", 0}}, "intents");
        },
        "intents.results");
    requireFieldError<ResponseError>(
        [] {
            Page::fromJson(Json{{"results", Json::object()}}, "intents");
        },
        "intents.results");
}

BOOST_AUTO_TEST_SUITE_END()
