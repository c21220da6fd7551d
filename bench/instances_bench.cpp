#include "bench/instances_bench.hpp"

#include "bench/payment_bench.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_db.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace fiscpos::bench {

namespace {

using std::chrono::milliseconds;

constexpr const char* kProviderToken = "instances-token";
constexpr const char* kApiToken = "instances-api-token-0123456789";

void require(bool condition, const std::string& what) {
    if (!condition) {
        throw std::runtime_error("instances benchmark: " + what);
    }
}

// A loopback port free a moment ago.
std::uint16_t freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

// A `fiscpos serve` process, its output in a log file; killed (SIGKILL) or stopped (SIGTERM).
class ServeProcess {
public:
    ServeProcess(const std::filesystem::path& fiscpos, const std::filesystem::path& config,
                 const std::filesystem::path& log)
        : port_(freePort()) {
        const std::string listen = "127.0.0.1:" + std::to_string(port_);
        std::vector<std::string> args{fiscpos.string(), "--config", config.string(),
                                      "serve",          "--listen", listen};
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        require(spawned == 0, "cannot start " + fiscpos.string());
        // Ready when /health answers.
        core::HttpClient http(url());
        for (int i = 0; i < 300; ++i) {
            try {
                if (http.send(core::HttpRequest::get("/health")).status == 200) {
                    return;
                }
            } catch (const core::Error&) {
            }
            std::this_thread::sleep_for(milliseconds(50));
        }
        kill();
        throw std::runtime_error("fiscpos serve did not start; see " + log.string());
    }
    ~ServeProcess() { stop(); }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void kill() { end(SIGKILL); }
    void stop() { end(SIGTERM); }

private:
    void end(int signal) {
        if (pid_ > 0) {
            ::kill(pid_, signal);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
    }
    std::uint16_t port_;
    pid_t pid_ = -1;
};

// One run: `instances` serve processes on the journal, `clients` ERP threads each paying
// `perClient` times on a terminal of its own through instance (client % instances); with
// `killOne`, instance 1 is killed (SIGKILL) once a third of the payments are done, and its
// clients go on through the others with the same idempotency keys.
struct RunResult {
    double paymentsPerSecond = 0;
    std::size_t payments = 0;
    std::size_t retried = 0; // requests repeated on another instance after the kill
};

RunResult run(const InstancesBenchOptions& options, const std::filesystem::path& config,
              std::size_t instances, bool killOne, const std::string& tag) {
    std::vector<std::unique_ptr<ServeProcess>> serve;
    for (std::size_t i = 0; i < instances; ++i) {
        serve.push_back(std::make_unique<ServeProcess>(
            options.fiscpos, config,
            options.workDir / ("serve-" + tag + "-" + std::to_string(i) + ".log")));
    }
    const std::size_t total = options.clients * options.perClient;
    std::atomic<std::size_t> done{0};
    std::atomic<std::size_t> retried{0};
    std::atomic<bool> killed{false};
    std::mutex failureMutex;
    std::string failure;
    const auto started = std::chrono::steady_clock::now();
    {
        std::vector<std::jthread> clients;
        for (std::size_t c = 0; c < options.clients; ++c) {
            clients.emplace_back([&, c] {
                std::size_t target = c % instances;
                for (std::size_t p = 0; p < options.perClient; ++p) {
                    const core::Json body{
                        {"terminal", "T" + std::to_string(c)},
                        {"invoice", core::parseJson(invoiceJson(5000000 + c * 100000 + p),
                                                    "invoice", core::JsonOrigin::Input)},
                        {"idempotency_key",
                         tag + "-" + std::to_string(c) + "-" + std::to_string(p)}};
                    for (int attempt = 0;; ++attempt) {
                        try {
                            core::HttpClient http(serve[target]->url());
                            auto request = core::HttpRequest::json("POST", "/api/pay", body);
                            request.header("Authorization", std::string("Bearer ") + kApiToken);
                            const auto answer = http.send(request);
                            const auto json =
                                core::parseJson(answer.body, "answer", core::JsonOrigin::Response);
                            if (answer.status != 200 || json.value("status", -1) != 0) {
                                std::lock_guard lock(failureMutex);
                                failure = answer.body;
                            }
                            break;
                        } catch (const core::Error& e) {
                            // The instance is gone: the ERP asks another with the same key.
                            if (attempt > 3) {
                                std::lock_guard lock(failureMutex);
                                failure = e.what();
                                break;
                            }
                            ++retried;
                            target = (target + 1) % instances;
                        }
                    }
                    if (++done == total / 3 && killOne) {
                        serve[1]->kill();
                        killed = true;
                    }
                }
            });
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    require(failure.empty() || killOne, "a payment failed: " + failure);
    require(!killOne || killed, "the instance was not killed");
    return {static_cast<double>(total) / seconds, total, retried.load()};
}

} // namespace

core::Json instancesBenchmark(const InstancesBenchOptions& options,
                              const signing::PrivateKey& key) {
    const sim::SimNetworkModule* network = nullptr;
    for (const auto& module : sim::simNetworks().modules()) {
        if (module.sample && module.sample->charges &&
            (options.network.empty() || module.name == options.network)) {
            network = &module;
            break;
        }
    }
    require(network != nullptr, "no simulated network counts its charges (--network)");
    require(options.journalUrl.starts_with("postgres"), "needs --journal-url postgresql://...");
    std::filesystem::create_directories(options.workDir);

    sim::SimServerOptions serverOptions;
    serverOptions.maxThreads = static_cast<int>(4 * options.clients + 32);
    serverOptions.maxQueued = static_cast<int>(4 * options.clients + 64);
    sim::SimServer server(serverOptions);
    sim::ProviderPartyOptions provider;
    provider.token = kProviderToken;
    server.addParty(std::make_shared<sim::ProviderParty>(key, provider, server.clock()));
    server.start();
    sim::SimSampleRequest sample;
    sample.baseUrl = server.baseUrl();
    sample.paymentTakes = milliseconds(options.paymentMillis);
    for (std::size_t c = 0; c < options.clients; ++c) {
        sample.terminals.push_back("T" + std::to_string(c));
    }
    const sim::SimSample made = network->sample->make(sample);
    network->add(server, made.values, key.publicKey());

    core::Json result{{"network", network->name},
                      {"clients", options.clients},
                      {"payments_per_client", options.perClient}};
    for (const std::size_t instances : {std::size_t{1}, std::size_t{3}}) {
        for (const bool killOne : {false, true}) {
            if (killOne && instances == 1) {
                continue;
            }
            const std::string tag = std::to_string(instances) + (killOne ? "-kill" : "");
            // A fresh journal per run: the tables dropped, the first instance makes them again.
            {
                const auto session = plugin::journal_detail::connect(
                    plugin::journal_detail::parseJournalUrl(options.journalUrl));
                plugin::journal_detail::execute(*session,
                                                "DROP TABLE IF EXISTS cash_events, cash_entries, "
                                                "journal_head, journal_schema");
            }
            const auto config = options.workDir / ("fiscpos-" + tag + ".ini");
            {
                std::ofstream out(config);
                out << "[journal]\nurl = " << options.journalUrl << "\n"
                    << "[provider]\nurl = " << server.baseUrl()
                    << "/provider\ntoken = " << kProviderToken
                    << "\nprovider_id = " << sample.providerId << "\n"
                    << "[serve]\napi_token = " << kApiToken << "\nthreads = " << options.clients + 8
                    << "\nconnections_per_client = " << options.clients + 8 << "\n";
                for (const auto& section : made.sections) {
                    out << section;
                }
            }
            const auto before = network->sample->charges(server.stats());
            const RunResult measured = run(options, config, instances, killOne, tag);
            // What a killed instance left open, settled as an operator would.
            const auto reconciled = std::system(
                (options.fiscpos.string() + " --config " + config.string() + " reconcile > " +
                 (options.workDir / ("reconcile-" + tag + ".log")).string() + " 2>&1")
                    .c_str());
            const auto after = network->sample->charges(server.stats());
            // Against the network's records: requests sent twice, and approvals the journal
            // does not have as APPROVED.
            long long doubled = 0;
            for (const auto& [reference, count] : after.requestsByReference) {
                const auto earlier = before.requestsByReference.find(reference);
                doubled +=
                    count - (earlier == before.requestsByReference.end() ? 0 : earlier->second) > 1
                        ? 1
                        : 0;
            }
            core::SystemClock clock;
            auto journal = plugin::CashJournal::open(options.journalUrl, clock);
            std::size_t approved = 0;
            std::size_t open = 0;
            std::map<std::string, int> states; // what the other entries ended as
            const auto entries = journal.list();
            for (const auto& entry : entries) {
                approved += entry.state == plugin::EntryState::Approved ? 1 : 0;
                open += entry.open() ? 1 : 0;
                ++states[std::string(plugin::stateName(entry.state))];
            }
            const long long networkApproved = after.approved - before.approved;
            result[tag] = {{"instances", instances},
                           {"killed_one", killOne},
                           {"payments", measured.payments},
                           {"payments_per_s", measured.paymentsPerSecond},
                           {"retried_on_another_instance", measured.retried},
                           {"reconcile_exit", WEXITSTATUS(reconciled)},
                           {"journal_entries", entries.size()},
                           {"journal_states", states},
                           {"journal_approved", approved},
                           {"journal_open", open},
                           {"network_approved", networkApproved},
                           {"double_charges", doubled},
                           {"lost_approvals", networkApproved - static_cast<long long>(approved)},
                           {"journal_verified", journal.verify().ok}};
        }
    }
    result["speedup_3_vs_1"] =
        result["3"]["payments_per_s"].get<double>() / result["1"]["payments_per_s"].get<double>();
    server.stop();
    return result;
}

} // namespace fiscpos::bench
