// The fault matrix: every network × the faults a remote party can have (an error status with or
// without the request applied, an unreadable answer, a connection dropped before or after the
// request was applied, failing status questions, a provider that is down or refuses the request),
// through `fiscpos pay` as a user runs it. Each case must end in the state the fault allows, with
// the exit status that state means and a message, and never with a second request of the payment
// at the network (the simulator counts them).
#include "core/json.hpp"
#include "tests/chaos/all_networks.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace fiscpos;

namespace {

struct Network {
    std::string name;
    std::string section;
    std::string postPath; // the request that starts a sale
    std::string getPath;  // the questions about it
};

const std::vector<Network> networks{
    {"mellon", "M1", "/mellon/api/v2.2/terminal/358046/txninit",
     "/mellon/api/v2.2/transactionintent"},
    {"viva", "V1", "/viva-api/ecr/v1/transactions:sale", "/viva-api/ecr/v1/sessions/"},
    {"gptom", "G1", "/gptom/v1/tasks/TRANSACTION", "/gptom/v1/tasks"},
};

struct Fault {
    std::string name;
    bool onProvider = false; // else on the network
    std::string method;      // POST: the request; GET: the questions
    sim::FaultKind kind = sim::FaultKind::Status;
    int status = 503;
    bool apply = false;
    int count = 1;
    // What may come of it: the states allowed, and whether the sale reached the network.
    std::set<std::string> states;
    int sales = 1; // sale requests the network must have handled: 0 or 1, never more
};

const std::vector<Fault> faults{
    {"provider answers 503 once",
     true,
     "POST",
     sim::FaultKind::Status,
     503,
     false,
     1,
     {"APPROVED"},
     1},
    {"provider's answer is lost after it signed",
     true,
     "POST",
     sim::FaultKind::DropAfter,
     0,
     false,
     1,
     {"APPROVED"},
     1},
    {"provider refuses the request (422)",
     true,
     "POST",
     sim::FaultKind::Status,
     422,
     false,
     1,
     {"FAILED"},
     0},
    {"provider is down", true, "POST", sim::FaultKind::DropBefore, 0, false, 10, {"FAILED"}, 0},
    {"network answers 503 without acting",
     false,
     "POST",
     sim::FaultKind::Status,
     503,
     false,
     1,
     {"NOT_CHARGED", "FAILED"},
     0},
    {"network answers 500 after acting",
     false,
     "POST",
     sim::FaultKind::Status,
     500,
     true,
     1,
     {"APPROVED"},
     1},
    {"connection dropped before the request was handled",
     false,
     "POST",
     sim::FaultKind::DropBefore,
     0,
     false,
     1,
     {"NOT_CHARGED", "FAILED"},
     0},
    {"connection dropped after the request was applied",
     false,
     "POST",
     sim::FaultKind::DropAfter,
     0,
     false,
     1,
     {"APPROVED"},
     1},
    {"an unreadable answer after the request was applied",
     false,
     "POST",
     sim::FaultKind::Malformed,
     0,
     true,
     1,
     {"APPROVED"},
     1},
    {"status questions answer 503",
     false,
     "GET",
     sim::FaultKind::Status,
     503,
     false,
     3,
     {"APPROVED"},
     1},
    {"status questions lose their connection",
     false,
     "GET",
     sim::FaultKind::DropBefore,
     0,
     false,
     2,
     {"APPROVED"},
     1},
    {"status answers are unreadable",
     false,
     "GET",
     sim::FaultKind::Malformed,
     0,
     false,
     2,
     {"APPROVED"},
     1},
};

int exitFor(const std::string& state) {
    if (state == "APPROVED") {
        return 0;
    }
    if (state == "IN_DOUBT" || state == "SENT" || state == "SENDING") {
        return 3;
    }
    return 2;
}

class FaultWorld : public test::AllNetworks {
public:
    FaultWorld()
        : AllNetworks("fault-matrix", "deadline_seconds = 20\nafter_abort_seconds = 5\n") {}

    // Sale requests the network has handled, in all.
    int sales(const Network& network) {
        const auto stats = server.stats();
        if (network.name == "mellon") {
            return stats["mellon"]["sales"].get<int>();
        }
        if (network.name == "viva") {
            return stats["viva_api"]["sales"].get<int>();
        }
        return stats["gptom"]["tasks_by_kind"].value("sale", 0);
    }

    void run(const Network& network, const Fault& fault) {
        server.faults().clear();
        sim::FaultRule rule;
        rule.method = fault.method;
        rule.path = fault.onProvider
                        ? "/provider/v2/signatures"
                        : (fault.method == "POST" ? network.postPath : network.getPath);
        rule.kind = fault.kind;
        rule.status = fault.status == 0 ? 503 : fault.status;
        rule.apply = fault.apply;
        rule.count = fault.count;
        server.faults().add(rule);

        const auto appliedBefore = server.faults().applied();
        const int before = sales(network);
        const auto started = std::chrono::steady_clock::now();
        const auto paid = fiscpos({"pay", "--terminal", network.section, "--invoice", invoice(),
                                   "--key", network.name + ": " + fault.name});
        const auto took = std::chrono::steady_clock::now() - started;
        const int handled = sales(network) - before;
        BOOST_TEST(server.faults().applied() > appliedBefore, "the fault never applied");
        server.faults().clear();

        // A refusal of the request's content is bad input (exit 1) with its entry FAILED.
        if (fault.status == 422) {
            BOOST_TEST(paid.exitCode == 1, paid.err);
            const bool named = paid.err.find("terminal") != std::string::npos ||
                               paid.err.find("provider") != std::string::npos;
            BOOST_TEST(named, paid.err);
        } else {
            const auto entry = core::parseJson(paid.out, "pay", core::JsonOrigin::Response);
            const std::string state = entry["state"];
            BOOST_TEST(fault.states.count(state) == 1U, state << ": " << paid.err);
            BOOST_TEST(paid.exitCode == exitFor(state), paid.err);
            BOOST_TEST(entry["outcome"].is_string());
        }
        BOOST_TEST(handled == fault.sales, "the network handled " << handled << " sales");
        BOOST_TEST(handled <= 1); // never a second request
        // Settled in seconds, not at the payment's deadline (20 s here).
        BOOST_TEST(took < std::chrono::seconds(18),
                   std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
        ++cases;
    }

    int cases = 0;
};

void everyFault(const Network& network) {
    FaultWorld world;
    for (const auto& fault : faults) {
        BOOST_TEST_CONTEXT(network.name << ": " << fault.name) {
            world.run(network, fault);
        }
    }
    BOOST_TEST(world.fiscpos({"journal", "verify"}).exitCode == 0);
    BOOST_TEST_MESSAGE("fault matrix " << network.name << ": " << world.cases << " faults");
}

} // namespace

BOOST_AUTO_TEST_SUITE(fault_matrix)

BOOST_AUTO_TEST_CASE(mellon_under_every_fault) {
    everyFault(networks[0]);
}
BOOST_AUTO_TEST_CASE(viva_under_every_fault) {
    everyFault(networks[1]);
}
BOOST_AUTO_TEST_CASE(gptom_under_every_fault) {
    everyFault(networks[2]);
}

BOOST_AUTO_TEST_SUITE_END()
