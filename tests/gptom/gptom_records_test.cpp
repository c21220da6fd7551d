// Reading GP tom's answers in the provisional wire format: task views with their states as names
// or numbers, transactions with their results, batch totals, task lists, error bodies; tolerant
// of spellings and unknown fields, never reading an unknown value as a result.
#include "core/errors.hpp"
#include "gptom/provisional_api.hpp"
#include "tests/gptom/gptom_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::gptom;
using core::Json;

namespace {

Json taskJson(const Json& state) {
    return Json{{"taskId", "c0a80101-0000-4000-8000-000000000001"},
                {"taskType", "TRANSACTION"},
                {"state", state},
                {"tid", "12345678"},
                {"originReferenceNum", "A-2-7f3c9e"},
                {"created", "2025-05-10T13:43:40Z"},
                {"updated", "2025-05-10T13:43:52Z"},
                {"error", nullptr},
                {"transaction", nullptr}};
}

Json transactionJson() {
    return core::parseJson(R"({
        "amsID": "9876543210", "transactionID": "t-1", "terminalID": "12345678",
        "merchantID": "m-1", "transactionType": "CARD", "amount": 1240, "totalAmount": 1240,
        "tipAmount": 0, "currencyCode": "EUR", "result": "APPROVED",
        "authorizationCode": "123456", "referenceNumber": "412345678901",
        "sequenceNumber": "000123", "batchNumber": "42", "receiptNumber": 17,
        "cardNumber": "************1111", "cardType": "VISA", "cardEntryMode": "CONTACTLESS",
        "emvAid": "A0000000031010", "pinOk": false, "date": "2025-05-10T13:43:52Z",
        "somethingNew": {"a": 1}})",
                           "transaction", core::JsonOrigin::Input);
}

} // namespace

BOOST_AUTO_TEST_SUITE(gptom_records)

BOOST_AUTO_TEST_CASE(task_states_by_name_and_number) {
    struct Row {
        Json state;
        TaskState expected;
        bool running;
    };
    const Row rows[] = {
        {"CREATED", TaskState::Pending, false},
        {"queued", TaskState::Pending, false},
        {"STARTED", TaskState::Pending, true},
        {"In_Progress", TaskState::Pending, true},
        {1, TaskState::Pending, false},
        {2, TaskState::Pending, true},
        {5, TaskState::Pending, true},
        {"COMPLETED", TaskState::Done, false},
        {"finished", TaskState::Done, false},
        {6, TaskState::Done, false},
        {"6", TaskState::Done, false},
        {"FAILED", TaskState::Failed, false},
        {"INIT_ERROR", TaskState::Failed, false},
        {3, TaskState::Failed, false},
        {8, TaskState::Failed, false},
        {"CANCELED", TaskState::Cancelled, false},
        {7, TaskState::Cancelled, false},
        {"PAUSED", TaskState::Unknown, false},
        {4, TaskState::Unknown, false},
        {"", TaskState::Unknown, false},
    };
    for (const auto& row : rows) {
        const TaskView task = provisional::readTask(taskJson(row.state), "task");
        BOOST_TEST((task.state == row.expected), row.state.dump());
        BOOST_TEST(task.running == row.running, row.state.dump());
    }
}

BOOST_AUTO_TEST_CASE(a_task_view_is_read_whole_and_kept_raw) {
    Json json = taskJson("FAILED");
    json["error"] = Json{{"code", "EXCEPTION"},
                         {"internalErrorCode", 1124},
                         {"internalErrorSubCode", nullptr},
                         {"platform", "ANDROID"},
                         {"message", "the app failed"}};
    json["transaction"] = transactionJson();
    json["extra"] = "kept";
    const TaskView task = provisional::readTask(json, "task");
    BOOST_TEST(task.taskId == "c0a80101-0000-4000-8000-000000000001");
    BOOST_TEST((task.kind == TaskKind::Transaction));
    BOOST_TEST(task.stateText == "FAILED");
    BOOST_TEST(task.tid == "12345678");
    BOOST_TEST(task.reference == "A-2-7f3c9e");
    BOOST_TEST_REQUIRE(task.created.has_value());
    BOOST_TEST(core::utcIso8601(*task.created) == "2025-05-10T13:43:40Z");
    BOOST_TEST_REQUIRE(task.error.has_value());
    BOOST_TEST(task.error->code == "EXCEPTION");
    BOOST_TEST(task.error->internalErrorCode == "1124");
    BOOST_TEST(task.error->describe() == "error EXCEPTION (internal 1124): the app failed");
    BOOST_TEST_REQUIRE(task.transaction.has_value());
    BOOST_TEST(task.transaction->amsId == "9876543210");
    BOOST_TEST(task.raw["extra"] == "kept");
}

BOOST_AUTO_TEST_CASE(ids_as_numbers_or_strings_under_either_spelling) {
    Json json = taskJson("CREATED");
    json.erase("taskId");
    json["id"] = 4711;
    json["taskType"] = "close_batch";
    const TaskView task = provisional::readTask(json, "task");
    BOOST_TEST(task.taskId == "4711");
    BOOST_TEST((task.kind == TaskKind::CloseBatch));

    Json detail = transactionJson();
    detail.erase("amsID");
    detail["amsId"] = 9876543211;
    BOOST_TEST(provisional::readTransaction(detail, "transaction").amsId == "9876543211");
}

BOOST_AUTO_TEST_CASE(a_task_without_id_or_state_names_the_field) {
    Json noId = taskJson("CREATED");
    noId.erase("taskId");
    gptom::test::requireFieldError<core::ResponseError>(
        [&] { provisional::readTask(noId, "task"); }, "task.taskId");
    Json noState = taskJson("CREATED");
    noState.erase("state");
    gptom::test::requireFieldError<core::ResponseError>(
        [&] { provisional::readTask(noState, "task"); }, "task.state");
    gptom::test::requireFieldError<core::ResponseError>(
        [&] { provisional::readTask(taskJson(Json::array()), "task"); }, "task.state");
    gptom::test::requireFieldError<core::ResponseError>(
        [&] { provisional::readTask(Json::array(), "task"); }, "task");
}

BOOST_AUTO_TEST_CASE(a_transaction_detail_in_minor_units) {
    const TxnDetail detail = provisional::readTransaction(transactionJson(), "transaction");
    BOOST_TEST((detail.outcome == TxnOutcome::Approved));
    BOOST_TEST(detail.result == "APPROVED");
    BOOST_TEST_REQUIRE(detail.amount.has_value());
    BOOST_TEST(detail.amount->toString() == "12.40");
    BOOST_TEST(detail.tip->cents() == 0);
    BOOST_TEST(detail.terminalId == "12345678");
    BOOST_TEST(detail.authorizationCode == "123456");
    BOOST_TEST(detail.referenceNumber == "412345678901");
    BOOST_TEST(detail.batchNumber == "42");
    BOOST_TEST(detail.receiptNumber == "17");
    BOOST_TEST(detail.cardNumber == "************1111");
    BOOST_TEST(detail.at.has_value());
    BOOST_TEST(detail.raw["somethingNew"]["a"] == 1);

    // An amount that is not whole minor units is unreadable, not rounded.
    Json euros = transactionJson();
    euros["amount"] = core::decimalNumber(core::Money::fromCents(1240));
    gptom::test::requireFieldError<core::ResponseError>(
        [&] { provisional::readTransaction(euros, "transaction"); }, "transaction.amount");
}

BOOST_AUTO_TEST_CASE(results_map_to_outcomes_and_unknown_values_stay_unknown) {
    struct Row {
        Json result;
        TxnOutcome expected;
    };
    const Row rows[] = {
        {"APPROVED", TxnOutcome::Approved},
        {0, TxnOutcome::Approved},
        {"00", TxnOutcome::Approved},
        {"declined", TxnOutcome::Declined},
        {-4, TxnOutcome::Declined},
        {"CANCELLED", TxnOutcome::Cancelled},
        {"ERROR", TxnOutcome::Error},
        {"FAILED", TxnOutcome::Error},
        {-1, TxnOutcome::Error},
        {"PARTIALLY_APPROVED", TxnOutcome::Unknown},
        {-3, TxnOutcome::Unknown},
        {"1", TxnOutcome::Unknown},
    };
    for (const auto& row : rows) {
        BOOST_TEST((provisional::txnOutcomeOf(row.result) == row.expected), row.result.dump());
    }
    Json noResult = transactionJson();
    noResult.erase("result");
    BOOST_TEST((provisional::readTransaction(noResult, "t").outcome == TxnOutcome::Unknown));
}

BOOST_AUTO_TEST_CASE(batch_totals) {
    const Json json{{"amsId", "B-1"},        {"batchNumber", 42},  {"saleAmount", 123400},
                    {"saleCount", 57},       {"voidAmount", 1240}, {"voidCount", 1},
                    {"totalAmount", 122160}, {"totalCount", 58},   {"subBatches", Json::array()}};
    const BatchResult batch = provisional::readBatch(json, "batch");
    BOOST_TEST(batch.batchNumber == "42");
    BOOST_TEST(batch.saleCount == 57);
    BOOST_TEST(batch.saleAmount.toString() == "1234.00");
    BOOST_TEST(batch.voidCount == 1);
    BOOST_TEST(batch.voidAmount.toString() == "12.40");
    BOOST_TEST(batch.totalAmount.toString() == "1221.60");
    BOOST_TEST(batch.raw["subBatches"].is_array());
}

BOOST_AUTO_TEST_CASE(task_lists_bare_or_wrapped) {
    const Json one = taskJson("CREATED");
    BOOST_TEST(provisional::readTaskList(Json::array({one, one}), "tasks").size() == 2U);
    BOOST_TEST(provisional::readTaskList(Json{{"content", Json::array({one})}}, "tasks").size() ==
               1U);
    BOOST_TEST(provisional::readTaskList(Json{{"results", Json::array()}}, "tasks").empty());
    gptom::test::requireFieldError<core::ResponseError>(
        [] {
            provisional::readTaskList(Json{{"total", 0}}, "tasks");
        },
        "tasks.content");
}

BOOST_AUTO_TEST_CASE(error_bodies_are_summed_up) {
    BOOST_TEST(provisional::errorText(R"({"message":"amsID: unknown"})") == "amsID: unknown");
    BOOST_TEST(provisional::errorText(R"({"error":"invalid_grant","error_description":"Bad"})") ==
               "Bad");
    BOOST_TEST(provisional::errorText(R"({"error":"invalid_token"})") == "invalid_token");
    BOOST_TEST(provisional::errorText("<html>busy</html>") == "<html>busy</html>");
    BOOST_TEST(provisional::errorText(std::string(400, 'x')).size() == 303U);
}

BOOST_AUTO_TEST_SUITE_END()
