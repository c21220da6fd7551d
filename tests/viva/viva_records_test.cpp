// Tolerant reading of the Cloud Terminal API's answers (sessions, lists, devices, tokens) and the
// meaning of a final session: approved with its ids, or each eventId class as Declined, Cancelled
// or Failed with a message for the cashier.
#include "core/errors.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/session_outcome.hpp"
#include "viva/viva_records.hpp"
#include "viva/viva_terminal.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::PaymentOutcome;
using core::ResponseError;
using core::TerminalStage;

namespace {

Json parse(const std::string& text) {
    return core::parseJson(text, "session", core::JsonOrigin::Response);
}

// The contract's illustrative successful body, with the aadeTransactionId as a bare 21-digit
// number and the RRN as a number.
const char* approvedSession = R"({
  "sessionId": "4bdebe62-c211-4ca0-a994-b2fbea2061c5", "terminalId": 16000010,
  "cashRegisterId": "XDE384678UY", "amount": 1240, "currencyCode": "978",
  "merchantReference": "fiscpos:4bdebe62-c211-4ca0-a994-b2fbea2061c5", "customerTrns": null,
  "tipAmount": 0, "success": true, "eventId": 0, "message": "Transaction successful",
  "transactionId": "6cbd4b6e-1a5b-4a0e-9c51-3d7c2e8f9a10", "transactionTypeId": 5,
  "authorizationId": "123456", "retrievalReferenceNumber": 412345678901, "referenceNumber": 123456,
  "orderCode": 3112212881253546, "shortOrderCode": "2881253546", "panEntryMode": "07",
  "applicationLabel": "VISA", "bankId": "NET_VISA",
  "primaryAccountNumberMasked": "411111******1111", "aid": "A0000000031010",
  "verificationMethod": "NO_CVM", "tid": "16000010",
  "transactionDateTime": "2024-06-29T16:45:40.000Z", "installments": 0, "preauth": false,
  "aadeTransactionId": 116430909552789552789, "somethingNew": {"kept": true}
})";

Session failed(std::int64_t eventId, const std::string& message) {
    Json json = parse(R"({"sessionId": "s-1", "success": false, "transactionId": null,
                          "tid": null, "amount": 1240})");
    json["eventId"] = eventId;
    json["message"] = message;
    return Session::fromJson(json, "session");
}

core::TerminalReport reportFor(std::int64_t eventId, const std::string& message = "") {
    return reportOf(failed(eventId, message), testTid);
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_records)

BOOST_AUTO_TEST_CASE(approved_session_read_with_numbers_and_strings) {
    const Session session = Session::fromJson(parse(approvedSession), "session");
    BOOST_TEST(session.sessionId == "4bdebe62-c211-4ca0-a994-b2fbea2061c5");
    BOOST_TEST(session.terminalId == "16000010");
    BOOST_TEST(session.amount.value().cents() == 1240);
    BOOST_TEST(session.success.value());
    BOOST_TEST(session.retrievalReferenceNumber == "412345678901");
    BOOST_TEST(session.orderCode == "3112212881253546");
    // Too long for 64 bits, still read exactly.
    BOOST_TEST(session.aadeTransactionId == "116430909552789552789");
    BOOST_TEST(session.customerTrns.empty());
    BOOST_TEST(session.raw["somethingNew"]["kept"] == true);

    const core::TerminalReport report = reportOf(session, "other");
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.ids.intentId == "4bdebe62-c211-4ca0-a994-b2fbea2061c5");
    BOOST_TEST(report.ids.transactionId == "116430909552789552789");
    BOOST_TEST(report.ids.networkTransactionRef == "6cbd4b6e-1a5b-4a0e-9c51-3d7c2e8f9a10");
    BOOST_TEST(report.tid == "16000010");
    BOOST_TEST(report.rrn == "412345678901");
    BOOST_TEST(report.authCode == "123456");
    BOOST_TEST(report.maskedPan == "411111******1111");
    BOOST_TEST(report.cardType == "VISA");
    BOOST_TEST(report.amount.value().cents() == 1240);
}

BOOST_AUTO_TEST_CASE(tolerant_forms_of_success_amounts_and_ids) {
    const Session session = Session::fromJson(
        parse(R"({"sessionId": "s", "success": "True", "amount": "1170", "eventId": "0",
                  "tipAmount": 20, "cardType": "Debit", "applicationLabel": "MASTERCARD"})"),
        "session");
    BOOST_TEST(session.success.value());
    BOOST_TEST(session.amount.value().cents() == 1170);
    BOOST_TEST(session.tip.value().cents() == 20);
    BOOST_TEST(session.eventId.value() == 0);
    BOOST_TEST(reportOf(session, testTid).cardType == "Debit");
    // The TID of the configuration when the session names none.
    BOOST_TEST(reportOf(session, testTid).tid == testTid);
}

BOOST_AUTO_TEST_CASE(unreadable_fields_name_themselves) {
    requireFieldError<ResponseError>(
        [] { Session::fromJson(parse(R"({"success": "maybe"})"), "session"); }, "session.success");
    requireFieldError<ResponseError>(
        [] { Session::fromJson(parse(R"({"success": true, "amount": 11.70})"), "session"); },
        "session.amount");
    requireFieldError<ResponseError>(
        [] { Session::fromJson(parse(R"({"success": true, "amount": -5})"), "session"); },
        "session.amount");
    requireFieldError<ResponseError>(
        [] { Session::fromJson(parse(R"({"success": true, "eventId": {"id": 1}})"), "session"); },
        "session.eventId");
    requireFieldError<ResponseError>([] { Session::fromJson(parse("[1]"), "session"); }, "session");
}

BOOST_AUTO_TEST_CASE(session_lists_as_array_object_or_single) {
    const char* two = R"([{"sessionId": "a", "success": true}, {"sessionId": "b"}])";
    auto sessions = Session::listFromJson(parse(two), "sessions");
    BOOST_TEST_REQUIRE(sessions.size() == 2U);
    BOOST_TEST(sessions[0].sessionId == "a");
    BOOST_TEST(!sessions[1].success.has_value()); // listed, not final yet
    sessions = Session::listFromJson(
        parse(R"({"sessions": [{"sessionId": "c", "success": false}]})"), "sessions");
    BOOST_TEST_REQUIRE(sessions.size() == 1U);
    BOOST_TEST(sessions[0].sessionId == "c");
    sessions = Session::listFromJson(parse(R"({"sessionId": "d", "success": true})"), "sessions");
    BOOST_TEST_REQUIRE(sessions.size() == 1U);
    BOOST_TEST(Session::listFromJson(parse("[]"), "sessions").empty());
    requireFieldError<ResponseError>(
        [] { Session::listFromJson(parse(R"([{"sessionId": "a"}, 7])"), "sessions"); },
        "sessions[1]");
}

BOOST_AUTO_TEST_CASE(devices_and_their_status) {
    const auto devices = Device::listFromJson(
        parse(R"([{"terminalId": "16000010", "statusId": 1, "sourceCode": "1234",
                   "virtualTerminalId": "V1"}, {"terminalId": 16000011, "statusId": "7"}])"),
        "devices");
    BOOST_TEST_REQUIRE(devices.size() == 2U);
    BOOST_TEST(devices[0].terminalId == "16000010");
    BOOST_TEST(deviceStatusName(devices[0].statusId.value()) == "live");
    BOOST_TEST(devices[1].terminalId == "16000011");
    BOOST_TEST(deviceStatusName(devices[1].statusId.value()) == "locked");
    requireFieldError<ResponseError>(
        [] { Device::listFromJson(parse(R"([{"statusId": 1}])"), "devices"); },
        "devices[0].terminalId");
}

BOOST_AUTO_TEST_CASE(token_answer) {
    const AccessToken token = AccessToken::fromJson(
        parse(R"({"access_token": "eyJ.x.y", "expires_in": 3600, "token_type": "Bearer",
                  "scope": "urn:viva:payments:ecr:api"})"),
        "token");
    BOOST_TEST(token.accessToken == "eyJ.x.y");
    BOOST_TEST(token.expiresIn.value().count() == 3600);
    requireFieldError<ResponseError>(
        [] { AccessToken::fromJson(parse(R"({"expires_in": 3600})"), "token"); },
        "token.access_token");
    requireFieldError<ResponseError>(
        [] { AccessToken::fromJson(parse(R"({"access_token": "a", "expires_in": 0})"), "token"); },
        "token.expires_in");
}

BOOST_AUTO_TEST_CASE(declines_by_the_card_or_issuer) {
    for (const std::int64_t id : {1004, 1006, 1007, 1010, 1019, 1020}) {
        const auto report = reportFor(id, "Declined");
        BOOST_TEST(report.outcome == PaymentOutcome::Declined, "eventId " << id);
        BOOST_TEST(report.message.find("nothing was charged") != std::string::npos);
        BOOST_TEST(report.message.find("\"Declined\"") != std::string::npos);
    }
    BOOST_TEST(reportFor(1020).message.find("insufficient funds") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cancellations_on_the_terminal) {
    for (const std::int64_t id : {1000, 1003, 1016}) {
        BOOST_TEST(reportFor(id, "Canceled by user").outcome == PaymentOutcome::Cancelled,
                   "eventId " << id);
    }
}

BOOST_AUTO_TEST_CASE(busy_terminal_tells_the_cashier_what_to_do) {
    const auto report = reportFor(1100, "There is already a request in progress");
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.message.find("terminal busy") != std::string::npos, report.message);
    BOOST_TEST(report.message.find("finish or cancel it on the terminal") != std::string::npos);
    BOOST_TEST(report.networkStatus == "failed, eventId 1100");
    BOOST_TEST(report.ids.transactionId.empty());
}

BOOST_AUTO_TEST_CASE(expired_and_other_failures) {
    BOOST_TEST(reportFor(1102, "Transaction expired").outcome == PaymentOutcome::Failed);
    BOOST_TEST(reportFor(1102).message.find("Viva app is open") != std::string::npos);
    const auto signature = reportFor(1076, "Signature verification failed (ProviderID)");
    BOOST_TEST(signature.outcome == PaymentOutcome::Failed);
    BOOST_TEST(signature.message.find("provider_id") != std::string::npos);
    for (const std::int64_t id :
         {1001, 1002, 1008, 1009, 1011, 1012, 1013, 1014, 1017, 1018, 1021, 1077, 1083,
          1099, 1101, 2000, 3000, 3042, 4000, 5000, 5006, 6000, 6102, 6201, 7003, 8888}) {
        const auto report = reportFor(id);
        BOOST_TEST(report.outcome == PaymentOutcome::Failed, "eventId " << id);
        BOOST_TEST(report.message.find(std::to_string(id)) != std::string::npos, report.message);
    }
    BOOST_TEST(eventName(3042) == "terminal connection error");
    BOOST_TEST(eventName(8888) == "eventId 8888");
    // success false without an eventId: failed, not approved.
    const Session bare = Session::fromJson(parse(R"({"success": false})"), "session");
    BOOST_TEST(reportOf(bare, testTid).outcome == PaymentOutcome::Failed);
}

BOOST_AUTO_TEST_CASE(detail_of_an_answer) {
    BOOST_TEST(detailOf(R"({"detail":"The session is being processed"})").value_or("") ==
               "The session is being processed");
    BOOST_TEST(!detailOf("").has_value());
    BOOST_TEST(!detailOf("<html>").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
