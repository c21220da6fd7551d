// The [sms] section: the gateway it picks, the keys every gateway takes and each one's own, and
// an error naming the key for each that cannot work.
#include "core/config.hpp"
#include "core/errors.hpp"
#include "sms/sms_gateway.hpp"
#include "tests/support/field_error.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

using namespace fiscpos;
using test::requireFieldError;

namespace {

const std::string yuboto = "[sms]\ngateway = yuboto\nsender = KAFEALFA\napi_key = k-123\n";
const std::string routee =
    "[sms]\ngateway = routee\nsender = KAFEALFA\napp_id = app\napp_secret = s3cret\n";

std::unique_ptr<sms::SmsGateway> load(const std::string& text) {
    const auto config = core::Config::fromText(text);
    return sms::smsGatewayFromConfig(config, core::httpOptions(config, "sms"));
}

void refused(const std::string& text, const std::string& key, const std::string& reason = "") {
    BOOST_TEST_CONTEXT(text) {
        requireFieldError<core::ConfigError>([&] { load(text); }, key, reason);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(sms_config)

BOOST_AUTO_TEST_CASE(the_section_picks_its_gateway) {
    BOOST_TEST(load(yuboto)->name() == "yuboto");
    BOOST_TEST(load(routee)->name() == "routee");
    BOOST_TEST(sms::builtinGateways().list() == "yuboto, routee");
    // Every common key, and the HTTP options of a section with a URL.
    BOOST_TEST(load(yuboto + "url = https://services.yuboto.com\nencoding = gsm7-greek-caps\n"
                             "max_parts = 3\ncallback_url = https://erp.example.gr/dlr/x1\n"
                             "connect_timeout_ms = 2000\nread_timeout_ms = 5000\n")
                   ->name() == "yuboto");
    BOOST_TEST(load("[sms]\ngateway = routee\nsender = 30691234567890123456\napp_id = a\n"
                    "app_secret = s\ntoken_url = https://auth.routee.net/oauth/token\n")
                   ->name() == "routee");
}

BOOST_AUTO_TEST_CASE(a_missing_section_or_gateway_is_named) {
    refused("[provider]\nkind = local\n", "sms", "[sms]");
    refused("[sms]\nsender = KAFEALFA\n", "sms.gateway", "required");
    refused("[sms]\ngateway = apifon\nsender = KAFEALFA\n", "sms.gateway", "yuboto, routee");
}

BOOST_AUTO_TEST_CASE(a_key_the_gateway_does_not_read_is_refused) {
    refused(yuboto + "apikey = k\n", "sms.apikey", "not a setting of gateway = yuboto");
    // Another gateway's key in the section is a mistake too.
    refused(yuboto + "app_secret = s\n", "sms.app_secret", "api_key");
    refused(routee + "api_key = k\n", "sms.api_key", "token_url");
}

BOOST_AUTO_TEST_CASE(common_keys_that_cannot_work_are_named) {
    refused("[sms]\ngateway = yuboto\napi_key = k\n", "sms.sender", "sender id");
    for (const char* sender :
         {"ΚΑΦΕ", "KAFE ALFA", "KAFEALFA-GR", "TWELVELETTER", "123456789012345678901"}) {
        refused(yuboto + "sender = " + sender + "\n", "sms.sender");
    }
    refused(yuboto + "encoding = utf8\n", "sms.encoding", "gsm7-greek-caps");
    refused(yuboto + "max_parts = 0\n", "sms.max_parts");
    refused(yuboto + "max_parts = 11\n", "sms.max_parts");
    refused(yuboto + "url = http://sms.example.gr\n", "sms.url");
    refused(yuboto + "url = ftp://sms.example.gr\n", "sms.url");
    refused(yuboto + "callback_url = http://erp.example.gr/dlr\n", "sms.callback_url");
}

BOOST_AUTO_TEST_CASE(each_gateway_checks_its_own_keys) {
    refused("[sms]\ngateway = yuboto\nsender = KAFEALFA\n", "sms.api_key", "API key");
    refused(yuboto + "api_key = two words\n", "sms.api_key");
    refused("[sms]\ngateway = routee\nsender = KAFEALFA\napp_secret = s\n", "sms.app_id");
    refused("[sms]\ngateway = routee\nsender = KAFEALFA\napp_id = a\n", "sms.app_secret");
    refused(routee + "token_url = http://auth.example.gr/oauth/token\n", "sms.token_url");
}

BOOST_AUTO_TEST_CASE(secrets_come_from_the_environment) {
    ::setenv("FISCPOS_TEST_SMS_KEY", "k-from-env", 1);
    BOOST_TEST(load("[sms]\ngateway = yuboto\nsender = KAFEALFA\napi_key = "
                    "${FISCPOS_TEST_SMS_KEY}\n")
                   ->name() == "yuboto");
    ::unsetenv("FISCPOS_TEST_SMS_UNSET");
    refused("[sms]\ngateway = routee\nsender = KAFEALFA\napp_id = a\napp_secret = "
            "${FISCPOS_TEST_SMS_UNSET}\n",
            "sms.app_secret", "FISCPOS_TEST_SMS_UNSET");
}

BOOST_AUTO_TEST_SUITE_END()
