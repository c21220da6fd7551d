#include "core/errors.hpp"
#include "plugin/config.hpp"
#include "plugin/terminal_settings.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;

BOOST_AUTO_TEST_SUITE(terminal_settings)

BOOST_AUTO_TEST_CASE(mreceipts_defaults_to_the_versioned_api) {
    const auto config = plugin::Config::fromText("[terminal.A3]\nnsp = mellon\n");
    const auto settings = plugin::webEcrSettings(config, "A3");
    BOOST_TEST(settings.url == "https://www.mreceipts.com");
    BOOST_TEST(settings.pathPrefix == "/api");
    BOOST_TEST(settings.apiVersion == "v2.2");
    BOOST_TEST(settings.section == "terminal.A3");
}

BOOST_AUTO_TEST_CASE(none_serves_the_api_at_the_root_unversioned) {
    const auto config = plugin::Config::fromText(
        "[terminal.E1]\nnsp = mellon\nurl = https://webecr.epayworldwide.com:11007\n"
        "username = u\npassword = p\npath_prefix = none\napi_version = none   ; epay\n");
    const auto settings = plugin::webEcrSettings(config, "E1");
    BOOST_TEST(settings.pathPrefix.empty());
    BOOST_TEST(settings.apiVersion.empty());
    settings.validate(mellon::WebEcrSettings::Need::Account);
}

BOOST_AUTO_TEST_CASE(wait_seconds_is_the_long_wait_of_txninit) {
    const auto fallback =
        plugin::webEcrSettings(plugin::Config::fromText("[terminal.A3]\nnsp = mellon\n"), "A3");
    BOOST_TEST(fallback.waitSeconds == mellon::WebEcrSettings::defaultWaitSeconds);

    const auto async = plugin::webEcrSettings(
        plugin::Config::fromText("[terminal.A3]\nnsp = mellon\nwait_seconds = 0\n"), "A3");
    BOOST_TEST(async.waitSeconds == 0);
    const auto longest = plugin::webEcrSettings(
        plugin::Config::fromText("[terminal.A3]\nnsp = mellon\nwait_seconds = 180\n"), "A3");
    BOOST_TEST(longest.waitSeconds == 180);

    for (const char* bad : {"181", "-1", "ten", "30s"}) {
        const auto config = plugin::Config::fromText(
            std::string("[terminal.A3]\nnsp = mellon\nwait_seconds = ") + bad + "\n");
        try {
            plugin::webEcrSettings(config, "A3");
            BOOST_FAIL(std::string("wait_seconds = ") + bad + " was accepted");
        } catch (const core::ConfigError& e) {
            BOOST_TEST(e.field() == "terminal.A3.wait_seconds", e.what());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
