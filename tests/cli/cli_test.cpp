// The fiscpos command as a user runs it: a child process, its exit status, stdout and stderr.
#include "core/clock.hpp"
#include "core/json.hpp"
#include "signing/ecdsa.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

using fiscpos::test::fiscposBinary;
using fiscpos::test::ProcessResult;
using fiscpos::test::runProcess;
namespace core = fiscpos::core;

namespace {

const std::string vectorInput =
    "D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC;400013293980417;20240510164340;100;24;124;124;"
    "99000031";
const std::string vector1Base64 = "MEUCIFGcSZGGUTUXsHhq08mrdlWBRRUmAEpoT3u3ulHlGg7eAiEA/30uTF/"
                                  "DZj5qfz4DwoJf04Hajd+PkRmAu8ubXO7xs/E=";
const std::string vector1Hex =
    "30450220519C499186513517B0786AD3C9AB765581451526004A684F7BB7BA51E51A0EDE022100FF7D2E4C5FC3663E"
    "6A7F3E03C2825FD381DA8DDF8F911980BBCB9B5CEEF1B3F1";

ProcessResult runCli(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {}) {
    return runProcess(fiscposBinary(), args, env);
}

core::Json jsonOf(const ProcessResult& result) {
    return core::parseJson(result.out, "fiscpos --json output", core::JsonOrigin::Response);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string lower(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

// The simulator's provider, signing with Mellon's test key, for the life of a test.
struct SimulatedProvider {
    fiscpos::core::SystemClock clock;
    fiscpos::sim::SimServer server;
    SimulatedProvider() {
        fiscpos::sim::ProviderPartyOptions options;
        options.token = "cli-test-token";
        options.providerId = "999";
        server.addParty(std::make_shared<fiscpos::sim::ProviderParty>(
            fiscpos::signing::PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), options,
            clock));
        server.start();
    }
    // A configuration file whose [provider] points at this simulator.
    std::filesystem::path writeConfig(const std::string& tokenLine) const {
        const auto dir = fiscpos::test::freshTempDir("cli");
        const auto file = dir / "fiscpos.ini";
        std::ofstream(file) << "; written by the CLI test\n[provider]\nkind = mydataprovider\n"
                            << "url = " << server.baseUrl() << "/provider   ; the simulator\n"
                            << tokenLine << "\nprovider_id = 999\nduration = 2\n";
        return file;
    }
};

std::string sampleInvoice() {
    return (fiscpos::test::sourceDir() / "samples" / "invoices" / "sale-1.24.json").string();
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(help_and_version_answer) {
    const auto help = runCli({"--help"});
    BOOST_TEST(help.exitCode == 0);
    for (const char* command : {"demo", "sign", "verify-signature"}) {
        BOOST_TEST(contains(help.out, command), command);
    }
    BOOST_TEST(contains(help.out, "Exit status"));
    const auto commandHelp = runCli({"verify-signature", "--help"});
    BOOST_TEST(commandHelp.exitCode == 0);
    BOOST_TEST(contains(commandHelp.out, "--public-key"));
    const auto helpCommand = runCli({"help", "sign"});
    BOOST_TEST(helpCommand.exitCode == 0);
    BOOST_TEST(contains(helpCommand.out, "--invoice"));
    const auto version = runCli({"--version"});
    BOOST_TEST(version.exitCode == 0);
    BOOST_TEST(contains(version.out, "fiscpos "));
}

// Examples in --help are printed as written, however long: a user copies them.
BOOST_AUTO_TEST_CASE(help_keeps_its_examples_on_their_lines) {
    const auto sign = runCli({"sign", "--help"});
    BOOST_TEST(contains(sign.out, "\n  fiscpos --config fiscpos.ini sign --invoice sale.json --tid "
                                  "99000031 --nsp webecr\n"),
               sign.out);
    const auto verify = runCli({"verify-signature", "--help"});
    BOOST_TEST(contains(verify.out, "\n    --input 'D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC;;"
                                    "20240510164340;100;24;124;124;99000031' \\\n"),
               verify.out);
    // Prose is still wrapped at 80 columns.
    std::istringstream lines(runCli({"pay", "--help"}).out);
    for (std::string line; std::getline(lines, line);) {
        BOOST_TEST(line.size() <= 80u, line);
    }
}

// --issued-now: the sample invoice signed as issued now (the provider issues today's invoices);
// the Input's timestamp is this moment's, not the sample's date.
BOOST_AUTO_TEST_CASE(issued_now_makes_the_invoice_today_s) {
    SimulatedProvider provider;
    const auto config = provider.writeConfig("token = cli-test-token");
    const std::string before = fiscpos::core::athensTimestamp(std::chrono::system_clock::now());
    const auto signed_ = runCli({"--config", config.string(), "--json", "sign", "--invoice",
                                 sampleInvoice(), "--issued-now", "--tid", "99000031"});
    BOOST_TEST_REQUIRE(signed_.exitCode == 0, signed_.err);
    const std::string input = jsonOf(signed_)["signature"]["input"].get<std::string>();
    const std::string after = fiscpos::core::athensTimestamp(std::chrono::system_clock::now());
    // UID;mark;timestamp;...: the third field.
    const auto first = input.find(';');
    const auto second = input.find(';', first + 1);
    const std::string stamp = input.substr(second + 1, 14);
    BOOST_TEST(stamp >= before, input);
    BOOST_TEST(stamp <= after, input);
    const auto asWritten = runCli({"--config", config.string(), "--json", "sign", "--invoice",
                                   sampleInvoice(), "--tid", "99000031"});
    BOOST_TEST_REQUIRE(asWritten.exitCode == 0, asWritten.err);
    BOOST_TEST(jsonOf(asWritten)["signature"]["input"].get<std::string>().find(stamp) ==
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_are_one_clear_line) {
    const auto unknown = runCli({"frobnicate"});
    BOOST_TEST(unknown.exitCode == 1);
    BOOST_TEST(contains(unknown.err, "\"frobnicate\" is not a fiscpos command"));
    const auto badOption = runCli({"--colour"});
    BOOST_TEST(badOption.exitCode == 1);
    BOOST_TEST(!contains(badOption.err, "terminate called"));
    const auto missing = runCli({"verify-signature", "--input", vectorInput});
    BOOST_TEST(missing.exitCode == 1);
    BOOST_TEST(contains(missing.err, "signature"), missing.err);
    const auto nothing = runCli({});
    BOOST_TEST(nothing.exitCode == 1);
    BOOST_TEST(contains(nothing.err, "Commands:"));
}

BOOST_AUTO_TEST_CASE(verify_signature_accepts_the_mellon_vectors) {
    const std::string key = fiscpos::test::mellonPublicKey().string();
    const auto base64 = runCli({"verify-signature", "--input", vectorInput, "--signature",
                                vector1Base64, "--public-key", key});
    BOOST_TEST(base64.exitCode == 0, base64.err);
    BOOST_TEST(contains(base64.out, "verified: the signature matches"));
    BOOST_TEST(contains(base64.out, "400013293980417"));
    const auto hex = runCli({"--json", "verify-signature", "--input", vectorInput, "--signature",
                             lower(vector1Hex), "--public-key", key});
    BOOST_TEST(hex.exitCode == 0, hex.err);
    const auto result = jsonOf(hex);
    BOOST_TEST(result["verified"].get<bool>());
    BOOST_TEST(result["signature_base64"].get<std::string>() == vector1Base64);
    BOOST_TEST(result["fields"]["payable"].get<std::string>() == "1.24");
    BOOST_TEST(result["fields"]["tid"].get<std::string>() == "99000031");
}

BOOST_AUTO_TEST_CASE(verify_signature_refuses_a_changed_input_and_bad_arguments) {
    const std::string key = fiscpos::test::mellonPublicKey().string();
    std::string changed = vectorInput;
    changed.replace(changed.rfind(";124;") + 1, 3, "125");
    const auto tampered = runCli({"--json", "verify-signature", "--input", changed, "--signature",
                                  vector1Base64, "--public-key", key});
    BOOST_TEST(tampered.exitCode == 1);
    BOOST_TEST(!jsonOf(tampered)["verified"].get<bool>());
    BOOST_TEST(contains(tampered.err, "does not verify"));

    const auto garbage = runCli({"verify-signature", "--input", vectorInput, "--signature",
                                 "not-a-signature!", "--public-key", key});
    BOOST_TEST(garbage.exitCode == 1);
    BOOST_TEST(contains(garbage.err, "--signature"), garbage.err);

    const auto noKey = runCli({"verify-signature", "--input", vectorInput, "--signature",
                               vector1Base64, "--public-key", "/nonexistent/key.pem"});
    BOOST_TEST(noKey.exitCode == 1);
    BOOST_TEST(contains(noKey.err, "/nonexistent/key.pem"), noKey.err);
}

BOOST_AUTO_TEST_CASE(a_signature_from_the_simulated_provider_verifies) {
    SimulatedProvider provider;
    const auto config = provider.writeConfig("token = ${FISCPOS_PROVIDER_TOKEN}");
    const auto signed_ = runCli({"--config", config.string(), "--json", "sign", "--invoice",
                                 sampleInvoice(), "--tid", "99000031", "--nsp", "webecr"},
                                {{"FISCPOS_PROVIDER_TOKEN", "cli-test-token"}});
    BOOST_TEST_REQUIRE(signed_.exitCode == 0, signed_.err);
    const auto signature = jsonOf(signed_)["signature"];
    const std::string input = signature["input"].get<std::string>();
    BOOST_TEST(contains(input, ";124;124;99000031"), input);
    BOOST_TEST(contains(signed_.err, "signing:"));

    const auto verified = runCli({"verify-signature", "--input", input, "--signature",
                                  signature["signature"].get<std::string>(), "--public-key",
                                  fiscpos::test::mellonPublicKey().string()});
    BOOST_TEST(verified.exitCode == 0, verified.out + verified.err);
    const auto viaHex = runCli({"verify-signature", "--input", input, "--signature",
                                signature["signature_hex"].get<std::string>(), "--public-key",
                                fiscpos::test::mellonPublicKey().string()});
    BOOST_TEST(viaHex.exitCode == 0);
}

BOOST_AUTO_TEST_CASE(sign_names_the_configuration_problem) {
    SimulatedProvider provider;
    const auto unset = provider.writeConfig("token = ${FISCPOS_TEST_UNSET_TOKEN}");
    const auto noToken = runCli(
        {"--config", unset.string(), "sign", "--invoice", sampleInvoice(), "--tid", "99000031"});
    BOOST_TEST(noToken.exitCode == 1);
    BOOST_TEST(contains(noToken.err, "provider.token"), noToken.err);
    BOOST_TEST(contains(noToken.err, "FISCPOS_TEST_UNSET_TOKEN"));
    // In Greek by default: what kind of error, where, and who fixes it; in English on request.
    BOOST_TEST(contains(noToken.err, "fiscpos: σφάλμα στη ρύθμιση, στο provider.token: πρέπει να "
                                     "το διορθώσει ο τεχνικός εγκατάστασης ("),
               noToken.err);
    const auto english = runCli({"--config", unset.string(), "--lang", "en", "sign", "--invoice",
                                 sampleInvoice(), "--tid", "99000031"});
    BOOST_TEST(contains(english.err, "fiscpos: error: "), english.err);
    const auto good = provider.writeConfig("token = cli-test-token");
    const auto badInput = runCli({"--config", good.string(), "sign", "--invoice", sampleInvoice(),
                                  "--tid", "99000031", "--amount", "1,2.3"});
    BOOST_TEST(badInput.exitCode == 1);
    BOOST_TEST(contains(badInput.err, "σφάλμα σε όσα δόθηκαν: διορθώστε το --amount"),
               badInput.err);

    const auto wrong = provider.writeConfig("token = not-the-token");
    const auto refused = runCli(
        {"--config", wrong.string(), "sign", "--invoice", sampleInvoice(), "--tid", "99000031"});
    BOOST_TEST(refused.exitCode == 1);
    BOOST_TEST(contains(refused.err, "401"), refused.err);
    BOOST_TEST(!contains(refused.err + refused.out, "not-the-token"));

    const auto noConfig = runCli({"sign", "--invoice", sampleInvoice(), "--tid", "99000031"});
    BOOST_TEST(noConfig.exitCode == 1);
    BOOST_TEST(contains(noConfig.err, "--config"));
}

BOOST_AUTO_TEST_CASE(demo_points_to_its_own_program) {
    const auto demo = runCli({"demo", "--xsd-dir", fiscpos::test::mydataXsdDir().string()});
    BOOST_TEST(demo.exitCode == 1);
    BOOST_TEST(contains(demo.err, "fiscpos-demo"), demo.err);
}

BOOST_AUTO_TEST_SUITE_END()
