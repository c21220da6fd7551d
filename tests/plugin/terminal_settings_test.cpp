#include "core/config.hpp"
#include "core/errors.hpp"
#include "mellon/mellon_network.hpp"
#include "plugin/provider_settings.hpp"
#include "plugin/terminal_settings.hpp"

#include "core/clock.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;

BOOST_AUTO_TEST_SUITE(terminal_settings)

BOOST_AUTO_TEST_CASE(mreceipts_defaults_to_the_versioned_api) {
    const auto config = core::Config::fromText("[terminal.A3]\nnsp = mellon\n");
    const auto settings = mellon::webEcrSettings(config, "A3");
    BOOST_TEST(settings.url == "https://www.mreceipts.com");
    BOOST_TEST(settings.pathPrefix == "/api");
    BOOST_TEST(settings.apiVersion == "v2.2");
    BOOST_TEST(settings.section == "terminal.A3");
}

BOOST_AUTO_TEST_CASE(none_serves_the_api_at_the_root_unversioned) {
    const auto config = core::Config::fromText(
        "[terminal.E1]\nnsp = mellon\nurl = https://webecr.epayworldwide.com:11007\n"
        "username = u\npassword = p\npath_prefix = none\napi_version = none   ; epay\n");
    const auto settings = mellon::webEcrSettings(config, "E1");
    BOOST_TEST(settings.pathPrefix.empty());
    BOOST_TEST(settings.apiVersion.empty());
    settings.validate(mellon::WebEcrSettings::Need::Account);
}

BOOST_AUTO_TEST_CASE(wait_seconds_is_the_long_wait_of_txninit) {
    const auto fallback =
        mellon::webEcrSettings(core::Config::fromText("[terminal.A3]\nnsp = mellon\n"), "A3");
    BOOST_TEST(fallback.waitSeconds == mellon::WebEcrSettings::defaultWaitSeconds);

    const auto async = mellon::webEcrSettings(
        core::Config::fromText("[terminal.A3]\nnsp = mellon\nwait_seconds = 0\n"), "A3");
    BOOST_TEST(async.waitSeconds == 0);
    const auto longest = mellon::webEcrSettings(
        core::Config::fromText("[terminal.A3]\nnsp = mellon\nwait_seconds = 180\n"), "A3");
    BOOST_TEST(longest.waitSeconds == 180);

    for (const char* bad : {"181", "-1", "ten", "30s"}) {
        const auto config = core::Config::fromText(
            std::string("[terminal.A3]\nnsp = mellon\nwait_seconds = ") + bad + "\n");
        try {
            mellon::webEcrSettings(config, "A3");
            BOOST_FAIL(std::string("wait_seconds = ") + bad + " was accepted");
        } catch (const core::ConfigError& e) {
            BOOST_TEST(e.field() == "terminal.A3.wait_seconds", e.what());
        }
    }
}

namespace {

// A Mellon section with every setting a payment needs, plus `extra` lines.
std::string mellonSection(const std::string& extra) {
    return "[terminal.A3]\nnsp = mellon\nusername = u\npassword = p\napi_key = k\n"
           "pos_id = 358046\nprovider_id = 8\n" +
           extra;
}

// The section of `setting` loads as unusable: using it throws a ConfigError naming the setting,
// and a good terminal beside it still loads and works.
void requireLoadError(const std::string& text, const std::string& setting) {
    const core::SystemClock clock;
    const std::string good = "[terminal.OK]\nnsp = mellon\nusername = u\npassword = p\n"
                             "api_key = k\npos_id = 358047\nprovider_id = 8\ntid = 99000032\n";
    const auto terminals = plugin::terminalsFromConfig(core::Config::fromText(text + good), clock);
    const std::string name = setting.substr(9, setting.find('.', 9) - 9); // terminal.NAME.x
    BOOST_TEST_REQUIRE(terminals.count(name) == 1U, setting);
    try {
        terminals.at(name).requireUsable();
        BOOST_FAIL("a terminal that should name " + setting + " is usable");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == setting, e.what());
    }
    BOOST_TEST(!terminals.at(name).terminal);
    BOOST_TEST(terminals.at("OK").terminal);
    BOOST_CHECK_NO_THROW(terminals.at("OK").requireUsable());
}

} // namespace

BOOST_AUTO_TEST_CASE(
    a_terminal_that_cannot_pay_is_refused_when_used_naming_the_setting_and_the_others_work) {
    const core::SystemClock clock;
    BOOST_TEST(plugin::terminalsFromConfig(
                   core::Config::fromText(mellonSection("tid = 99000031\n")), clock)
                   .size() == 1U);
    requireLoadError(mellonSection("tid = 9900-0031\n"), "terminal.A3.tid");
    requireLoadError(mellonSection("tid = 99000031\nurl =\n"), "terminal.A3.url");
    requireLoadError("[terminal.A3]\nnsp = mellon\nusername = u\npassword = p\napi_key = k\n"
                     "tid = 99000031\nprovider_id = 8\n",
                     "terminal.A3.pos_id");
    requireLoadError("[terminal.V1]\nnsp = viva\nclient_id = c\nclient_secret = s\n"
                     "tid = 16000010\napi_url =\n",
                     "terminal.V1.api_url");
}

BOOST_AUTO_TEST_CASE(plain_http_to_a_production_host_is_refused_when_used) {
    requireLoadError(mellonSection("tid = 99000031\nurl = http://www.mreceipts.com\n"),
                     "terminal.A3.url");
    requireLoadError("[terminal.G1]\nnsp = gptom\nurl = http://cloud-api.gptom.com\n"
                     "username = u\npassword = p\nclient_credential = c\ntid = 12345678\n"
                     "provider_id = 999\n",
                     "terminal.G1.url");
    const core::SystemClock clock;
    BOOST_TEST(
        plugin::terminalsFromConfig(core::Config::fromText(mellonSection(
                                        "tid = 99000031\nurl = http://127.0.0.1:8099/mellon\n")),
                                    clock)
            .size() == 1U);
}

BOOST_AUTO_TEST_CASE(plain_http_to_the_provider_is_refused_at_load) {
    const core::SystemClock clock;
    try {
        plugin::makeSigner(core::Config::fromText("[provider]\nurl = http://www.mreceipts.com\n"
                                                  "token = t\n"),
                           clock);
        BOOST_FAIL("plain http to the provider was accepted");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == "provider.url", e.what());
    }
}

BOOST_AUTO_TEST_CASE(an_unconfirmed_gptom_terminal_loads_and_its_admit_refuses_sales) {
    const core::SystemClock clock;
    const auto terminals = plugin::terminalsFromConfig(
        core::Config::fromText("[terminal.G1]\nnsp = gptom\nurl = https://cloud-api.gptom.com\n"
                               "username = u\npassword = p\nclient_credential = c\n"
                               "tid = 12345678\nprovider_id = 999\n"),
        clock);
    core::PaymentRequest sale;
    sale.reference = "A-1";
    sale.amount = core::Money::fromCents(1240);
    try {
        terminals.at("G1").terminal->admit(sale);
        BOOST_FAIL("an unconfirmed GP tom terminal admitted a sale");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == "terminal.G1.a1155_confirmed");
    }
}

BOOST_AUTO_TEST_SUITE_END()
