// The Viva settings: what each use needs, the form of every setting, the demo and live hosts, and
// reading a [terminal.NAME] section.
#include "core/config.hpp"
#include "core/errors.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/orders_terminal.hpp"
#include "viva/viva_network.hpp"
#include "viva/viva_terminal.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::ConfigError;
using Need = VivaSettings::Need;

namespace {

VivaSettings complete() {
    return settingsAt("https://example.test");
}

void requireSetting(const VivaSettings& settings, Need need, const std::string& setting) {
    requireFieldError<ConfigError>([&] { settings.validate(need); }, setting);
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_settings)

BOOST_AUTO_TEST_CASE(complete_settings_serve_every_use) {
    for (const Need need : {Need::Account, Need::Payments, Need::Legacy, Need::Orders}) {
        BOOST_CHECK_NO_THROW(complete().validate(need));
    }
}

BOOST_AUTO_TEST_CASE(each_use_names_what_it_misses) {
    VivaSettings s = complete();
    s.clientSecret.clear();
    requireSetting(s, Need::Account, "terminal.V1.client_secret");
    BOOST_CHECK_NO_THROW(s.validate(Need::Legacy)); // the legacy API does not use it

    s = complete();
    s.apiUrl.clear();
    requireSetting(s, Need::Account, "terminal.V1.api_url");

    s = complete();
    s.cashRegister.clear();
    BOOST_CHECK_NO_THROW(s.validate(Need::Account));
    requireSetting(s, Need::Payments, "terminal.V1.cash_register");

    s = complete();
    s.apiKey.clear();
    BOOST_CHECK_NO_THROW(s.validate(Need::Payments));
    requireSetting(s, Need::Legacy, "terminal.V1.api_key");

    s = complete();
    s.sourceCode.clear();
    BOOST_CHECK_NO_THROW(s.validate(Need::Legacy));
    requireSetting(s, Need::Orders, "terminal.V1.source_code");

    s = complete();
    s.legacyUrl.clear();
    requireSetting(s, Need::Orders, "terminal.V1.legacy_url");
}

BOOST_AUTO_TEST_CASE(the_form_of_each_setting) {
    VivaSettings s = complete();
    s.apiUrl = "ftp://demo-api.vivapayments.com";
    requireSetting(s, Need::Account, "terminal.V1.api_url");
    s = complete();
    s.accountsUrl = "https://demo-accounts.vivapayments.com/?x=1";
    requireSetting(s, Need::Account, "terminal.V1.accounts_url");
    s = complete();
    s.providerId = "ilyda";
    requireSetting(s, Need::Account, "terminal.V1.provider_id");
    s = complete();
    s.terminalId = "TERM-1";
    requireSetting(s, Need::Account, "terminal.V1.terminal_id");
    s = complete();
    s.tid = "1600;0010";
    requireSetting(s, Need::Account, "terminal.V1.tid");
    s = complete();
    s.cashRegister = "ERP 1";
    requireSetting(s, Need::Account, "terminal.V1.cash_register");
    s = complete();
    s.clientSecret = "with blank";
    requireSetting(s, Need::Account, "terminal.V1.client_secret");
    s = complete();
    s.orderTimeout = std::chrono::seconds(5);
    requireSetting(s, Need::Account, "terminal.V1.order_timeout_seconds");
    s = complete();
    s.registerGrace = std::chrono::seconds(600);
    requireSetting(s, Need::Account, "terminal.V1.register_grace_seconds");
    // A TID that is not numeric needs the device's terminal_id.
    s = complete();
    s.tid = "V-16000010";
    requireSetting(s, Need::Payments, "terminal.V1.terminal_id");
    s.terminalId = "16000010";
    BOOST_CHECK_NO_THROW(s.validate(Need::Payments));
}

BOOST_AUTO_TEST_CASE(secrets_never_appear_in_messages) {
    VivaSettings s = complete();
    s.clientSecret = "s3cr3t value";
    try {
        s.validate(Need::Account);
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find("s3cr3t") == std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_terminal_refuses_unusable_settings_at_construction) {
    VivaSettings s = complete();
    s.clientId.clear();
    requireFieldError<ConfigError>([&] { VivaTerminal terminal(s); }, "terminal.V1.client_id");
    s = complete();
    s.merchantId.clear();
    requireFieldError<ConfigError>([&] { OrdersTerminal terminal(s); }, "terminal.V1.merchant_id");
}

BOOST_AUTO_TEST_CASE(environment_sets_the_three_hosts) {
    const auto config = core::Config::fromText(R"(
[terminal.V1]
nsp = viva
environment = live
client_id = cid
client_secret = secret
tid = 16000010
cash_register = ERP-1
provider_id = 120
[terminal.V2]
nsp = viva
environment = demo
api_url = http://127.0.0.1:9/viva-api
customer_text = Shop 1
order_timeout_seconds = 300
register_grace_seconds = 5
[terminal.V3]
nsp = viva
environment = staging
)");
    const VivaSettings live = viva::vivaSettings(config, "V1");
    BOOST_TEST(live.section == "terminal.V1");
    BOOST_TEST(live.accountsUrl == "https://accounts.vivapayments.com");
    BOOST_TEST(live.apiUrl == "https://api.vivapayments.com");
    BOOST_TEST(live.legacyUrl == "https://www.vivapayments.com");
    BOOST_TEST(live.clientSecret == "secret");
    BOOST_TEST(live.providerId == "120");
    BOOST_CHECK_NO_THROW(live.validate(Need::Payments));

    const VivaSettings demo = viva::vivaSettings(config, "V2");
    BOOST_TEST(demo.accountsUrl == "https://demo-accounts.vivapayments.com");
    BOOST_TEST(demo.apiUrl == "http://127.0.0.1:9/viva-api"); // a URL overrides its host
    BOOST_TEST(demo.legacyUrl == "https://demo.vivapayments.com");
    BOOST_TEST(demo.customerText == "Shop 1");
    BOOST_TEST(demo.orderTimeout.count() == 300);
    BOOST_TEST(demo.registerGrace.count() == 5);
    BOOST_TEST(live.registerGrace.count() == 15);
    BOOST_TEST(demo.currencyCode == 978);

    requireFieldError<ConfigError>([&] { viva::vivaSettings(config, "V3"); },
                                   "terminal.V3.environment");
}

BOOST_AUTO_TEST_CASE(without_environment_or_urls_the_hosts_are_missing) {
    const auto config = core::Config::fromText("[terminal.V1]\nnsp = viva\nclient_id = c\n");
    requireFieldError<ConfigError>(
        [&] { viva::vivaSettings(config, "V1").validate(Need::Account); },
        "terminal.V1.accounts_url");
}

BOOST_AUTO_TEST_SUITE_END()
