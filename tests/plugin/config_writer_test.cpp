#include "core/config.hpp"
#include "core/errors.hpp"
#include "plugin/config_writer.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace fiscpos;

namespace {

const std::string sample = "; fiscpos configuration\n"
                           "[provider]\n"
                           "url = https://provider.example   ; the provider\n"
                           "token = ${PROVIDER_TOKEN}\n"
                           "\n"
                           "# the shop's terminal\n"
                           "[terminal.A3]\n"
                           "  nsp = mellon\n"
                           "  password = ${MELLON_PASSWORD}\n"
                           "  api_key = old-key    ; written by fiscpos pair\n"
                           "  tid = 99000031\n"
                           "\n"
                           "[terminal.B1]\n"
                           "nsp = mellon\n"
                           "api_key = other\n";

std::string readAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(config_writer)

BOOST_AUTO_TEST_CASE(replaces_only_the_value_keeping_indentation_and_inline_comment) {
    const auto out = plugin::withConfigValue(sample, "terminal.A3", "api_key", "NEWKEY");
    std::string expected = sample;
    expected.replace(expected.find("old-key"), 7, "NEWKEY");
    BOOST_TEST(out == expected);
    // B1's api_key is another section's: untouched.
    BOOST_TEST(out.find("api_key = other\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_written_value_reads_back_and_env_references_stay) {
    const auto out =
        plugin::withConfigValue(sample, "terminal.A3", "api_key", "c2ltLXdlYmVjci1rZXktMQ");
    BOOST_TEST(out.find("token = ${PROVIDER_TOKEN}\n") != std::string::npos);
    BOOST_TEST(out.find("  password = ${MELLON_PASSWORD}\n") != std::string::npos);
    const auto config = core::Config::fromText(out);
    BOOST_TEST(*config.get("terminal.A3.api_key") == "c2ltLXdlYmVjci1rZXktMQ");
    BOOST_TEST(*config.get("terminal.B1.api_key") == "other");
}

BOOST_AUTO_TEST_CASE(a_missing_key_goes_after_the_sections_last_setting) {
    const auto out = plugin::withConfigValue(sample, "terminal.A3", "pos_id", "358046");
    std::string expected = sample;
    expected.insert(expected.find("\n\n[terminal.B1]") + 1, "pos_id = 358046\n");
    BOOST_TEST(out == expected);
    BOOST_TEST(*core::Config::fromText(out).get("terminal.A3.pos_id") == "358046");
}

BOOST_AUTO_TEST_CASE(a_missing_section_goes_at_the_end) {
    const auto out = plugin::withConfigValue(sample, "terminal.C9", "api_key", "K");
    BOOST_TEST(out == sample + "\n[terminal.C9]\napi_key = K\n");
    // A file without a final newline gets one before the new section.
    BOOST_TEST(plugin::withConfigValue("[a]\nx = 1", "b", "y", "2") ==
               "[a]\nx = 1\n\n[b]\ny = 2\n");
    BOOST_TEST(plugin::withConfigValue("", "b", "y", "2") == "[b]\ny = 2\n");
}

BOOST_AUTO_TEST_CASE(an_empty_value_and_crlf_lines_are_handled) {
    BOOST_TEST(plugin::withConfigValue("[t]\napi_key =\nx = 1\n", "t", "api_key", "K") ==
               "[t]\napi_key = K\nx = 1\n");
    BOOST_TEST(plugin::withConfigValue("[t]\napi_key =   ; paste\n", "t", "api_key", "K") ==
               "[t]\napi_key = K   ; paste\n");
    BOOST_TEST(*core::Config::fromText("[t]\napi_key = K   ; paste\n").get("t.api_key") == "K");
    BOOST_TEST(plugin::withConfigValue("[t]\r\napi_key = a ; c\r\n", "t", "api_key", "K") ==
               "[t]\r\napi_key = K ; c\r\n");
    BOOST_TEST(plugin::withConfigValue("[t]\r\nx = 1\r\n", "t", "api_key", "K") ==
               "[t]\r\nx = 1\r\napi_key = K\r\n");
}

BOOST_AUTO_TEST_CASE(a_value_that_cannot_be_written_on_one_line_is_refused) {
    BOOST_CHECK_THROW(plugin::withConfigValue(sample, "terminal.A3", "api_key", "a\nb"),
                      core::ConfigError);
    BOOST_CHECK_THROW(plugin::withConfigValue(sample, "terminal.A3", "api_key", "a ;b"),
                      core::ConfigError);
}

BOOST_AUTO_TEST_CASE(the_file_is_replaced_keeping_its_permissions) {
    const auto dir = test::freshTempDir("config_writer");
    const auto file = dir / "fiscpos.ini";
    std::ofstream(file, std::ios::binary) << sample;
    std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    plugin::setConfigValue(file, "terminal.A3", "api_key", "NEWKEY");
    std::string expected = sample;
    expected.replace(expected.find("old-key"), 7, "NEWKEY");
    BOOST_TEST(readAll(file) == expected);
    BOOST_CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
                (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    // No temporary file is left behind.
    BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir),
                             std::filesystem::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_config_error_naming_it) {
    const auto dir = test::freshTempDir("config_writer_missing");
    try {
        plugin::setConfigValue(dir / "none.ini", "t", "k", "v");
        BOOST_FAIL("no error");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find("none.ini") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(an_environment_reference_is_told_apart_from_a_value) {
    const std::string text = "[terminal.A3]\nnsp = mellon\napi_key = ${MELLON_A3_KEY}   ; key\n"
                             "[terminal.B1]\napi_key = Zg6xxfx_R1eXTOs39BPzqQ\n";
    BOOST_TEST(plugin::environmentReference(text, "terminal.A3", "api_key").value_or("") ==
               "MELLON_A3_KEY");
    BOOST_TEST(!plugin::environmentReference(text, "terminal.B1", "api_key"));
    BOOST_TEST(!plugin::environmentReference(text, "terminal.C1", "api_key"));
}

BOOST_AUTO_TEST_SUITE_END()
