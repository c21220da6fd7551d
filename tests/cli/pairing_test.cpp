// fiscpos pair and fiscpos terminals against the simulated Mellon network, run as a user runs them.
#include "core/json.hpp"
#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

using namespace fiscpos;

namespace {

struct PairingWorld {
    sim::SimServer server;
    std::filesystem::path dir = test::freshTempDir("pairing");
    std::filesystem::path config = dir / "fiscpos.ini";

    explicit PairingWorld(
        const std::string& password = "sim-password",
        const std::string& apiKeyLine = "api_key =   ; fiscpos pair writes it\n") {
        test::addPaymentParties(server, "pairing-token");
        server.start();
        std::ofstream(config) << "; the shop's fiscpos settings\n"
                              << "[provider]\nurl = " << server.baseUrl()
                              << "/provider\ntoken = ${PAIRING_TOKEN}\nprovider_id = 999\n\n"
                              << "# counter 1\n[terminal.A3]\nnsp = mellon\nurl = "
                              << server.baseUrl() << "/mellon   ; the simulator\n"
                              << "username = sim-user\npassword = " << password << "\n"
                              << apiKeyLine << "tid = 99000031\nprovider_id = 999\n";
    }

    test::ProcessResult fiscpos(const std::vector<std::string>& args) const {
        std::vector<std::string> all{"--config", config.string()};
        all.insert(all.end(), args.begin(), args.end());
        return test::runProcess(test::fiscposBinary(), all);
    }

    std::string text() const {
        std::ifstream in(config);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
};

core::Json parsed(const test::ProcessResult& result) {
    return core::parseJson(result.out, "fiscpos output", core::JsonOrigin::Response);
}

} // namespace

BOOST_AUTO_TEST_SUITE(pairing)

BOOST_AUTO_TEST_CASE(pair_writes_the_key_and_keeps_the_rest_of_the_file) {
    PairingWorld world;
    const std::string before = world.text();
    const auto paired = world.fiscpos({"--json", "pair", "--terminal", "A3", "--code", "12345678"});
    BOOST_TEST_REQUIRE(paired.exitCode == 0, paired.err);
    const auto result = parsed(paired);
    BOOST_TEST(result["ok"].get<bool>());
    BOOST_TEST(result["terminal"].get<std::string>() == "A3");
    BOOST_TEST(result["saved_to"].get<std::string>() == world.config.string());
    // The key is saved, never printed.
    BOOST_TEST(paired.out.find("c2ltLXdlYmVjci1rZXktMQ") == std::string::npos);
    BOOST_TEST(paired.err.find("c2ltLXdlYmVjci1rZXktMQ") == std::string::npos);

    std::string expected = before;
    const std::string emptyKey = "api_key =   ; fiscpos pair writes it\n";
    expected.replace(expected.find(emptyKey), emptyKey.size(),
                     "api_key = c2ltLXdlYmVjci1rZXktMQ   ; fiscpos pair writes it\n");
    BOOST_TEST(world.text() == expected);

    // The saved key works: the terminal list answers.
    const auto listed = world.fiscpos({"terminals", "--terminal", "A3"});
    BOOST_TEST(listed.exitCode == 0, listed.err);
}

BOOST_AUTO_TEST_CASE(terminals_lists_every_page) {
    PairingWorld world("sim-password", "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = 358046\n");
    const auto listed = world.fiscpos({"--json", "terminals", "--terminal", "A3"});
    BOOST_TEST_REQUIRE(listed.exitCode == 0, listed.err);
    const auto devices = parsed(listed)["devices"];
    BOOST_TEST_REQUIRE(devices.size() == 3u); // two per page in the simulator
    BOOST_TEST(devices[0]["pos_id"].get<std::string>() == "358046");
    BOOST_TEST(devices[0]["tid"].get<std::string>() == "99000031");
    BOOST_TEST(devices[0]["configured"].get<bool>());
    BOOST_TEST(devices[1]["tid"].get<std::string>() == "99000032");
    BOOST_TEST(!devices[1]["configured"].get<bool>());
    BOOST_TEST(devices[2]["pos_id"].get<std::string>() == "358048");
    BOOST_TEST(devices[2]["tid"].get<std::string>() == "64999964");
    BOOST_TEST(devices[2]["name"].get<std::string>() == "Test softPOS");

    const auto human = world.fiscpos({"terminals", "--terminal", "A3"});
    BOOST_TEST_REQUIRE(human.exitCode == 0, human.err);
    BOOST_TEST(human.out.find("358047") != std::string::npos, human.out);
    BOOST_TEST(human.out.find("(configured)") != std::string::npos, human.out);
    BOOST_TEST(human.out.find("pos_id") != std::string::npos, human.out);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_names_the_setting) {
    PairingWorld world("not-the-password");
    const std::string before = world.text();
    const auto paired = world.fiscpos({"pair", "--terminal", "A3", "--code", "12345678"});
    BOOST_TEST(paired.exitCode == 1);
    BOOST_TEST(paired.err.find("terminal.A3.password") != std::string::npos, paired.err);
    BOOST_TEST(world.text() == before);
}

BOOST_AUTO_TEST_CASE(an_unknown_terminal_is_refused) {
    PairingWorld world;
    const auto paired = world.fiscpos({"pair", "--terminal", "Z9", "--code", "12345678"});
    BOOST_TEST(paired.exitCode == 1);
    BOOST_TEST(paired.err.find("terminal.Z9") != std::string::npos, paired.err);
    const auto listed = world.fiscpos({"terminals", "--terminal", "Z9"});
    BOOST_TEST(listed.exitCode == 1);
}

BOOST_AUTO_TEST_CASE(a_refused_key_asks_to_pair_again) {
    PairingWorld world("sim-password", "api_key = revokedrevokedrevoked0\n");
    const auto listed = world.fiscpos({"--json", "terminals", "--terminal", "A3"});
    BOOST_TEST(listed.exitCode == 1);
    BOOST_TEST(listed.err.find("fiscpos pair --terminal A3") != std::string::npos, listed.err);
    BOOST_TEST(parsed(listed)["error"].dump().find("pair_again") != std::string::npos, listed.out);
}

BOOST_AUTO_TEST_CASE(terminals_without_a_key_says_to_pair_first) {
    PairingWorld world;
    const auto listed = world.fiscpos({"terminals", "--terminal", "A3"});
    BOOST_TEST(listed.exitCode == 1);
    BOOST_TEST(listed.err.find("terminal.A3.api_key") != std::string::npos, listed.err);
}

BOOST_AUTO_TEST_SUITE_END()
