// What each gateway's delivery-report callback says, read as fiscpos serve receives it: the state
// words mapped, per part for Routee, and a callback that is not one refused naming the field.
#include "core/errors.hpp"
#include "sms/sms_gateway.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using sms::DeliveryState;

namespace {

std::vector<sms::DeliveryReport> read(const std::string& gateway, core::ServerRequest request) {
    const auto* module = sms::builtinGateways().find(gateway);
    BOOST_TEST_REQUIRE(module != nullptr);
    return module->readReports(request);
}

core::ServerRequest yubotoCallback(const std::string& query) {
    core::ServerRequest request;
    request.method = "GET";
    BOOST_TEST_REQUIRE(request.setTarget("/webhooks/sms/t?" + query));
    return request;
}

core::ServerRequest routeeCallback(const std::string& body) {
    core::ServerRequest request;
    request.method = "POST";
    request.path = "/webhooks/sms/t";
    request.body = body;
    return request;
}

} // namespace

BOOST_AUTO_TEST_SUITE(delivery_reports)

BOOST_AUTO_TEST_CASE(yuboto_words_map_to_delivered_failed_or_pending) {
    const auto delivered = read("yuboto", yubotoCallback("messageId=M1&statusDescription=Delivered"
                                                         "&option1=abc.r1&receiver=306912345678"));
    BOOST_TEST_REQUIRE(delivered.size() == 1U);
    BOOST_TEST(delivered[0].gatewayId == "M1");
    BOOST_TEST(delivered[0].reference == "abc.r1");
    BOOST_TEST((delivered[0].state == DeliveryState::Delivered));
    for (const std::string failed : {"Not%20Delivered", "Expired", "Rejected", "Unknown"}) {
        BOOST_TEST(
            (read("yuboto", yubotoCallback("messageId=M&statusDescription=" + failed))[0].state ==
             DeliveryState::Failed),
            failed);
    }
    BOOST_TEST((read("yuboto", yubotoCallback("messageId=M&statusDescription=Buffered"))[0].state ==
                DeliveryState::Pending));
}

BOOST_AUTO_TEST_CASE(routee_reports_each_part) {
    const auto reports =
        read("routee", routeeCallback(R"({"messageId": "T1", "part": 2, "parts": 2, "label": "x.r1",
            "status": {"name": "Undelivered", "reason": {"detailedStatus": "Unknown Number"}}})"));
    BOOST_TEST_REQUIRE(reports.size() == 1U);
    BOOST_TEST(reports[0].part == 2);
    BOOST_TEST(reports[0].parts == 2);
    BOOST_TEST((reports[0].state == DeliveryState::Failed));
    BOOST_TEST(reports[0].status == "Undelivered (Unknown Number)");
}

BOOST_AUTO_TEST_CASE(a_callback_that_is_no_report_names_the_field) {
    const auto fieldOf = [](const std::string& gateway, const core::ServerRequest& request) {
        try {
            read(gateway, request);
            BOOST_FAIL("read a report from garbage");
        } catch (const core::InputError& e) {
            return e.field();
        }
        return std::string();
    };
    BOOST_TEST(fieldOf("yuboto", yubotoCallback("statusDescription=Delivered")) ==
               "callback.messageId");
    BOOST_TEST(fieldOf("yuboto", yubotoCallback("messageId=M1")) == "callback.statusDescription");
    BOOST_TEST(fieldOf("routee", routeeCallback("not json")) == "callback");
    BOOST_TEST(fieldOf("routee", routeeCallback(R"({"messageId": "T1"})")) == "callback.status");
    BOOST_TEST(fieldOf("routee", routeeCallback(R"({"messageId": "T1", "part": 3, "parts": 2,
        "status": {"name": "Delivered"}})")) == "callback.part");
}

BOOST_AUTO_TEST_SUITE_END()
