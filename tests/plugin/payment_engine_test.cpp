// Operations started with a completion (PaymentService::startPay, ...): a waiting payment is a
// timer on the service's few workers, not a thread; a nudge wakes it; a repeated key returns the
// same entry; a service closed while payments wait leaves them to reconcile. Against the simulated
// Mellon network and provider over loopback HTTP, its terminals loaded from the simulator's sample
// configuration, with a SQLite (or PostgreSQL) journal; payments take simulated time.
#include "core/config.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "plugin/terminal_settings.hpp"
#include "signing/provider_client.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/test_journal.hpp"

#include <boost/test/unit_test.hpp>
#include <thread>

#include <condition_variable>
#include <mutex>
#include <set>

using namespace fiscpos;
using plugin::EntryState;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr double kTimeScale = 20.0;

std::string invoiceJson(int number) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "E", "aa": ")" +
           std::to_string(number) + R"(", "type": "11.1", "issued_at": ")" +
           core::athensIso8601(std::chrono::system_clock::now()) + R"(",
               "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
               "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

const sim::SimNetworkModule& mellonModule() {
    for (const auto& module : sim::simNetworks().modules()) {
        if (module.name == "mellon") {
            return module;
        }
    }
    throw std::logic_error("the simulator has no mellon network");
}

// What the completions heard, and what the progress said, for waiting on them.
// Whether every started operation has left inFlight(): an operation stays in it until its
// completion has returned, a moment after the completion recorded its answer here.
bool noneInFlight(const plugin::PaymentService& service) {
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (service.inFlight() != 0 && std::chrono::steady_clock::now() < giveUp) {
        std::this_thread::yield();
    }
    return service.inFlight() == 0;
}

class Outcomes {
public:
    plugin::Completion completion() {
        return [this](const plugin::JournalEntry& entry, std::exception_ptr error) {
            std::lock_guard lock(mutex_);
            ended_[entry.id] = entry;
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    errors_[entry.id] = e.what();
                }
            }
            changed_.notify_all();
        };
    }
    plugin::ProgressListener progress() {
        return [this](const std::string& id, const std::string& step, const std::string&) {
            std::lock_guard lock(mutex_);
            if (step == "on_device" || step == "pending") {
                onTerminal_.insert(id);
            }
            changed_.notify_all();
        };
    }
    // Waits (up to a generous real-time bound, for a stuck engine) until `n` payments have
    // reached their terminals / ended.
    bool awaitOnTerminal(std::size_t n) {
        return await([&] { return onTerminal_.size() >= n; });
    }
    bool awaitEnded(std::size_t n) {
        return await([&] { return ended_.size() >= n; });
    }
    std::map<std::string, plugin::JournalEntry> ended() {
        std::lock_guard lock(mutex_);
        return ended_;
    }
    std::map<std::string, std::string> errors() {
        std::lock_guard lock(mutex_);
        return errors_;
    }

private:
    template <typename Predicate> bool await(Predicate done) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, seconds(60), done);
    }
    std::mutex mutex_;
    std::condition_variable changed_;
    std::set<std::string> onTerminal_;
    std::map<std::string, plugin::JournalEntry> ended_;
    std::map<std::string, std::string> errors_;
};

struct EngineWorld {
    std::size_t terminalCount;
    core::SystemClock systemClock;
    sim::SimServer server;
    std::filesystem::path dir = test::freshTempDir("engine");
    plugin::CashJournal journal = plugin::CashJournal::open(test::testJournalUrl(dir), systemClock);
    std::unique_ptr<signing::MydataProviderClient> provider;
    std::map<std::string, plugin::TerminalBinding> terminals;

    // `terminals` Mellon terminals T0, T1, ... whose payments take `paymentTakes` of simulated
    // time, polled (no long wait).
    EngineWorld(std::size_t count, milliseconds paymentTakes)
        : terminalCount(count)
        , server([count] {
            sim::SimServerOptions options;
            options.timeScale = kTimeScale;
            options.maxThreads = static_cast<int>(count) + 16;
            options.maxQueued = static_cast<int>(count) + 64;
            return options;
        }()) {
        const auto key = signing::PrivateKey::fromPemFile(test::mellonPrivateKey());
        sim::ProviderPartyOptions providerOptions;
        providerOptions.token = "engine-token";
        server.addParty(std::make_shared<sim::ProviderParty>(key, providerOptions, server.clock()));
        server.start();
        const sim::SimNetworkModule& mellon = mellonModule();
        sim::SimSampleRequest request;
        request.baseUrl = server.baseUrl();
        request.paymentTakes = paymentTakes;
        for (std::size_t i = 0; i < count; ++i) {
            request.terminals.push_back("T" + std::to_string(i));
        }
        const sim::SimSample sample = mellon.sample->make(request);
        mellon.add(server, sample.values, key.publicKey());
        std::string sections;
        for (const auto& section : sample.sections) {
            sections += section + mellon.sample->longWait->setting + " = 0\n";
        }
        terminals = plugin::terminalsFromConfig(core::Config::fromText(sections), server.clock());

        signing::ProviderClientOptions clientOptions;
        clientOptions.baseUrl = server.baseUrl() + "/provider";
        clientOptions.token = "engine-token";
        clientOptions.providerId = request.providerId;
        provider = std::make_unique<signing::MydataProviderClient>(clientOptions);
    }

    std::unique_ptr<plugin::PaymentService>
    service(int workers, milliseconds deadline = std::chrono::minutes(10)) {
        plugin::PaymentServiceOptions options;
        options.workers = workers;
        options.schedule = plugin::PollSchedule(deadline);
        return std::make_unique<plugin::PaymentService>(journal, *provider, terminals,
                                                        server.clock(), options);
    }

    static plugin::PayRequest sale(std::size_t terminal, int number) {
        plugin::PayRequest request;
        request.terminal = "T" + std::to_string(terminal);
        request.invoiceJson = invoiceJson(number);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(payment_engine)

// Two workers, forty payments on forty terminals: all forty are on their terminals at once, which
// could not be if a waiting payment held one of the two threads.
BOOST_AUTO_TEST_CASE(waiting_payments_hold_timers_not_threads) {
    constexpr std::size_t kPayments = 40;
    EngineWorld world(kPayments, seconds(120)); // 6 s of real time at scale 20
    Outcomes outcomes; // before the service: its workers call it until they stop
    auto service = world.service(2);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < kPayments; ++i) {
        const auto opened = service->startPay(EngineWorld::sale(i, static_cast<int>(i)),
                                              outcomes.progress(), outcomes.completion());
        BOOST_TEST(plugin::stateName(opened.state) == "SIGNING");
        ids.insert(opened.id);
    }
    BOOST_TEST(ids.size() == kPayments);
    BOOST_TEST_REQUIRE(outcomes.awaitOnTerminal(kPayments));
    BOOST_TEST(service->inFlight() == kPayments);
    BOOST_TEST(outcomes.ended().empty());

    BOOST_TEST_REQUIRE(outcomes.awaitEnded(kPayments));
    BOOST_TEST(outcomes.errors().empty());
    for (const auto& [id, entry] : outcomes.ended()) {
        BOOST_TEST(ids.contains(id));
        BOOST_TEST(plugin::stateName(entry.state) == "APPROVED", id);
        BOOST_TEST(plugin::stateName(world.journal.get(id).state) == "APPROVED", id);
    }
    BOOST_TEST(noneInFlight(*service));
    const auto stats = world.server.stats()["mellon"];
    for (const auto& [reference, intents] : stats["intents_by_reference"].items()) {
        BOOST_TEST(intents.get<int>() == 1, reference);
    }
}

// On a schedule that would ask only once a simulated minute, the webhook's nudge asks at once.
BOOST_AUTO_TEST_CASE(a_nudge_wakes_a_parked_payment) {
    EngineWorld world(1, seconds(2));
    Outcomes outcomes;
    auto service = world.service(1);
    service->expectNudges("mellon", std::chrono::minutes(1));
    const auto started = world.server.clock().now();
    const auto opened =
        service->startPay(EngineWorld::sale(0, 1), outcomes.progress(), outcomes.completion());
    BOOST_TEST_REQUIRE(outcomes.awaitOnTerminal(1));
    // The terminal finishes after 2 simulated seconds; then the network's webhook would come.
    world.server.clock().sleepFor(seconds(3));
    BOOST_TEST(outcomes.ended().empty());
    const auto reference = world.journal.get(opened.id).networkReference;
    BOOST_TEST_REQUIRE(reference.has_value());
    BOOST_TEST(service->nudge(*reference));
    BOOST_TEST_REQUIRE(outcomes.awaitEnded(1));
    const auto ended = outcomes.ended().at(opened.id);
    BOOST_TEST(plugin::stateName(ended.state) == "APPROVED");
    // Answered by the nudge, well before the minute's question.
    BOOST_TEST((world.server.clock().now() - started < seconds(45)));
    BOOST_TEST(!service->nudge(*reference)); // nothing waits under it any more
}

// The same idempotency key started again, while the first still waits and after it ended: the
// same entry, one intent, both completions approved.
BOOST_AUTO_TEST_CASE(a_repeated_key_returns_the_same_entry) {
    EngineWorld world(1, seconds(4));
    Outcomes first;
    Outcomes again;
    auto service = world.service(2);
    auto request = EngineWorld::sale(0, 2);
    request.idempotencyKey = "till-7-receipt-2";
    const auto opened = service->startPay(request, first.progress(), first.completion());
    BOOST_TEST_REQUIRE(first.awaitOnTerminal(1));
    BOOST_TEST_REQUIRE(first.awaitEnded(1));
    const auto known = service->startPay(request, again.progress(), again.completion());
    BOOST_TEST(known.id == opened.id);
    BOOST_TEST_REQUIRE(again.awaitEnded(1));
    BOOST_TEST(plugin::stateName(again.ended().at(opened.id).state) == "APPROVED");
    BOOST_TEST(world.server.stats()["mellon"]["intents_by_reference"].size() == 1u);
}

// Bad input is refused on the caller's thread before anything is written; nothing is started.
BOOST_AUTO_TEST_CASE(bad_input_is_refused_before_anything_starts) {
    EngineWorld world(1, seconds(1));
    Outcomes outcomes;
    auto service = world.service(1);
    auto request = EngineWorld::sale(0, 3);
    request.terminal = "nowhere";
    BOOST_CHECK_EXCEPTION(service->startPay(request, outcomes.progress(), outcomes.completion()),
                          core::InputError,
                          [](const core::InputError& e) { return e.field() == "terminal"; });
    BOOST_TEST(world.journal.list(plugin::JournalFilter{}).empty());
    BOOST_TEST(noneInFlight(*service));
}

// A service closed while its payments wait: their completions hear "closed", the entries stay
// open, and reconcile by the next service settles them approved — never charged twice.
BOOST_AUTO_TEST_CASE(closing_leaves_waiting_payments_to_reconcile) {
    EngineWorld world(3, seconds(20));
    Outcomes outcomes;
    {
        auto service = world.service(2);
        for (std::size_t i = 0; i < 3; ++i) {
            service->startPay(EngineWorld::sale(i, 10 + static_cast<int>(i)), outcomes.progress(),
                              outcomes.completion());
        }
        BOOST_TEST_REQUIRE(outcomes.awaitOnTerminal(3));
    }
    BOOST_TEST(outcomes.ended().size() == 3u);
    for (const auto& [id, error] : outcomes.errors()) {
        BOOST_TEST(error.find("run reconcile") != std::string::npos, id);
        BOOST_TEST(world.journal.get(id).open(), id);
    }
    BOOST_TEST(outcomes.errors().size() == 3u);
    world.server.clock().sleepFor(seconds(21));
    auto next = world.service(1);
    for (const auto& entry : next->reconcile()) {
        BOOST_TEST(plugin::stateName(entry.state) == "APPROVED", entry.id);
    }
    const auto stats = world.server.stats(); // kept: items() refers into it
    for (const auto& [reference, intents] : stats["mellon"]["intents_by_reference"].items()) {
        BOOST_TEST(intents.get<int>() == 1, reference);
    }
}

BOOST_AUTO_TEST_SUITE_END()
