// The crash test of the Mellon WebECR payments, for Viva (Cloud and Local Terminal API) and GP tom:
// `fiscpos pay` is killed (SIGKILL) after the network reference is journaled, after the network
// accepted the request, and while the card is awaited; `fiscpos reconcile` then ends the entry in
// the right state, and the simulated network holds exactly as many sessions (Viva) or sale tasks
// (GP tom) for the payment as it should: one at most, never two.
#include "core/json.hpp"
#include "tests/support/gptom_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/viva_sim.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

using namespace fiscpos;

namespace {

enum class Network { Viva, VivaLocal, Gptom };

struct NetworkCrashWorld {
    Network network;
    sim::SimServer server;
    std::filesystem::path dir;
    std::filesystem::path config;
    std::filesystem::path invoice;

    // At time scale 10 a Viva sale stays on the terminal for 400 ms and a GP tom task for 300 ms
    // after it starts: long enough to be killed while its outcome is awaited.
    explicit NetworkCrashWorld(Network which)
        : network(which)
        , server([] {
            sim::SimServerOptions options;
            options.timeScale = 10;
            return options;
        }())
        , dir(test::freshTempDir(which == Network::Gptom ? "gptom-crash" : "viva-crash"))
        , config(dir / "fiscpos.ini")
        , invoice(dir / "sale.json") {
        if (network != Network::Gptom) {
            test::addVivaPaymentParties(server, "crash-token");
        } else {
            test::addGptomParties(server, "crash-token");
        }
        server.start();
        std::ofstream out(config);
        out << "[journal]\nurl = sqlite:journal.db\n"
            << "[provider]\nurl = " << server.baseUrl()
            << "/provider\ntoken = crash-token\nprovider_id = 999\n";
        std::string tid;
        if (network == Network::Viva) {
            tid = test::viva_defaults::terminalId;
            out << "[terminal.T1]\nnsp = viva\naccounts_url = " << server.baseUrl()
                << "/viva-accounts\napi_url = " << server.baseUrl()
                << "/viva-api\nlegacy_url = " << server.baseUrl()
                << "/viva-legacy\nclient_id = " << test::viva_defaults::clientId
                << "\nclient_secret = " << test::viva_defaults::clientSecret
                << "\nmerchant_id = " << test::viva_defaults::merchantId
                << "\napi_key = " << test::viva_defaults::apiKey << "\nterminal_id = " << tid
                << "\ntid = " << tid
                << "\ncash_register = ERP-1\nprovider_id = 999\n"
                // A session this process did not send is taken as missing after 1 s, not 15.
                << "register_grace_seconds = 1\n";
        } else if (network == Network::VivaLocal) {
            tid = test::viva_defaults::terminalId;
            out << "[terminal.T1]\nnsp = viva-local\nurl = " << server.baseUrl()
                << "/viva-local\ntid = " << tid << "\nprovider_id = 999\n";
        } else {
            tid = "12345678";
            out << "[terminal.T1]\nnsp = gptom\nurl = " << server.baseUrl()
                << "/gptom\nusername = sim-user\npassword = sim-password\n"
                << "client_credential = Z3B0b20tc2ltOnNpbS1zZWNyZXQ=\ntid = " << tid
                << "\nprovider_id = 999\na1155_confirmed = true\n";
        }
        out.close();
        std::ofstream(invoice) << R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
            "series": "A", "aa": "41", "type": "11.1", "issued_at": ")"
                               << core::athensIso8601(std::chrono::system_clock::now()) << R"(",
            "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
            "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
    }

    test::ProcessResult fiscpos(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> all{"--config", config.string(), "--json"};
        all.insert(all.end(), args.begin(), args.end());
        return test::runProcess(test::fiscposBinary(), all, env);
    }

    core::Json onlyEntry() const {
        const auto listed = fiscpos({"journal", "list"});
        BOOST_TEST_REQUIRE(listed.exitCode == 0, listed.err);
        const auto entries =
            core::parseJson(listed.out, "journal list", core::JsonOrigin::Response)["entries"];
        BOOST_TEST_REQUIRE(entries.size() == 1u);
        return entries[0];
    }

    // Sale requests the network received, in all.
    int salesReceived() {
        const auto stats = server.stats();
        if (network == Network::Viva) {
            return stats["viva_api"]["sales"].get<int>();
        }
        if (network == Network::VivaLocal) {
            return stats["viva_local"]["sales"].get<int>();
        }
        const auto& kinds = stats["gptom"]["tasks_by_kind"];
        return kinds.contains("sale") ? kinds["sale"].get<int>() : 0;
    }

    core::Json crashAndRecover(const std::string& step) {
        const std::vector<std::string> pay{
            "pay", "--terminal", "T1", "--invoice", invoice.string(), "--key", "crash-" + step};
        const auto paid = fiscpos(pay, {{"FISCPOS_TEST_KILL_AT", step}});
        BOOST_TEST_REQUIRE(paid.exitCode != 0, "the payment was not killed at " + step);
        BOOST_TEST(paid.out.empty(), paid.out); // killed before it could answer
        const std::string openState = onlyEntry()["state"].get<std::string>();
        BOOST_TEST((openState == "SENDING" || openState == "SENT"), openState);
        for (int attempt = 0; attempt < 200; ++attempt) {
            const auto reconciled = fiscpos({"reconcile"});
            if (reconciled.exitCode == 0) {
                break;
            }
            BOOST_TEST_REQUIRE(reconciled.exitCode == 3, reconciled.err);
        }
        // The same payment asked again returns the settled entry, never a second request.
        const auto again = fiscpos(pay);
        BOOST_TEST(again.exitCode != 1, again.err);
        BOOST_TEST(fiscpos({"journal", "verify"}).exitCode == 0);
        return onlyEntry();
    }
};

void killedAfterTheReferenceWasJournaled(Network network) {
    NetworkCrashWorld world(network);
    const auto entry = world.crashAndRecover("sending");
    BOOST_TEST(entry["state"].get<std::string>() == "NOT_CHARGED");
    BOOST_TEST(world.salesReceived() == 0);
}

void killedAfterTheNetworkAcceptedIt(Network network) {
    NetworkCrashWorld world(network);
    const auto entry = world.crashAndRecover("pending");
    BOOST_TEST(entry["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(!entry["transaction_id"].is_null());
    BOOST_TEST(world.salesReceived() == 1);
}

void killedWhileTheCardWasAwaited(Network network) {
    NetworkCrashWorld world(network);
    const auto entry = world.crashAndRecover("on_device");
    BOOST_TEST(entry["state"].get<std::string>() == "APPROVED");
    BOOST_TEST(world.salesReceived() == 1);
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_crash_recovery)

BOOST_AUTO_TEST_CASE(killed_after_journaling_the_session_id_nothing_is_charged) {
    killedAfterTheReferenceWasJournaled(Network::Viva);
}
BOOST_AUTO_TEST_CASE(killed_after_the_sale_was_accepted_the_approval_is_found) {
    killedAfterTheNetworkAcceptedIt(Network::Viva);
}
BOOST_AUTO_TEST_CASE(killed_while_polling_the_approval_is_found) {
    killedWhileTheCardWasAwaited(Network::Viva);
}

BOOST_AUTO_TEST_SUITE_END()

// The Local Terminal API: a terminal that reboots forgets its sessions, so a session it does not
// know is "never arrived" only within 30 s of the moment the request can first have left (the
// entry's opening, viva/local_provisional_api.hpp): reconcile right after a kill before the POST
// settles NOT_CHARGED; a session the terminal has is found.
BOOST_AUTO_TEST_SUITE(viva_local_crash_recovery)

BOOST_AUTO_TEST_CASE(killed_after_journaling_the_session_id_nothing_is_charged) {
    killedAfterTheReferenceWasJournaled(Network::VivaLocal);
}
BOOST_AUTO_TEST_CASE(killed_after_the_terminal_took_the_sale_the_approval_is_found) {
    killedAfterTheNetworkAcceptedIt(Network::VivaLocal);
}
BOOST_AUTO_TEST_CASE(killed_while_polling_the_approval_is_found) {
    killedWhileTheCardWasAwaited(Network::VivaLocal);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gptom_crash_recovery)

BOOST_AUTO_TEST_CASE(killed_after_journaling_the_reference_nothing_is_charged) {
    killedAfterTheReferenceWasJournaled(Network::Gptom);
}
BOOST_AUTO_TEST_CASE(killed_after_the_task_was_accepted_the_approval_is_found) {
    killedAfterTheNetworkAcceptedIt(Network::Gptom);
}
BOOST_AUTO_TEST_CASE(killed_while_the_task_runs_the_approval_is_found) {
    killedWhileTheCardWasAwaited(Network::Gptom);
}

BOOST_AUTO_TEST_SUITE_END()
