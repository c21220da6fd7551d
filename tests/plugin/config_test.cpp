#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "plugin/provider_settings.hpp"
#include "signing/signature_text.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>

using fiscpos::core::Config;
using fiscpos::core::ConfigError;

namespace {
std::string fieldOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const ConfigError& e) {
        return e.field();
    }
    return "(no error)";
}
} // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(values_lose_their_comments_and_take_the_environment) {
    ::setenv("FISCPOS_CONFIG_TEST_TOKEN", "s3cret", 1);
    const auto config =
        Config::fromText("; a comment line\n[provider]\n"
                         "url = https://example.gr/api   ; the sandbox\n"
                         "token = ${FISCPOS_CONFIG_TEST_TOKEN}\n"
                         "glued = a;b\n"
                         "empty =    ; paste the key here\n"
                         "[terminal.A3]\nnsp = mellon\n[terminal.V1]\nnsp = viva\n");
    BOOST_TEST(*config.get("provider.url") == "https://example.gr/api");
    BOOST_TEST(config.require("provider.token") == "s3cret");
    BOOST_TEST(*config.get("provider.glued") == "a;b");
    BOOST_TEST(!config.get("provider.empty").has_value());
    BOOST_TEST(!config.get("provider.absent").has_value());
    const auto terminals = config.sections("terminal");
    BOOST_TEST(terminals.size() == 2u);
}

BOOST_AUTO_TEST_CASE(errors_name_the_setting) {
    const auto config = Config::fromText("[provider]\ntoken = ${FISCPOS_CONFIG_TEST_UNSET}\n"
                                         "duration = 7\nbroken = ${NOCLOSE\n");
    ::unsetenv("FISCPOS_CONFIG_TEST_UNSET");
    BOOST_TEST(fieldOf([&] { config.require("provider.token"); }) == "provider.token");
    BOOST_TEST(fieldOf([&] { config.require("provider.url"); }) == "provider.url");
    BOOST_TEST(fieldOf([&] { config.getInt("provider.duration", 2, 1, 2); }) ==
               "provider.duration");
    BOOST_TEST(fieldOf([&] { config.get("provider.broken"); }) == "provider.broken");
    BOOST_TEST(fieldOf([] { Config::load("/nonexistent/fiscpos.ini"); }) == "--config");
    try {
        config.require("provider.token");
    } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find("FISCPOS_CONFIG_TEST_UNSET") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(paths_are_relative_to_the_configuration_file) {
    const auto dir = fiscpos::test::freshTempDir("config");
    std::ofstream(dir / "fiscpos.ini")
        << "[provider]\nkey = keys/provider.pem\nca_file = /etc/ca.pem\n";
    const auto config = Config::load(dir / "fiscpos.ini");
    BOOST_TEST(config.getPath("provider.key")->string() == (dir / "keys/provider.pem").string());
    BOOST_TEST(config.getPath("provider.ca_file")->string() == "/etc/ca.pem");
}

BOOST_AUTO_TEST_CASE(the_provider_section_builds_its_signer) {
    fiscpos::core::SystemClock clock;
    const auto local = Config::fromText(
        "[provider]\nkind = local\nkey = " + fiscpos::test::mellonPrivateKey().string() +
        "\nprovider_id = 999\n");
    auto signer = fiscpos::plugin::makeSigner(local, clock);
    fiscpos::signing::SignatureRequest request;
    request.issuerVat = "999999999";
    request.series = "A";
    request.number = "2";
    request.invoiceType = "11.1";
    request.issuedAt = fiscpos::core::athensIso8601(clock.now());
    request.net = fiscpos::core::Money::fromCents(100);
    request.vat = fiscpos::core::Money::fromCents(24);
    request.total = fiscpos::core::Money::fromCents(124);
    request.payment = fiscpos::core::Money::fromCents(124);
    request.terminalId = "99000031";
    const auto signature = signer->sign(request);
    const auto key = fiscpos::signing::PublicKey::fromPemFile(fiscpos::test::mellonPublicKey());
    BOOST_TEST(fiscpos::signing::verifySignature(key, signature.input, signature.signatureBase64));

    BOOST_TEST(fieldOf([&] {
                   fiscpos::plugin::makeSigner(Config::fromText("[provider]\nkind = psychic\n"),
                                               clock);
               }) == "provider.kind");
    BOOST_TEST(fieldOf([&] {
                   fiscpos::plugin::makeSigner(Config::fromText("[provider]\ntoken = t\n"), clock);
               }) == "provider.url");
    BOOST_TEST(fieldOf([&] {
                   fiscpos::plugin::makeSigner(
                       Config::fromText("[provider]\nkind = local\nprovider_id = 9\n"), clock);
               }) == "provider.key");
}

BOOST_AUTO_TEST_SUITE_END()
