// The C ABI as an ERP sees it: only the functions of include/fiscpos/fiscpos.h, JSON in and out,
// against the simulated provider and Mellon network.
#include "fiscpos/fiscpos.h"

#include "core/json.hpp"
#include "tests/abi/abi_world.hpp"

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace fiscpos;

namespace {

struct Answer {
    int status = -1;
    core::Json json;
};

// fiscpos_call with no Boost.Test macro, which must not run on two threads at once (its log is
// not thread-safe: ThreadSanitizer reports the race). The status and the response text, if any.
std::pair<int, std::optional<std::string>> callQuietly(fiscpos_handle* handle, const char* method,
                                                       const std::string& request) {
    char* response = nullptr;
    const int status = fiscpos_call(handle, method, request.c_str(), &response);
    std::optional<std::string> text;
    if (response != nullptr) {
        text = response;
        fiscpos_free(response);
    }
    return {status, text};
}

Answer answerOf(const std::pair<int, std::optional<std::string>>& raw) {
    BOOST_TEST_REQUIRE(raw.second.has_value());
    return {raw.first, core::parseJson(*raw.second, "response", core::JsonOrigin::Response)};
}

Answer call(fiscpos_handle* handle, const char* method, const std::string& request) {
    return answerOf(callQuietly(handle, method, request));
}

struct Opened {
    test::AbiWorld world;
    fiscpos_handle* handle = nullptr;

    explicit Opened(const char* name)
        : world(name) {
        char* error = nullptr;
        BOOST_TEST_REQUIRE(fiscpos_open(world.config.c_str(), &handle, &error) == FISCPOS_DONE);
        BOOST_TEST(error == nullptr);
    }
    ~Opened() { fiscpos_close(handle); }
    Opened(const Opened&) = delete;
    Opened& operator=(const Opened&) = delete;

    std::string payRequest(const std::string& terminal, const std::string& aa) const {
        return core::dumpJson({{"terminal", terminal},
                               {"invoice", core::parseJson(test::AbiWorld::invoiceJson(aa),
                                                           "invoice", core::JsonOrigin::Input)},
                               {"idempotency_key", "abi-" + aa}});
    }
};

void checkError(const Answer& answer, int status, const std::string& code) {
    BOOST_TEST(answer.status == status);
    BOOST_TEST(answer.json["ok"].get<bool>() == false);
    BOOST_TEST(answer.json["error"]["code"].get<std::string>() == code);
    BOOST_TEST(!answer.json["error"]["message"].get<std::string>().empty());
}

struct Steps {
    std::mutex mutex;
    std::vector<std::string> steps;
};

void recordStep(const char*, const char* step, const char*, void* user) {
    auto* steps = static_cast<Steps*>(user);
    std::lock_guard lock(steps->mutex);
    steps->steps.emplace_back(step);
}

// What the done callbacks of started methods heard.
struct Ended {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::pair<int, std::string>> answers;

    bool await(std::size_t n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(60),
                                [&] { return answers.size() >= n; });
    }
};

void recordEnd(int status, const char* response, void* user) {
    auto* ended = static_cast<Ended*>(user);
    std::lock_guard lock(ended->mutex);
    ended->answers.emplace_back(status, response);
    ended->changed.notify_all();
}

} // namespace

BOOST_AUTO_TEST_SUITE(c_abi)

BOOST_AUTO_TEST_CASE(pays_through_the_simulator_with_progress) {
    Opened fp("abi-pay");
    Steps steps;
    fiscpos_set_progress(fp.handle, recordStep, &steps);
    const auto paid = call(fp.handle, "pay", fp.payRequest("A3", "51"));
    BOOST_TEST_REQUIRE(paid.status == FISCPOS_DONE, core::dumpJson(paid.json));
    BOOST_TEST(paid.json["ok"].get<bool>());
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(paid.json["tid"].get<std::string>() == "99000031");
    BOOST_TEST(!steps.steps.empty());
    BOOST_TEST((std::find(steps.steps.begin(), steps.steps.end(), "signed") != steps.steps.end()));

    const std::string entry = paid.json["id"].get<std::string>();
    const auto status = call(fp.handle, "status", core::dumpJson({{"entry", entry}}));
    BOOST_TEST(status.status == FISCPOS_DONE);
    BOOST_TEST(status.json["id"].get<std::string>() == entry);

    const auto again = call(fp.handle, "pay", fp.payRequest("A3", "51"));
    BOOST_TEST(again.json["id"].get<std::string>() == entry); // never a second charge

    const auto details = call(fp.handle, "invoice", core::dumpJson({{"entry", entry}}));
    BOOST_TEST_REQUIRE(details.status == FISCPOS_DONE, core::dumpJson(details.json));
    const auto fragment = details.json["payment_method_details"].get<std::string>();
    BOOST_TEST(fragment.find("<type>7</type>") != std::string::npos, fragment);
    BOOST_TEST(fragment.find("99000031") != std::string::npos, fragment);
    BOOST_TEST(!details.json.contains("invoices_doc"));
    const auto withDoc =
        call(fp.handle, "invoice",
             core::dumpJson({{"entry", entry}, {"invoice", test::AbiWorld::invoiceJson("51")}}));
    BOOST_TEST_REQUIRE(withDoc.status == FISCPOS_DONE, core::dumpJson(withDoc.json));
    BOOST_TEST(withDoc.json["invoices_doc"].get<std::string>().find("InvoicesDoc") !=
               std::string::npos);

    // The invoice issued through the provider, once: the second call answers from the journal.
    const auto issued = call(fp.handle, "issue", core::dumpJson({{"entry", entry}}));
    BOOST_TEST_REQUIRE(issued.status == FISCPOS_DONE, core::dumpJson(issued.json));
    BOOST_TEST(issued.json["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(!issued.json["mark"].is_null());
    const auto issuedAgain = call(fp.handle, "issue", core::dumpJson({{"entry", entry}}));
    BOOST_TEST(issuedAgain.json["from_journal"].get<bool>());
    BOOST_TEST(issuedAgain.json["mark"] == issued.json["mark"]);

    // The receipt: its message in the language asked; sending needs a [mail] section.
    const auto shownReceipt =
        call(fp.handle, "receipt", core::dumpJson({{"entry", entry}, {"language", "en"}}));
    BOOST_TEST_REQUIRE(shownReceipt.status == FISCPOS_DONE, core::dumpJson(shownReceipt.json));
    BOOST_TEST(shownReceipt.json["url"] == issued.json["url"]);
    BOOST_TEST(shownReceipt.json["message"].get<std::string>().find("Paid by card") !=
               std::string::npos);
    BOOST_TEST(shownReceipt.json["deliveries"].empty());
    const auto noMail = call(fp.handle, "receipt",
                             core::dumpJson({{"entry", entry}, {"email", "maria@example.gr"}}));
    checkError(noMail, FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(noMail.json["error"]["field"].get<std::string>() == "mail");

    const auto listed = call(fp.handle, "journal", R"({"action": "list"})");
    BOOST_TEST(listed.json["entries"].size() == 1u);
    const auto shown =
        call(fp.handle, "journal", core::dumpJson({{"action", "show"}, {"entry", entry}}));
    BOOST_TEST(!shown.json["events"].empty());
    const auto verified = call(fp.handle, "journal", R"({"action": "verify"})");
    BOOST_TEST(verified.status == FISCPOS_DONE);
    BOOST_TEST(verified.json["ok"].get<bool>());
    const auto voided = call(fp.handle, "void", core::dumpJson({{"entry", entry}}));
    BOOST_TEST(voided.status == FISCPOS_DONE, core::dumpJson(voided.json));
    BOOST_TEST(voided.json["kind"].get<std::string>() == "void");
    BOOST_TEST(voided.json["original_entry"].get<std::string>() == entry);
    const auto reconciled = call(fp.handle, "reconcile", "");
    BOOST_TEST(reconciled.status == FISCPOS_DONE);
    BOOST_TEST(reconciled.json["entries"].empty());
}

BOOST_AUTO_TEST_CASE(bad_requests_answer_error_json) {
    Opened fp("abi-errors");
    checkError(call(fp.handle, "pay", "{not json"), FISCPOS_BAD_INPUT, "input");
    checkError(call(fp.handle, "pay", "[1, 2]"), FISCPOS_BAD_INPUT, "input");
    checkError(call(fp.handle, "charge", "{}"), FISCPOS_BAD_INPUT, "input");
    const auto unknownTerminal = call(fp.handle, "pay", fp.payRequest("Z9", "52"));
    checkError(unknownTerminal, FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(unknownTerminal.json["error"]["field"].get<std::string>() == "terminal");
    const auto noInvoice = call(fp.handle, "pay", R"({"terminal": "A3"})");
    checkError(noInvoice, FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(noInvoice.json["error"]["field"].get<std::string>() == "invoice");
    checkError(call(fp.handle, "status", R"({"entry": "no-such-entry"})"), FISCPOS_BAD_INPUT,
               "input");
    checkError(call(fp.handle, "invoice", R"({"entry": "no-such-entry"})"), FISCPOS_BAD_INPUT,
               "input");
    checkError(call(fp.handle, "journal", R"({"action": "drop"})"), FISCPOS_BAD_INPUT, "input");
    const auto pairWithoutTerminal = call(fp.handle, "pair", "{}");
    checkError(pairWithoutTerminal, FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(pairWithoutTerminal.json["error"]["field"].get<std::string>() == "terminal");
    checkError(call(fp.handle, "close_batch", R"({"terminal": "A3"})"), FISCPOS_BAD_INPUT,
               "not_supported"); // WebECR closes its batches by itself
    checkError(call(fp.handle, "refund", "{}"), FISCPOS_BAD_INPUT, "input");
    checkError(call(nullptr, "pay", "{}"), FISCPOS_BAD_INPUT, "input");
    checkError(call(fp.handle, nullptr, "{}"), FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(call(fp.handle, "journal", "{}").json["entries"].empty()); // nothing was written
}

BOOST_AUTO_TEST_CASE(viva_and_gptom_payments_go_through_the_same_calls) {
    Opened fp("abi-networks");
    const auto viva = call(fp.handle, "pay", fp.payRequest("V1", "61"));
    BOOST_TEST(viva.status == FISCPOS_DONE, core::dumpJson(viva.json));
    BOOST_TEST(viva.json["network"].get<std::string>() == "viva");
    BOOST_TEST(viva.json["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(!viva.json["transaction_id"].is_null()); // Viva's aadeTransactionId, for myDATA
    const auto voided = call(fp.handle, "void", core::dumpJson({{"entry", viva.json["id"]}}));
    BOOST_TEST(voided.status == FISCPOS_DONE, core::dumpJson(voided.json));

    const auto gptom = call(fp.handle, "pay", fp.payRequest("G1", "62"));
    BOOST_TEST(gptom.status == FISCPOS_DONE, core::dumpJson(gptom.json));
    BOOST_TEST(gptom.json["network"].get<std::string>() == "gptom");
    const auto closed = call(fp.handle, "close_batch", R"({"terminal": "G1"})");
    BOOST_TEST(closed.status == FISCPOS_DONE, core::dumpJson(closed.json));
    BOOST_TEST(closed.json["kind"].get<std::string>() == "batch_close");
    BOOST_TEST(closed.json["outcome"].get<std::string>().find("1 sales 1.24") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pair_saves_the_api_key_in_the_configuration_and_never_answers_it) {
    Opened fp("abi-pair");
    const auto paired = call(fp.handle, "pair", R"({"terminal": "A3", "code": "1234-5678"})");
    BOOST_TEST(paired.status == FISCPOS_DONE);
    BOOST_TEST(paired.json["ok"].get<bool>());
    BOOST_TEST(paired.json["saved_to"].get<std::string>() == fp.world.config.string());
    const std::string key = "c2ltLXdlYmVjci1rZXktMQ"; // what the simulated redeem gives
    BOOST_TEST(core::dumpJson(paired.json).find(key) == std::string::npos);
    std::ifstream in(fp.world.config);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(text.find("api_key = " + key) != std::string::npos);
    const auto badCode = call(fp.handle, "pair", R"({"terminal": "A3", "code": " - "})");
    checkError(badCode, FISCPOS_BAD_INPUT, "input");
    BOOST_TEST(badCode.json["error"]["field"].get<std::string>() == "code");
}

BOOST_AUTO_TEST_CASE(an_unpaired_terminal_leaves_the_others_working_and_can_be_paired) {
    test::AbiWorld world("abi-unpaired");
    std::string text;
    {
        std::ifstream in(world.config);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // [terminal.A3] as the installer writes it before pairing: no api_key yet.
    const std::string key = "api_key = c2ltLXdlYmVjci1rZXktMQ\n";
    text.erase(text.find(key), key.size());
    std::ofstream(world.config, std::ios::trunc) << text;

    fiscpos_handle* handle = nullptr;
    char* error = nullptr;
    BOOST_TEST_REQUIRE(fiscpos_open(world.config.c_str(), &handle, &error) == FISCPOS_DONE);
    const auto request = [](const std::string& terminal, const std::string& aa) {
        return core::dumpJson({{"terminal", terminal},
                               {"invoice", core::parseJson(test::AbiWorld::invoiceJson(aa),
                                                           "invoice", core::JsonOrigin::Input)},
                               {"idempotency_key", "unpaired-" + aa}});
    };
    const auto refused = call(handle, "pay", request("A3", "81"));
    BOOST_TEST(refused.status == FISCPOS_BAD_INPUT, core::dumpJson(refused.json));
    BOOST_TEST(refused.json["error"]["field"].get<std::string>() == "terminal.A3.api_key");
    const auto journal = call(handle, "journal", "{}");
    BOOST_TEST_REQUIRE(journal.json.at("entries").is_array());
    BOOST_TEST(journal.json.at("entries").empty()); // nothing written, nothing signed

    const auto paid = call(handle, "pay", request("A4", "82"));
    BOOST_TEST(paid.status == FISCPOS_DONE, core::dumpJson(paid.json));
    BOOST_TEST(paid.json["state"].get<std::string>() == "APPROVED");

    const auto paired = call(handle, "pair", R"({"terminal": "A3", "code": "1234-5678"})");
    BOOST_TEST(paired.status == FISCPOS_DONE, core::dumpJson(paired.json));
    fiscpos_close(handle);
    std::ifstream in(world.config);
    const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(after.find(key) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(open_refuses_a_missing_configuration) {
    fiscpos_handle* handle = nullptr;
    char* error = nullptr;
    BOOST_TEST(fiscpos_open("/nonexistent/fiscpos.ini", &handle, &error) == FISCPOS_BAD_INPUT);
    BOOST_TEST(handle == nullptr);
    BOOST_TEST_REQUIRE(error != nullptr);
    const auto json = core::parseJson(error, "error", core::JsonOrigin::Response);
    fiscpos_free(error);
    BOOST_TEST(json["ok"].get<bool>() == false);
    BOOST_TEST(json["error"]["code"].get<std::string>() == "config");
    BOOST_TEST(fiscpos_open(nullptr, &handle, nullptr) == FISCPOS_BAD_INPUT);
    fiscpos_close(nullptr);
    fiscpos_free(nullptr);
    BOOST_TEST(std::string(fiscpos_version()) == FISCPOS_VERSION);
}

BOOST_AUTO_TEST_CASE(terminals_lists_the_mellon_account) {
    Opened fp("abi-terminals");
    const auto listed = call(fp.handle, "terminals", R"({"terminal": "A4"})");
    BOOST_TEST_REQUIRE(listed.status == FISCPOS_DONE, core::dumpJson(listed.json));
    int configured = 0;
    for (const auto& device : listed.json["devices"]) {
        if (device["configured"].get<bool>()) {
            ++configured;
            BOOST_TEST(device["tid"].get<std::string>() == "99000032");
        }
    }
    BOOST_TEST(configured == 1);
    checkError(call(fp.handle, "terminals", R"({"terminal": "Z9"})"), FISCPOS_BAD_INPUT, "input");
}

BOOST_AUTO_TEST_CASE(two_threads_pay_on_two_terminals_at_once) {
    Opened fp("abi-threads");
    const std::string requestA3 = fp.payRequest("A3", "61");
    const std::string requestA4 = fp.payRequest("A4", "62");
    std::pair<int, std::optional<std::string>> rawA3;
    std::pair<int, std::optional<std::string>> rawA4;
    std::thread first([&] { rawA3 = callQuietly(fp.handle, "pay", requestA3); });
    std::thread second([&] { rawA4 = callQuietly(fp.handle, "pay", requestA4); });
    first.join();
    second.join();
    const Answer onA3 = answerOf(rawA3);
    const Answer onA4 = answerOf(rawA4);
    BOOST_TEST(onA3.status == FISCPOS_DONE, core::dumpJson(onA3.json));
    BOOST_TEST(onA4.status == FISCPOS_DONE, core::dumpJson(onA4.json));
    BOOST_TEST(onA3.json["tid"].get<std::string>() == "99000031");
    BOOST_TEST(onA4.json["tid"].get<std::string>() == "99000032");
    BOOST_TEST(onA3.json["id"] != onA4.json["id"]);
    const auto verified = call(fp.handle, "journal", R"({"action": "verify"})");
    BOOST_TEST(verified.json["ok"].get<bool>());
    BOOST_TEST(call(fp.handle, "journal", "{}").json["entries"].size() == 2u);
}

// fiscpos_start returns once the entry is open; done hears what fiscpos_call would have answered,
// exactly once per start; bad input and methods that do not wait are refused at once.
BOOST_AUTO_TEST_CASE(started_payments_end_in_their_callbacks) {
    Ended ended; // before the handle: fiscpos_close runs the last callbacks
    Opened fp("abi-start");
    char* response = nullptr;
    BOOST_TEST_REQUIRE(fiscpos_start(fp.handle, "pay", fp.payRequest("A3", "71").c_str(), recordEnd,
                                     &ended, &response) == FISCPOS_DONE);
    BOOST_TEST_REQUIRE(response != nullptr);
    const auto started = core::parseJson(response, "response", core::JsonOrigin::Response);
    fiscpos_free(response);
    BOOST_TEST(started["started"].get<bool>());
    const std::string entry = started["entry"]["id"].get<std::string>();
    BOOST_TEST(fiscpos_start(fp.handle, "pay", fp.payRequest("A4", "72").c_str(), recordEnd, &ended,
                             nullptr) == FISCPOS_DONE);
    BOOST_TEST_REQUIRE(ended.await(2));
    int approved = 0;
    {
        std::lock_guard lock(ended.mutex);
        for (const auto& [status, text] : ended.answers) {
            const auto answer = core::parseJson(text, "done", core::JsonOrigin::Response);
            BOOST_TEST(status == FISCPOS_DONE, text);
            approved += answer["state"] == "APPROVED" ? 1 : 0;
        }
    }
    BOOST_TEST(approved == 2);
    BOOST_TEST(call(fp.handle, "status", core::dumpJson({{"entry", entry}})).json["state"] ==
               "APPROVED");

    // The same key started again: the same entry, no second charge.
    response = nullptr;
    BOOST_TEST(fiscpos_start(fp.handle, "pay", fp.payRequest("A3", "71").c_str(), recordEnd, &ended,
                             &response) == FISCPOS_DONE);
    const auto again = core::parseJson(response, "response", core::JsonOrigin::Response);
    fiscpos_free(response);
    BOOST_TEST(again["entry"]["id"].get<std::string>() == entry);
    BOOST_TEST_REQUIRE(ended.await(3));

    response = nullptr;
    BOOST_TEST(fiscpos_start(fp.handle, "journal", "{}", recordEnd, &ended, &response) ==
               FISCPOS_BAD_INPUT);
    checkError(
        {FISCPOS_BAD_INPUT, core::parseJson(response, "response", core::JsonOrigin::Response)},
        FISCPOS_BAD_INPUT, "input");
    fiscpos_free(response);
    response = nullptr;
    BOOST_TEST(fiscpos_start(fp.handle, "pay", R"({"terminal": "Z9"})", recordEnd, &ended,
                             &response) == FISCPOS_BAD_INPUT);
    fiscpos_free(response);
    BOOST_TEST(fiscpos_start(fp.handle, "pay", fp.payRequest("A3", "73").c_str(), nullptr, nullptr,
                             nullptr) == FISCPOS_BAD_INPUT);
    std::lock_guard lock(ended.mutex);
    BOOST_TEST(ended.answers.size() == 3u); // refused starts never call back
}

BOOST_AUTO_TEST_SUITE_END()
