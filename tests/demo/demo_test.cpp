// fiscpos-demo as a user runs it: a child process, its exit status and what it prints.
#include "core/json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

namespace core = fiscpos::core;
namespace test = fiscpos::test;

namespace {

test::ProcessResult runDemo(const std::vector<std::string>& args) {
    return test::runProcess(test::binaryDir() / "demo" / "fiscpos-demo", args);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(demo)

BOOST_AUTO_TEST_CASE(demo_runs_end_to_end) {
    const auto demo = runDemo({"--json", "--provider-key", test::mellonPrivateKey().string(),
                               "--xsd-dir", test::mydataXsdDir().string()});
    BOOST_TEST_REQUIRE(demo.exitCode == 0, demo.err);
    const auto result =
        core::parseJson(demo.out, "fiscpos-demo --json output", core::JsonOrigin::Response);
    BOOST_TEST(result["ok"].get<bool>());
    BOOST_TEST(result["payments"].size() == 2u);
    for (const auto& payment : result["payments"]) {
        BOOST_TEST(payment["verified"].get<bool>());
        BOOST_TEST(!payment["tampered_input_verifies"].get<bool>());
    }
    BOOST_TEST(contains(result["xsd"].get<std::string>(), "InvoicesDoc-v2.0.1.xsd"));
    // A sale, its refund, a second sale and its void went through the simulated network.
    BOOST_TEST(result["journal"]["ok"].get<bool>());
    BOOST_TEST(result["journal"]["entries"].size() == 4u);
    BOOST_TEST(result["journal"]["verify"]["ok"].get<bool>());
    // The sale's invoice issued, its receipt e-mailed to the demo's own SMTP server once.
    const auto& receipt = result["journal"]["receipt"];
    BOOST_TEST(receipt["issued"]["state"].get<std::string>() == "ISSUED");
    BOOST_TEST(receipt["ok"].get<bool>(), receipt.dump());
    BOOST_TEST(receipt["messages_received"].get<int>() == 1);
    // With a key of its own, in human form.
    const auto plain = runDemo({});
    BOOST_TEST(plain.exitCode == 0, plain.err);
    BOOST_TEST(contains(plain.out, "demo finished"));
}

BOOST_AUTO_TEST_CASE(help_version_and_bad_options_answer_like_fiscpos) {
    const auto help = runDemo({"--help"});
    BOOST_TEST(help.exitCode == 0);
    BOOST_TEST(contains(help.out, "fiscpos-demo"));
    BOOST_TEST(contains(help.out, "--xsd-dir"));
    BOOST_TEST(contains(help.out, "--json"));
    const auto version = runDemo({"--version"});
    BOOST_TEST(version.exitCode == 0);
    BOOST_TEST(contains(version.out, "fiscpos-demo "));
    const auto unknown = runDemo({"--colour"});
    BOOST_TEST(unknown.exitCode == 1);
    BOOST_TEST(contains(unknown.err, "fiscpos-demo --help"), unknown.err);
}

BOOST_AUTO_TEST_SUITE_END()
