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

BOOST_AUTO_TEST_SUITE_END()
