// The crash matrix: every network × every operation it offers (sale, refund, void,
// pre-authorisation and capture, batch close) × kill -9 at every progress step and at seeded random
// moments, then `fiscpos reconcile`, then the same operation again with the same key. Against the
// simulator's own records it asserts: no request sent twice under one reference, every approval the
// network gave is APPROVED in the journal and nothing else is (no lost approval, no phantom), no
// entry left open, one entry per key, `journal verify` clean. It prints the counts.
#include "core/json.hpp"
#include "tests/chaos/all_networks.hpp"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace fiscpos;

namespace {

// The progress steps a payment passes through, in order; a kill right after each.
const std::vector<std::string> steps{"signing", "signed",    "sending",
                                     "pending", "on_device", "APPROVED"};

enum class Op { Sale, Refund, Void, Preauth, Capture, BatchClose };

std::string opName(Op op) {
    switch (op) {
    case Op::Sale:
        return "sale";
    case Op::Refund:
        return "refund";
    case Op::Void:
        return "void";
    case Op::Preauth:
        return "preauth";
    case Op::Capture:
        return "capture";
    case Op::BatchClose:
        return "batch_close";
    }
    return "?";
}

struct Network {
    std::string name;    // as the journal names it
    std::string section; // the [terminal.NAME] of the configuration
    std::vector<Op> ops;
};

const std::vector<Network> networks{
    {"mellon", "M1", {Op::Sale, Op::Refund, Op::Void}},
    {"viva", "V1", {Op::Sale, Op::Refund, Op::Void, Op::Preauth, Op::Capture}},
    {"gptom", "G1", {Op::Sale, Op::Void, Op::BatchClose}},
    {"viva-local", "L1", {Op::Sale, Op::Refund, Op::Void, Op::Preauth, Op::Capture}},
};

struct Counts {
    int cases = 0;
    int killed = 0;
    int doubleRequests = 0;
    int lostApprovals = 0;
    int phantomApprovals = 0;
    int leftOpen = 0;
    int keyMismatches = 0;
};

class Matrix : public test::AllNetworks {
public:
    Matrix()
        : AllNetworks("crash-matrix", "deadline_seconds = 30\n") {}

    // An approved entry to refund, void or capture, taken without any kill.
    std::string approved(const Network& network, bool preauth) {
        std::vector<std::string> args{"pay", "--terminal", network.section, "--invoice", invoice()};
        if (preauth) {
            args.emplace_back("--preauth");
        }
        const auto paid = fiscpos(args);
        BOOST_TEST_REQUIRE(paid.exitCode == 0, paid.err);
        return core::parseJson(paid.out, "pay", core::JsonOrigin::Response)["id"];
    }

    // The command of one operation under `key`.
    std::vector<std::string> command(const Network& network, Op op, const std::string& key) {
        switch (op) {
        case Op::Sale:
            return {"pay", "--terminal", network.section, "--invoice", invoice(), "--key", key};
        case Op::Preauth:
            return {"pay",     "--terminal", network.section, "--invoice",
                    invoice(), "--preauth",  "--key",         key};
        case Op::Refund:
            return {"refund", "--original", approved(network, false), "--invoice", invoice("11.4"),
                    "--key",  key};
        case Op::Void:
            return {"void", "--entry", approved(network, false), "--key", key};
        case Op::Capture:
            return {"capture", "--entry", approved(network, true), "--invoice", invoice(),
                    "--key",   key};
        case Op::BatchClose:
            return {"batch-close", "--terminal", network.section, "--key", key};
        }
        return {};
    }

    // One case: the operation killed as `env` says, reconcile, the same operation again.
    void run(const Network& network, Op op, const std::string& key,
             const std::map<std::string, std::string>& env) {
        ++counts.cases;
        const auto args = command(network, op, key);
        const auto first = fiscpos(args, env);
        if (first.exitCode < 0 || first.exitCode > 3) {
            ++counts.killed;
        }
        BOOST_TEST(first.exitCode != 1, key << ": " << first.err);
        // The same request while its entry may still be open: it settles it, never a second
        // request (and never hangs on its own lock).
        const auto retried = fiscpos(args);
        BOOST_TEST(retried.exitCode != 1, key << " (retried while open): " << retried.err);
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto reconciled = fiscpos({"reconcile"});
            if (reconciled.exitCode == 0) {
                break;
            }
            BOOST_TEST_REQUIRE(reconciled.exitCode == 3, reconciled.err);
        }
        const auto again = fiscpos(args);
        BOOST_TEST((again.exitCode == 0 || again.exitCode == 2), key << ": " << again.err);
        keys.push_back(key);
    }

    // The invariants, against the simulator's records, after every case.
    void check() {
        const auto listed = fiscpos({"journal", "list"});
        BOOST_TEST_REQUIRE(listed.exitCode == 0, listed.err);
        const auto entries =
            core::parseJson(listed.out, "journal list", core::JsonOrigin::Response)["entries"];
        std::map<std::string, int> approvedByNetwork;
        std::map<std::string, int> perKey;
        for (const auto& entry : entries) {
            const std::string state = entry["state"];
            if (state == "SIGNING" || state == "SENDING" || state == "SENT" ||
                state == "IN_DOUBT") {
                ++counts.leftOpen;
                BOOST_ERROR("entry " << entry["id"].get<std::string>() << " left " << state);
            }
            if (state == "APPROVED") {
                ++approvedByNetwork[entry["network"].get<std::string>()];
            }
            if (entry.contains("idempotency_key") && entry["idempotency_key"].is_string()) {
                ++perKey[entry["idempotency_key"].get<std::string>()];
            }
        }
        for (const auto& key : keys) {
            if (perKey[key] != 1) {
                ++counts.keyMismatches;
                BOOST_ERROR("key " << key << " has " << perKey[key] << " entries");
            }
        }

        const auto stats = server.stats();
        // Mellon: one intent per CustomerReference at most; approvals as the intents ended.
        const auto& mellon = stats["mellon"];
        for (const auto& [reference, count] : mellon["intents_by_reference"].items()) {
            if (count.get<int>() > 1) {
                ++counts.doubleRequests;
                BOOST_ERROR("mellon: " << count.get<int>() << " intents under " << reference);
            }
        }
        compare("mellon", mellon["results"].value("1", 0), approvedByNetwork["mellon"]);
        // Viva: one POST per session id at most, through the Cloud or the Local Terminal API.
        // Both keep their sessions in the account's one session book, whose results count both.
        const auto& viva = stats["viva_api"];
        for (const auto* api : {&viva, &stats["viva_local"]}) {
            for (const auto& [session, count] : (*api)["session_posts"].items()) {
                if (count.get<int>() > 1) {
                    ++counts.doubleRequests;
                    BOOST_ERROR("viva: " << count.get<int>() << " posts of session " << session);
                }
            }
        }
        compare("viva", viva["results"].value("approved", 0),
                approvedByNetwork["viva"] + approvedByNetwork["viva-local"]);
        // GP tom: approvals of sale and cancellation tasks; batch closes are approved entries too.
        const auto& gptom = stats["gptom"];
        const int closes = gptom["tasks_by_kind"].value("close_batch", 0);
        compare("gptom", gptom["results"].value("approved", 0) + closes,
                approvedByNetwork["gptom"]);

        BOOST_TEST(fiscpos({"journal", "verify"}).exitCode == 0);
    }

    Counts counts;

private:
    void compare(const std::string& network, int atNetwork, int inJournal) {
        if (atNetwork > inJournal) {
            counts.lostApprovals += atNetwork - inJournal;
        }
        if (inJournal > atNetwork) {
            counts.phantomApprovals += inJournal - atNetwork;
        }
        BOOST_TEST(atNetwork == inJournal, network << ": the network approved " << atNetwork
                                                   << ", the journal says " << inJournal);
    }

    std::vector<std::string> keys;
};

void report(const Network& network, const Counts& counts) {
    BOOST_TEST_MESSAGE("crash matrix "
                       << network.name << ": " << counts.cases << " cases, " << counts.killed
                       << " killed, " << counts.doubleRequests << " double requests, "
                       << counts.lostApprovals << " lost approvals, " << counts.phantomApprovals
                       << " phantom approvals, " << counts.leftOpen << " left open, "
                       << counts.keyMismatches << " keys with other than one entry");
}

void killedAtEveryStep(const Network& network) {
    Matrix matrix;
    for (const Op op : network.ops) {
        for (const auto& step : steps) {
            matrix.run(network, op, network.name + "-" + opName(op) + "-" + step,
                       {{"FISCPOS_TEST_KILL_AT", step}});
        }
    }
    matrix.check();
    report(network, matrix.counts);
}

// Seeded: a failure names the seed and the case, and the same seed repeats it.
void killedAtRandomMoments(const Network& network, unsigned seed) {
    Matrix matrix;
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> micros(0, 400'000);
    for (const Op op : network.ops) {
        for (int i = 0; i < 3; ++i) {
            const int at = micros(random);
            matrix.run(network, op,
                       network.name + "-" + opName(op) + "-seed" + std::to_string(seed) + "-" +
                           std::to_string(at) + "us",
                       {{"FISCPOS_TEST_KILL_AFTER_US", std::to_string(at)}});
        }
    }
    matrix.check();
    report(network, matrix.counts);
}

} // namespace

BOOST_AUTO_TEST_SUITE(crash_matrix)

BOOST_AUTO_TEST_CASE(mellon_killed_at_every_step) {
    killedAtEveryStep(networks[0]);
}
BOOST_AUTO_TEST_CASE(viva_killed_at_every_step) {
    killedAtEveryStep(networks[1]);
}
BOOST_AUTO_TEST_CASE(gptom_killed_at_every_step) {
    killedAtEveryStep(networks[2]);
}
BOOST_AUTO_TEST_CASE(viva_local_killed_at_every_step) {
    killedAtEveryStep(networks[3]);
}
BOOST_AUTO_TEST_CASE(mellon_killed_at_seeded_random_moments) {
    killedAtRandomMoments(networks[0], 20261204);
}
BOOST_AUTO_TEST_CASE(viva_killed_at_seeded_random_moments) {
    killedAtRandomMoments(networks[1], 20261204);
}
BOOST_AUTO_TEST_CASE(gptom_killed_at_seeded_random_moments) {
    killedAtRandomMoments(networks[2], 20261204);
}
BOOST_AUTO_TEST_CASE(viva_local_killed_at_seeded_random_moments) {
    killedAtRandomMoments(networks[3], 20261204);
}

BOOST_AUTO_TEST_SUITE_END()
