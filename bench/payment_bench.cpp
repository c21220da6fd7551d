#include "bench/payment_bench.hpp"

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "core/terminal.hpp"
#include "einvoice/invoice.hpp"
#include "network/network_module.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_db.hpp"
#include "plugin/journal/journal_row.hpp"
#include "plugin/payment_service.hpp"
#include "plugin/payment_signature.hpp"
#include "plugin/terminal_settings.hpp"
#include "signing/provider_client.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fiscpos::bench {

namespace {

using std::chrono::milliseconds;

// A journal of its own for one run: a new SQLite file `name` in the journal folder, or the
// PostgreSQL database of --journal-url with the journal's tables dropped (the journal creates
// them again).
std::string freshJournal(const PaymentBenchOptions& options, const std::string& name) {
    if (!options.journalUrl) {
        std::filesystem::create_directories(options.journalDir);
        const auto file = options.journalDir / name;
        std::filesystem::remove(file);
        return "sqlite:" + file.string();
    }
    const auto session = plugin::journal_detail::connect(
        plugin::journal_detail::parseJournalUrl(*options.journalUrl));
    plugin::journal_detail::execute(
        *session, "DROP TABLE IF EXISTS cash_events, cash_entries, journal_head, journal_schema");
    return *options.journalUrl;
}

// What the notes say of the journal.
std::string journalNote(const PaymentBenchOptions& options, const std::string& name) {
    return options.journalUrl
               ? "journal " + plugin::journal_detail::parseJournalUrl(*options.journalUrl).display +
                     " (PostgreSQL, synchronous_commit on)"
               : "journal " + (options.journalDir / name).string() +
                     " (SQLite, WAL, synchronous=FULL)";
}

constexpr const char* providerToken = "bench-token";
constexpr const char* providerId = "999";

// What one payment cost, gathered on the thread that pays: the adapters report every HTTP
// exchange on the sending thread, and the signer is called on it.
struct Tally {
    int networkRequests = 0;  // to the card network
    int providerRequests = 0; // signatures asked for
    int failedRequests = 0;   // exchanges that ended without an answer
    Nanos roundTrips = 0;     // wall time inside HTTP exchanges (network and provider)
    core::TimePoint sentAt{}; // simulated time just before the payment request left
    // What the payment journaled, kept to replay its journal writes alone.
    std::vector<core::HttpExchange> exchanges;
    std::optional<signing::SignatureRequest> signatureRequest;
    std::optional<signing::ProviderSignature> signature;
};
thread_local Tally tally;
// Set while the payment whose journal writes are replayed runs, so other payments pay nothing
// for the copies.
thread_local bool capturing = false;

// The network's terminal as the PaymentService sees it, counting what goes over the wire.
class CountingTerminal final : public core::Terminal {
public:
    CountingTerminal(std::shared_ptr<core::Terminal> inner, const sim::SimClock& clock)
        : core::Terminal(inner->traits())
        , inner_(std::move(inner))
        , clock_(clock) {
        inner_->observe([](const core::HttpExchange& exchange) {
            ++tally.networkRequests;
            if (exchange.status == 0) {
                ++tally.failedRequests;
            }
            tally.roundTrips +=
                std::chrono::duration_cast<std::chrono::nanoseconds>(exchange.duration).count();
            if (capturing) {
                tally.exchanges.push_back(exchange);
            }
        });
    }

    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override {
        tally.sentAt = clock_.now();
        core::TerminalReport report = inner_->start(request, record);
        if (onStarted_) {
            onStarted_(request.reference);
        }
        return report;
    }
    // Called on the paying thread with our reference once the network took the request.
    void onStarted(std::function<void(const std::string&)> hook) { onStarted_ = std::move(hook); }
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override {
        return inner_->query(reference, record, sentNoEarlierThan);
    }
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override {
        return inner_->voidPayment(request, record);
    }
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override {
        return inner_->devices(record);
    }
    core::TerminalReport doAbort(const std::string& reference,
                                 const core::HttpObserver& record) override {
        return inner_->abort(reference, record);
    }

private:
    std::shared_ptr<core::Terminal> inner_;
    const sim::SimClock& clock_;
    std::function<void(const std::string&)> onStarted_;
};

// What the ERP's webhook endpoint does on the network's notification of a finished payment (where
// the network sends one): calls PaymentService::nudge(reference), here at the instant the
// simulated payment finishes (the terminal's time from when the request's answer came back: the
// payment was created before that). One thread per payment, sleeping on the simulator's clock;
// they are joined when this is destroyed.
class SessionNudger {
public:
    void nudgeAt(plugin::PaymentService& service, std::string reference, const sim::SimClock& clock,
                 core::TimePoint finishesAt) {
        std::lock_guard lock(mutex_);
        threads_.emplace_back(
            [this, &service, &clock, reference = std::move(reference), finishesAt] {
                const auto left = std::chrono::ceil<milliseconds>(finishesAt - clock.now());
                if (left > milliseconds(0)) {
                    clock.sleepFor(left);
                }
                if (service.nudge(reference)) {
                    ++found_;
                }
            });
    }
    // Nudges that found the payment waiting in the PaymentService.
    std::int64_t found() const { return found_; }

private:
    std::atomic<std::int64_t> found_{0};
    std::mutex mutex_;
    std::vector<std::jthread> threads_;
};

// The provider client, timed: a signature is one round trip to the provider.
class TimedSigner final : public signing::Signer {
public:
    explicit TimedSigner(signing::Signer& inner)
        : inner_(inner) {}
    signing::ProviderSignature sign(const signing::SignatureRequest& request) override {
        const Nanos started = wallNow();
        ++tally.providerRequests;
        auto signature = inner_.sign(request);
        tally.roundTrips += wallNow() - started;
        if (capturing) {
            tally.signatureRequest = request;
            tally.signature = signature;
        }
        return signature;
    }
    signing::ProviderSignature find(const std::string& id) override { return inner_.find(id); }
    signing::ProviderSignature cancel(const std::string& id) override { return inner_.cancel(id); }
    std::vector<signing::ProviderSignature> listPending() override { return inner_.listPending(); }

private:
    signing::Signer& inner_;
};

void require(bool condition, const std::string& what) {
    if (!condition) {
        throw std::runtime_error("payment benchmark precondition failed: " + what);
    }
}

sim::SimServerOptions serverOptions(std::size_t terminals, double timeScale,
                                    bool closeConnections) {
    sim::SimServerOptions options;
    options.timeScale = timeScale;
    if (closeConnections) {
        // Each answer closes its connection, so the simulator's threads are those of the
        // requests being answered, however many terminals there are.
        options.keepAlive = false;
        options.maxThreads = 4;
        options.maxQueued = static_cast<int>(terminals + 64);
        return options;
    }
    // A kept-alive connection holds a worker: one per terminal and per long wait.
    options.maxThreads = static_cast<int>(2 * terminals + 32);
    options.maxQueued = static_cast<int>(2 * terminals + 64);
    return options;
}

plugin::PayRequest payRequest(const std::string& terminal, std::size_t number) {
    plugin::PayRequest request;
    request.terminal = terminal;
    request.invoiceJson = invoiceJson(number);
    request.invoice = einvoice::parseInvoice(request.invoiceJson);
    return request;
}

// The simulated networks that offer a sample, those of `names` (empty: all) in the simulator's
// order.
std::vector<const sim::SimNetworkModule*> paidNetworks(const std::vector<std::string>& names) {
    std::vector<const sim::SimNetworkModule*> networks;
    for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
        if (module.sample &&
            (names.empty() || std::find(names.begin(), names.end(), module.name) != names.end())) {
            networks.push_back(&module);
        }
    }
    return networks;
}

// The network's title as fiscpos names it ("... Cloud Terminal API"), from the binding's nsp.
std::string titleOf(const plugin::TerminalBinding& binding) {
    const network::NetworkModule* module = network::builtinNetworks().find(binding.network);
    return module != nullptr ? module->title : binding.network;
}

// Asks every terminal's network, all at once, about a reference it never saw, so that each
// terminal holds its token before anything is timed; the answers (nothing under that reference,
// given after the network's own wait for a request it may not have registered yet) are not read.
void logIn(const std::vector<std::shared_ptr<core::Terminal>>& terminals) {
    std::vector<std::jthread> threads;
    for (const auto& terminal : terminals) {
        threads.emplace_back([terminal] {
            try {
                terminal->query(core::newUuid());
            } catch (const core::Error&) {
            }
        });
    }
}

// The simulator (a provider and one network per terminal duration, each network in a simulator
// of its own), the journal, the provider client and the terminals; PaymentServices are made over
// them.
class PaymentWorld {
public:
    // One simulated `network` per entry of `durations` (how long a payment takes on its
    // terminals), each serving `terminals` terminals, T0, T1, ... as its sample describes them.
    // closeConnections: the simulators close every connection after its answer
    // (serverOptions).
    PaymentWorld(const signing::PrivateKey& key, std::size_t terminals,
                 const std::vector<milliseconds>& durations, double timeScale,
                 const std::string& journalUrl, const sim::SimNetworkModule& network,
                 bool closeConnections = false)
        : network_(network)
        , server_(serverOptions(terminals, timeScale, closeConnections)) {
        sim::ProviderPartyOptions provider;
        provider.token = providerToken;
        provider.providerId = providerId;
        server_.addParty(std::make_shared<sim::ProviderParty>(key, provider, server_.clock()));
        server_.start();
        sim::SimSampleRequest sample;
        for (std::size_t i = 0; i < terminals; ++i) {
            sample.terminals.push_back("T" + std::to_string(i));
        }
        sample.providerId = providerId;
        for (std::size_t k = 0; k < durations.size(); ++k) {
            sim::SimServer* server = &server_;
            if (k > 0) {
                networks_.push_back(std::make_unique<sim::SimServer>(
                    serverOptions(terminals, timeScale, closeConnections)));
                server = networks_.back().get();
                server->start();
            }
            sample.baseUrl = server->baseUrl();
            sample.paymentTakes = durations[k];
            sim::SimSample made = network.sample->make(sample);
            network.add(*server, made.values, key.publicKey());
            sections_.push_back(std::move(made.sections));
        }

        signing::ProviderClientOptions client;
        client.baseUrl = server_.baseUrl() + "/provider";
        client.token = providerToken;
        client.providerId = providerId;
        provider_ = std::make_unique<signing::MydataProviderClient>(client);
        signer_ = std::make_unique<TimedSigner>(*provider_);
        journal_ = std::make_unique<plugin::CashJournal>(
            plugin::CashJournal::open(journalUrl, systemClock_));
    }

    ~PaymentWorld() {
        for (auto& network : networks_) {
            network->stop();
        }
        server_.stop();
    }
    PaymentWorld(const PaymentWorld&) = delete;
    PaymentWorld& operator=(const PaymentWorld&) = delete;

    // Terminal "T<index>" on the network of duration `network`, loaded from its sample section
    // by plugin::terminalsFromConfig as fiscpos loads a configuration, with the network's long
    // wait set to `waitSeconds` when given, its exchanges counted.
    plugin::TerminalBinding binding(std::size_t index, std::size_t network,
                                    std::optional<int> waitSeconds) {
        const std::string name = "T" + std::to_string(index);
        std::string section = sections_.at(network).at(index);
        if (waitSeconds) {
            section +=
                network_.sample->longWait->setting + " = " + std::to_string(*waitSeconds) + "\n";
        }
        sim::SimServer& server = this->network(network);
        auto terminals =
            plugin::terminalsFromConfig(core::Config::fromText(section), server.clock());
        plugin::TerminalBinding binding = terminals.at(name);
        binding.requireUsable();
        binding.terminal = std::make_shared<CountingTerminal>(binding.terminal, server.clock());
        return binding;
    }

    std::unique_ptr<plugin::PaymentService>
    service(std::map<std::string, plugin::TerminalBinding> bindings, plugin::PollSchedule schedule,
            const core::Clock& clock) {
        plugin::PaymentServiceOptions options;
        options.schedule = schedule;
        return service(std::move(bindings), options, clock);
    }
    std::unique_ptr<plugin::PaymentService>
    service(std::map<std::string, plugin::TerminalBinding> bindings,
            const plugin::PaymentServiceOptions& options, const core::Clock& clock) {
        return std::make_unique<plugin::PaymentService>(*journal_, *signer_, std::move(bindings),
                                                        clock, options);
    }
    std::size_t networkCount() const { return 1 + networks_.size(); }

    sim::SimServer& server() { return server_; }
    // The simulator of the network of duration `k` (the first is server()).
    sim::SimServer& network(std::size_t k) { return k == 0 ? server_ : *networks_.at(k - 1); }
    plugin::CashJournal& journal() { return *journal_; }
    const core::Clock& systemClock() const { return systemClock_; }
    const core::Clock& simTime() { return server_.clock(); }

    // Requests the first simulator received: the provider's, and the network's (every other
    // party's).
    std::int64_t providerRequests() const { return requests(true); }
    std::int64_t networkRequests() const { return requests(false); }
    // The network's requests on every simulator.
    std::int64_t allNetworkRequests() const {
        std::int64_t total = requests(false);
        for (const auto& network : networks_) {
            total += requests(false, *network);
        }
        return total;
    }

private:
    std::int64_t requests(bool provider) const { return requests(provider, server_); }
    static std::int64_t requests(bool provider, const sim::SimServer& server) {
        std::int64_t total = 0;
        const core::Json stats = server.stats();
        for (const auto& [name, value] : stats.items()) {
            if ((name == "provider") == provider && value.is_object() &&
                value.contains("requests")) {
                total += value["requests"].get<std::int64_t>();
            }
        }
        return total;
    }

    const sim::SimNetworkModule& network_;
    core::SystemClock systemClock_;
    sim::SimServer server_;
    std::vector<std::unique_ptr<sim::SimServer>> networks_;
    std::vector<std::vector<std::string>> sections_; // per network, per terminal
    std::unique_ptr<signing::MydataProviderClient> provider_;
    std::unique_ptr<TimedSigner> signer_;
    std::unique_ptr<plugin::CashJournal> journal_;
};

struct PaymentSample {
    Nanos wall = 0;
    Nanos cpu = 0;
    Tally tally;
    std::size_t events = 0;
    core::TimePoint recordedAt{}; // simulated, when pay() returned (with `simClock`)
};

// One payment, measured on this thread; it must end APPROVED. The journal's events are counted
// afterwards, outside the timing.
PaymentSample payOnce(plugin::PaymentService& service, const plugin::PayRequest& request,
                      plugin::CashJournal* journal, const sim::SimClock* simClock = nullptr) {
    tally = Tally{};
    PaymentSample sample;
    const Nanos c0 = threadCpuNow();
    const Nanos w0 = wallNow();
    plugin::JournalEntry entry = service.pay(request);
    sample.wall = wallNow() - w0;
    sample.cpu = threadCpuNow() - c0;
    if (simClock != nullptr) {
        sample.recordedAt = simClock->now();
    }
    sample.tally = tally;
    require(entry.state == plugin::EntryState::Approved,
            "payment " + entry.id + " ended " + std::string(plugin::stateName(entry.state)) + ": " +
                entry.outcome.value_or(""));
    if (journal != nullptr) {
        sample.events = journal->events(entry.id).size();
    }
    return sample;
}

double mean(const std::vector<double>& values) {
    return values.empty() ? 0.0
                          : std::accumulate(values.begin(), values.end(), 0.0) /
                                static_cast<double>(values.size());
}

void addPercentiles(Report& report, const std::string& section, const std::string& name,
                    const std::vector<Nanos>& samples, double divisor, const std::string& unit) {
    const Percentiles p = percentiles(samples);
    const auto value = [divisor](Nanos n) {
        return static_cast<double>(n) / divisor;
    };
    report.figures.push_back({section, name + " p50", value(p.p50), unit});
    report.figures.push_back({section, name + " p95", value(p.p95), unit});
    report.figures.push_back({section, name + " p99", value(p.p99), unit});
    report.figures.push_back({section, name + " max", value(p.max), unit});
}

void addCountRange(Report& report, const std::string& section, const std::string& name,
                   const std::vector<double>& values, const std::string& unit) {
    if (values.empty()) {
        return;
    }
    report.figures.push_back({section, name + " (mean)", mean(values), unit});
    report.figures.push_back(
        {section, name + " (min)", *std::min_element(values.begin(), values.end()), unit});
    report.figures.push_back(
        {section, name + " (max)", *std::max_element(values.begin(), values.end()), unit});
}

// The journal writes of one approved payment as the PaymentService makes them (the entry, the
// provider's request and answer, the reference, the network's exchanges with the last one
// carrying the outcome), replayed `n` times on a journal of its own: the journal's share of a
// payment, measured alone.
Result journalReplay(const std::string& section, const Tally& payment,
                     const plugin::PayRequest& request, std::size_t n,
                     const std::string& journalUrl, const std::string& network) {
    require(payment.signature && payment.signatureRequest && !payment.exchanges.empty(),
            "a payment was captured for the journal replay");
    const core::SystemClock clock;
    plugin::CashJournal journal = plugin::CashJournal::open(journalUrl, clock);
    const einvoice::Invoice& invoice = request.invoice;
    plugin::NewEntry entry;
    entry.kind = plugin::EntryKind::Sale;
    entry.terminal = request.terminal;
    entry.network = network;
    entry.tid = payment.signatureRequest->terminalId;
    entry.amount = invoice.totals.gross;
    entry.currency = invoice.currency;
    entry.invoiceUid = invoice.uid();
    entry.invoiceSeries = invoice.series;
    entry.invoiceAa = invoice.aa;
    entry.invoiceType = invoice.type;
    entry.invoiceIssuedAt = invoice.issuedAt;
    entry.request = request.invoiceJson;
    const std::string providerRequest = core::dumpJson(payment.signatureRequest->toProviderJson());
    const std::string providerAnswer = core::dumpJson(payment.signature->raw);
    const auto writeOne = [&](std::size_t) {
        const std::string id = journal.openEntry(entry).entry.id;
        plugin::EventRecord asked = plugin::EventRecord::make(plugin::event_kind::ProviderRequest);
        asked.requestBody = providerRequest;
        journal.append(id, asked);
        plugin::EventRecord answered =
            plugin::EventRecord::make(plugin::event_kind::ProviderResponse);
        answered.responseBody = providerAnswer;
        journal.append(id, answered, plugin::EntryChanges::fromSignature(*payment.signature));
        plugin::EntryChanges sending = plugin::EntryChanges::to(plugin::EntryState::Sending);
        sending.networkReference = core::newUuid();
        journal.append(
            id,
            plugin::EventRecord::make(plugin::event_kind::ReferenceChosen,
                                      network + " reference " + *sending.networkReference),
            sending);
        for (std::size_t i = 0; i < payment.exchanges.size(); ++i) {
            const bool last = i + 1 == payment.exchanges.size();
            if (payment.exchanges[i].method == "GET" && !last) {
                continue;
            }
            plugin::EntryChanges changes;
            if (last) {
                changes.state = plugin::EntryState::Approved;
                changes.outcome = "approved";
                changes.networkIntentId = "1200001";
                changes.transactionId = "075121702285176315144";
                changes.rrn = "123456789012";
                changes.authCode = "123456";
                changes.maskedPan = "4***********1111";
                changes.cardType = "VISA";
            }
            journal.append(id,
                           plugin::EventRecord::fromExchange(plugin::event_kind::NetworkResponse,
                                                             payment.exchanges[i]),
                           changes);
        }
    };
    return measure(section, "journal writes of one payment alone (replayed, durable)", n, 5,
                   CpuClock::PerOperation, writeOne);
}

// The long wait the sequential and concurrent payments run with: --wait-seconds or the network's
// default, on a network that has one.
std::optional<int> longWait(const PaymentBenchOptions& options,
                            const sim::SimNetworkModule& network) {
    if (!network.sample->longWait) {
        return std::nullopt;
    }
    return options.waitSeconds.value_or(network.sample->longWait->defaultSeconds);
}

// a. Payments one after another on one terminal, the simulated terminal answering at once.
void sequentialPayments(Report& report, const PaymentBenchOptions& options,
                        const signing::PrivateKey& key, const sim::SimNetworkModule& network) {
    const std::string section = "pay-seq-" + network.name;
    const std::string journalName = "sequential-" + network.name + ".db";
    const std::optional<int> wait = longWait(options, network);
    PaymentWorld world(key, 1, {milliseconds(0)}, 1.0, freshJournal(options, journalName), network);
    plugin::TerminalBinding terminal = world.binding(0, 0, wait);
    const std::string paid = terminal.network;
    const std::string title = titleOf(terminal);
    const std::string tid = terminal.tid;
    auto service =
        world.service({{"T0", std::move(terminal)}}, plugin::PollSchedule(), world.systemClock());
    const std::size_t total = options.warmupPayments + options.sequentialPayments;
    std::vector<plugin::PayRequest> requests;
    for (std::size_t i = 0; i < total; ++i) {
        requests.push_back(payRequest("T0", i + 1));
    }
    for (std::size_t i = 0; i < options.warmupPayments; ++i) {
        payOnce(*service, requests[i], nullptr);
    }

    const std::int64_t providerBefore = world.providerRequests();
    const std::int64_t networkBefore = world.networkRequests();
    Result whole{section, "whole payment (PaymentService::pay), 1 terminal", {}, {}, 0, 0};
    Result outside{section, "wall outside HTTP round trips (journal, own work)", {}, {}, 0, 0};
    std::vector<double> requestCounts, networkCounts, eventCounts;
    Nanos roundTrips = 0;
    const Nanos started = wallNow();
    for (std::size_t i = options.warmupPayments; i < total; ++i) {
        const PaymentSample sample = payOnce(*service, requests[i], &world.journal());
        whole.wall.push_back(sample.wall);
        whole.cpu.push_back(sample.cpu);
        whole.cpuTotal += sample.cpu;
        outside.wall.push_back(sample.wall - sample.tally.roundTrips);
        roundTrips += sample.tally.roundTrips;
        requestCounts.push_back(sample.tally.networkRequests + sample.tally.providerRequests);
        networkCounts.push_back(sample.tally.networkRequests);
        eventCounts.push_back(static_cast<double>(sample.events));
    }
    // The journal's events are read back between payments; that is not counted in the totals.
    whole.wallTotal = std::accumulate(whole.wall.begin(), whole.wall.end(), Nanos{0});
    outside.wallTotal = std::accumulate(outside.wall.begin(), outside.wall.end(), Nanos{0});
    const auto n = static_cast<double>(options.sequentialPayments);
    const double wallSum = static_cast<double>(whole.wallTotal);
    report.figures.push_back({section, "payments per second (including reading the events back)",
                              n / (static_cast<double>(wallNow() - started) / 1e9), "payments/s"});
    report.figures.push_back({section, "share of wall in HTTP round trips (provider + network)",
                              100.0 * static_cast<double>(roundTrips) / wallSum, "%"});
    report.figures.push_back({section, "share of wall outside them (journal writes, own work)",
                              100.0 - 100.0 * static_cast<double>(roundTrips) / wallSum, "%"});
    report.figures.push_back({section, "share of wall that is the paying thread's CPU",
                              100.0 * static_cast<double>(whole.cpuTotal) / wallSum, "%"});
    report.figures.push_back({section,
                              "requests per payment, simulator's count (provider + network)",
                              static_cast<double>(world.providerRequests() - providerBefore +
                                                  world.networkRequests() - networkBefore) /
                                  n,
                              "requests"});
    addCountRange(report, section, "requests per payment, counted per payment", requestCounts,
                  "requests");
    addCountRange(report, section, "of which to the network (" + title + ")", networkCounts,
                  "requests");
    addCountRange(report, section, "journal events per payment", eventCounts, "events");
    capturing = true;
    payOnce(*service, payRequest("T0", total + 1), nullptr);
    capturing = false;
    const Tally last = tally;
    report.results.push_back(std::move(whole));
    report.results.push_back(std::move(outside));
    report.results.push_back(
        journalReplay(section, last, requests.back(), options.sequentialPayments,
                      freshJournal(options, "replay-" + network.name + ".db"), paid));
    report.notes.push_back(
        section + ": " + std::to_string(options.sequentialPayments) + " payments after " +
        std::to_string(options.warmupPayments) + " untimed ones on " + title + " terminal " + tid +
        " (which obtain its token); the simulated terminal finishes at once" +
        (wait ? ", " + network.sample->longWait->setting + " " + std::to_string(*wait) : "") +
        "; " + journalNote(options, journalName));
}

// b. One thread per terminal, all paying at once on one PaymentService and one journal.
void concurrentPayments(Report& report, const PaymentBenchOptions& options,
                        const signing::PrivateKey& key, const sim::SimNetworkModule& network) {
    const std::string section = "pay-conc-" + network.name;
    const std::size_t terminals = options.terminals;
    PaymentWorld world(key, terminals, {milliseconds(0)}, 1.0,
                       freshJournal(options, "concurrent-" + network.name + ".db"), network);
    std::map<std::string, plugin::TerminalBinding> bindings;
    for (std::size_t t = 0; t < terminals; ++t) {
        bindings.emplace("T" + std::to_string(t), world.binding(t, 0, longWait(options, network)));
    }
    const std::string firstTid = bindings.at("T0").tid;
    auto service = world.service(std::move(bindings), plugin::PollSchedule(), world.systemClock());

    std::vector<std::vector<PaymentSample>> samples(terminals);
    std::vector<std::vector<plugin::PayRequest>> requests(terminals);
    std::int64_t requestsBefore = 0;
    const TogetherRun together = runTogether(
        terminals,
        [&](std::size_t t) {
            const std::string name = "T" + std::to_string(t);
            for (std::size_t i = 0; i <= options.perTerminal; ++i) {
                requests[t].push_back(payRequest(name, 1000000 * (t + 1) + i));
            }
            payOnce(*service, requests[t][0], nullptr); // connects; untimed
        },
        [&](std::size_t t) {
            for (std::size_t i = 1; i <= options.perTerminal; ++i) {
                samples[t].push_back(payOnce(*service, requests[t][i], nullptr));
            }
        },
        [&] { requestsBefore = world.providerRequests() + world.networkRequests(); });
    const Nanos wall = together.wall;
    const Nanos processCpu = together.processCpu;
    for (const std::string& failure : together.failures) {
        require(failure.empty(), "a paying thread failed: " + failure);
    }
    const std::int64_t requestCount =
        world.providerRequests() + world.networkRequests() - requestsBefore;

    const std::string label = std::to_string(terminals) + " terminals at once";
    Result merged{section, "whole payment, " + label, {}, {}, wall, 0};
    Result outside{section, "wall outside HTTP round trips, " + label, {}, {}, wall, 0};
    for (const auto& perThread : samples) {
        for (const PaymentSample& sample : perThread) {
            merged.wall.push_back(sample.wall);
            merged.cpu.push_back(sample.cpu);
            merged.cpuTotal += sample.cpu;
            outside.wall.push_back(sample.wall - sample.tally.roundTrips);
        }
    }
    std::vector<double> requestCounts;
    for (const auto& perThread : samples) {
        for (const PaymentSample& sample : perThread) {
            requestCounts.push_back(sample.tally.networkRequests + sample.tally.providerRequests);
        }
    }
    const auto total = static_cast<double>(merged.count());
    addCountRange(report, section, "requests per payment, counted per payment", requestCounts,
                  "requests");
    report.figures.push_back({section, "throughput (" + label + ")",
                              total / (static_cast<double>(wall) / 1e9), "payments/s"});
    report.figures.push_back({section, "requests per payment, simulator's count",
                              static_cast<double>(requestCount) / total, "requests"});
    report.figures.push_back({section, "process CPU per payment, fiscpos + simulator",
                              static_cast<double>(processCpu) / total / 1e3, "µs"});
    report.figures.push_back({section,
                              "peak RSS (process: fiscpos, the simulator, " +
                                  std::to_string(terminals) + " paying threads)",
                              static_cast<double>(peakRssKiB()) / 1024.0, "MiB"});
    report.results.push_back(std::move(merged));
    report.results.push_back(std::move(outside));
    report.notes.push_back(section + ": " + std::to_string(terminals) + " threads, each paying " +
                           std::to_string(options.perTerminal) + " times on its own terminal" +
                           " (TIDs from " + firstTid +
                           ") after one untimed payment; one "
                           "PaymentService, one provider client and one journal for all");
}

// c. Payments that take about 30 simulated seconds on the terminal, by poll mode.
struct LagMode {
    std::string name;
    plugin::PollSchedule schedule;
    std::optional<int> waitSeconds; // the network's long wait, on a network that has one
    bool nudge = false; // the payment's finish nudges the PaymentService (the network's webhook)
    // What fiscpos serve does where it receives the network's webhooks: a question every
    // `fallback` only (PaymentService::expectNudges), the webhook's nudge asking at once; a
    // share of the webhooks (`lostPercent`) never arrives.
    std::optional<milliseconds> fallback = std::nullopt;
    int lostPercent = 0;
};

// The poll modes of the lag run on `network`: a question every 5 s and the adaptive schedule
// (without the long wait), the adaptive schedule nudged where the network sends a webhook when a
// payment finished, and the long wait, long enough and too short, where the network has one.
std::vector<LagMode> lagModes(const PaymentBenchOptions& options,
                              const sim::SimNetworkModule& network) {
    const std::optional<sim::SimLongWait>& wait = network.sample->longWait;
    const std::optional<int> noWait = wait ? std::optional<int>(0) : std::nullopt;
    std::vector<LagMode> modes;
    modes.push_back(
        {"fixed 5 s poll", plugin::PollSchedule::every(std::chrono::seconds(5)), noWait});
    modes.push_back({"adaptive poll", plugin::PollSchedule(), noWait});
    if (network.sample->webhookOnFinish) {
        modes.push_back({"adaptive poll + webhook nudge", plugin::PollSchedule(), noWait, true});
        modes.push_back({"5 s fallback poll + webhook nudge, " +
                             std::to_string(options.webhookLostPercent) + " % of webhooks lost",
                         plugin::PollSchedule(), noWait, true, std::chrono::seconds(5),
                         options.webhookLostPercent});
    }
    if (wait) {
        const int seconds = options.waitSeconds.value_or(wait->defaultSeconds);
        modes.push_back(
            {"long wait " + std::to_string(seconds) + " s", plugin::PollSchedule(), seconds});
        modes.push_back({"long wait " + std::to_string(options.shortWaitSeconds) + " s (runs out)",
                         plugin::PollSchedule(), options.shortWaitSeconds});
    }
    return modes;
}

void detectionLag(Report& report, const PaymentBenchOptions& options,
                  const signing::PrivateKey& key, const sim::SimNetworkModule& network) {
    const std::string section = "lag-" + network.name;
    // Ten networks whose terminals take 27.75 s to 32.25 s (every 0.5 s): payments do not all end
    // on a multiple of a poll interval.
    std::vector<milliseconds> durations;
    for (int k = 0; k < 10; ++k) {
        durations.push_back(milliseconds(27750 + 500 * k));
    }
    const std::vector<LagMode> modes = lagModes(options, network);
    const std::size_t perMode = options.lagTerminals;
    const std::size_t terminals = perMode * modes.size();
    PaymentWorld world(key, terminals, durations, options.lagTimeScale,
                       freshJournal(options, "lag-" + network.name + ".db"), network);

    std::vector<std::unique_ptr<plugin::PaymentService>> services;
    SessionNudger nudger; // destroyed (its threads joined) before the services
    std::vector<std::size_t> networkOf(terminals);
    std::vector<std::shared_ptr<core::Terminal>> loaded;
    for (std::size_t m = 0; m < modes.size(); ++m) {
        std::map<std::string, plugin::TerminalBinding> bindings;
        for (std::size_t i = 0; i < perMode; ++i) {
            const std::size_t t = m * perMode + i;
            networkOf[t] = i % durations.size();
            plugin::TerminalBinding binding = world.binding(t, networkOf[t], modes[m].waitSeconds);
            // A webhook lost: the payments whose spread number falls under the share.
            const bool lost = static_cast<int>((i * 37) % 100) < modes[m].lostPercent;
            if (modes[m].nudge && !lost) {
                const sim::SimClock& clock = world.network(networkOf[t]).clock();
                const milliseconds duration = durations[networkOf[t]];
                std::static_pointer_cast<CountingTerminal>(binding.terminal)
                    ->onStarted([&nudger, &services, &clock, m, duration](const std::string& ref) {
                        nudger.nudgeAt(*services[m], ref, clock, clock.now() + duration);
                    });
            }
            loaded.push_back(binding.terminal);
            bindings.emplace("T" + std::to_string(t), std::move(binding));
        }
        const std::string paidNetwork = bindings.begin()->second.network;
        services.push_back(world.service(std::move(bindings), modes[m].schedule, world.simTime()));
        if (modes[m].fallback) {
            services.back()->expectNudges(paidNetwork, *modes[m].fallback);
        }
    }
    logIn(loaded); // the tokens are cached for the whole run

    struct LagSample {
        Nanos lag = 0; // simulated
        PaymentSample payment;
    };
    std::vector<LagSample> samples(terminals);
    std::vector<std::string> failures(terminals);
    const Nanos wallStart = wallNow();
    {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < terminals; ++t) {
            workers.emplace_back([&, t] {
                try {
                    const std::size_t mode = t / perMode;
                    const std::size_t i = t % perMode;
                    const auto request = payRequest("T" + std::to_string(t), 2000000 + t);
                    // The terminal's network keeps the time its payment is measured on.
                    const sim::SimClock& simClock = world.network(networkOf[t]).clock();
                    // Starts spread over 5 s, so the payments do not all end together.
                    simClock.sleepFor(milliseconds(static_cast<std::int64_t>(5000 * i / perMode)));
                    samples[t].payment =
                        payOnce(*services[mode], request, &world.journal(), &simClock);
                    const core::TimePoint completed =
                        samples[t].payment.tally.sentAt + durations[networkOf[t]];
                    samples[t].lag = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         samples[t].payment.recordedAt - completed)
                                         .count();
                } catch (const std::exception& e) {
                    failures[t] = e.what();
                }
            });
        }
    }
    const Nanos wall = wallNow() - wallStart;
    for (const std::string& failure : failures) {
        require(failure.empty(), "a paying thread failed: " + failure);
    }

    for (std::size_t m = 0; m < modes.size(); ++m) {
        std::vector<Nanos> lags, cpu;
        std::vector<double> requests, toNetwork, failed, events;
        for (std::size_t i = 0; i < perMode; ++i) {
            const LagSample& sample = samples[m * perMode + i];
            require(sample.lag >= 0, "a payment was recorded before its terminal finished");
            lags.push_back(sample.lag);
            cpu.push_back(sample.payment.cpu);
            const Tally& counted = sample.payment.tally;
            requests.push_back(counted.networkRequests + counted.providerRequests);
            toNetwork.push_back(counted.networkRequests);
            failed.push_back(counted.failedRequests);
            events.push_back(static_cast<double>(sample.payment.events));
        }
        const std::string name = modes[m].name;
        addPercentiles(report, section, name + ": detection lag", lags, 1e6, "ms");
        addCountRange(report, section, name + ": requests to the network per payment", toNetwork,
                      "requests");
        addCountRange(report, section, name + ": requests in all per payment", requests,
                      "requests");
        if (*std::max_element(failed.begin(), failed.end()) > 0) {
            addCountRange(report, section, name + ": requests without an answer per payment",
                          failed, "requests");
        }
        addCountRange(report, section, name + ": journal events per payment", events, "events");
        const Percentiles c = percentiles(cpu);
        report.figures.push_back(
            {section, name + ": own CPU per payment p99", static_cast<double>(c.p99) / 1e3, "µs"});
    }
    if (std::any_of(modes.begin(), modes.end(), [](const LagMode& mode) { return mode.nudge; })) {
        report.figures.push_back({section, "webhook nudges that found their payment waiting",
                                  static_cast<double>(nudger.found()), "nudges"});
    }
    report.figures.push_back(
        {section, "wall time of the whole lag run", static_cast<double>(wall) / 1e9, "s"});
    report.notes.push_back(
        section + ": " + std::to_string(perMode) +
        " terminals per mode, all modes at once, one payment " +
        "each, started over 5 s; terminals take 27.75-32.25 s (10 networks, every 0.5 s); lag = " +
        "when pay() returned with the final state journaled - (the instant before the payment " +
        "request left + the terminal's time), an upper bound; time scale " +
        std::to_string(options.lagTimeScale) +
        (options.lagTimeScale == 1.0 ? " (real time)"
                                     : ": lags are simulated ms, real ms times the scale"));
}

} // namespace

void paymentBenchmarks(Report& report, const PaymentBenchOptions& options,
                       const signing::PrivateKey& key) {
    std::filesystem::create_directories(options.journalDir);
    const std::vector<const sim::SimNetworkModule*> networks = paidNetworks(options.networks);
    for (const sim::SimNetworkModule* network : networks) {
        if (options.sequential) {
            sequentialPayments(report, options, key, *network);
        }
        if (options.concurrent) {
            concurrentPayments(report, options, key, *network);
        }
    }
    // The lag runs last: each takes half a minute of real time per network.
    for (const sim::SimNetworkModule* network : networks) {
        if (options.lag) {
            detectionLag(report, options, key, *network);
        }
    }
}

// The threads of this process now: all of them, and those named `name`.
std::pair<int, int> threadCounts(const std::string& name) {
    int all = 0;
    int named = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        ++all;
        std::ifstream comm(task.path() / "comm");
        std::string text;
        std::getline(comm, text);
        named += text == name ? 1 : 0;
    }
    return {all, named};
}

long currentRssKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return 0;
}

// d. Payments started all at once (the ERP's threads return as soon as each entry is open), each
// on a terminal of its own whose payment takes 5, 10, ... or 60 simulated seconds (one simulator
// per duration, the durations shuffled over the payments), polled on the adaptive schedule.
core::Json inflightBenchmark(const PaymentBenchOptions& options, const signing::PrivateKey& key) {
    const auto networks = paidNetworks(options.networks);
    require(!networks.empty(), "a simulated network with a sample");
    const sim::SimNetworkModule& network = *networks.front();
    const std::size_t payments = options.inflightPayments;
    constexpr std::size_t kDurations = 12;
    std::vector<milliseconds> durations;
    for (std::size_t k = 1; k <= kDurations; ++k) {
        durations.emplace_back(5000 * k);
    }
    const std::size_t perNetwork = (payments + kDurations - 1) / kDurations;
    PaymentWorld world(key, perNetwork, durations, options.inflightTimeScale,
                       freshJournal(options, "inflight-" + network.name + ".db"), network, true);

    // Payment i runs on network bucket[i], on that network's next terminal.
    std::vector<std::size_t> bucket(payments);
    for (std::size_t i = 0; i < payments; ++i) {
        bucket[i] = i % kDurations;
    }
    std::mt19937 random(20261205);
    std::shuffle(bucket.begin(), bucket.end(), random);
    std::map<std::string, plugin::TerminalBinding> bindings;
    std::vector<std::size_t> used(kDurations, 0);
    std::vector<plugin::PayRequest> requests;
    requests.reserve(payments);
    const std::optional<int> noLongWait =
        network.sample->longWait ? std::optional<int>(0) : std::nullopt;
    for (std::size_t i = 0; i < payments; ++i) {
        const std::size_t k = bucket[i];
        plugin::TerminalBinding binding = world.binding(used[k]++, k, noLongWait);
        binding.name = "N" + std::to_string(k) + "-" + binding.name;
        requests.push_back(payRequest(binding.name, 3000000 + i));
        bindings.emplace(binding.name, std::move(binding));
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::size_t ended = 0;
    std::size_t approved = 0;
    std::vector<std::string> failures;
    std::map<std::string, Nanos> workerCpu; // by entry
    std::map<std::string, Nanos> callerCpu; // by entry
    plugin::PaymentServiceOptions serviceOptions;
    serviceOptions.workers = options.workers;
    if (options.inflightPollSeconds > 0) {
        serviceOptions.schedule =
            plugin::PollSchedule::every(std::chrono::seconds(options.inflightPollSeconds));
    }
    serviceOptions.operationCpu = [&](const std::string& entry, std::chrono::nanoseconds cpu) {
        std::lock_guard lock(mutex);
        workerCpu[entry] = cpu.count();
    };
    auto service = world.service(std::move(bindings), serviceOptions, world.simTime());
    const plugin::Completion done = [&](const plugin::JournalEntry& entry,
                                        std::exception_ptr error) {
        std::lock_guard lock(mutex);
        ++ended;
        if (entry.state == plugin::EntryState::Approved && !error) {
            ++approved;
        } else if (failures.size() < 5) {
            failures.push_back(entry.id + " " + std::string(plugin::stateName(entry.state)) +
                               (entry.outcome ? ": " + *entry.outcome : ""));
        }
        changed.notify_all();
    };

    // Threads and memory, sampled while the run lasts.
    std::atomic<bool> sampling{true};
    int peakThreads = 0;
    int peakWorkers = 0;
    long peakRss = 0;
    std::size_t peakInFlight = 0;
    std::jthread sampler([&] {
        while (sampling) {
            const auto [all, workers] = threadCounts("fiscpos-work");
            peakThreads = std::max(peakThreads, all);
            peakWorkers = std::max(peakWorkers, workers);
            peakRss = std::max(peakRss, currentRssKiB());
            peakInFlight = std::max(peakInFlight, service->inFlight());
            std::this_thread::sleep_for(milliseconds(50));
        }
    });

    constexpr std::size_t kStarters = 4; // the ERP's threads starting payments
    const Nanos wall0 = wallNow();
    const Nanos cpu0 = processCpuNow();
    {
        std::vector<std::jthread> starters;
        for (std::size_t s = 0; s < kStarters; ++s) {
            starters.emplace_back([&, s] {
                for (std::size_t i = s; i < payments; i += kStarters) {
                    const Nanos c0 = threadCpuNow();
                    try {
                        const auto opened = service->startPay(requests[i], {}, done);
                        const Nanos spent = threadCpuNow() - c0;
                        std::lock_guard lock(mutex);
                        callerCpu[opened.id] = spent;
                    } catch (const std::exception& e) {
                        std::lock_guard lock(mutex);
                        ++ended;
                        failures.push_back(std::string("start: ") + e.what());
                        changed.notify_all();
                    }
                }
            });
        }
    }
    const Nanos started = wallNow() - wall0;
    {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, std::chrono::minutes(30), [&] { return ended >= payments; });
    }
    const Nanos wall = wallNow() - wall0;
    const Nanos processCpu = processCpuNow() - cpu0;
    sampling = false;
    sampler.join();
    // The last completions' CPU reports come after the completions themselves.
    service.reset();

    std::vector<Nanos> own;
    for (const auto& [entry, cpu] : callerCpu) {
        const auto worker = workerCpu.find(entry);
        own.push_back(cpu + (worker == workerCpu.end() ? 0 : worker->second));
    }
    const Percentiles cpu = percentiles(own);
    const std::int64_t requestCount = world.providerRequests() + world.allNetworkRequests();
    core::Json result = {
        {"network", network.name},
        {"payments", payments},
        {"approved", approved},
        {"not_approved", payments - approved},
        {"failures", failures},
        {"workers", options.workers},
        {"peak_in_flight", peakInFlight},
        {"peak_threads", peakThreads},
        {"peak_worker_threads", peakWorkers},
        {"peak_rss_mib", static_cast<double>(peakRss) / 1024.0},
        {"payments_per_s", static_cast<double>(payments) / (static_cast<double>(wall) / 1e9)},
        {"starts_per_s", static_cast<double>(payments) / (static_cast<double>(started) / 1e9)},
        {"wall_s", static_cast<double>(wall) / 1e9},
        {"own_cpu_p50_us", static_cast<double>(cpu.p50) / 1e3},
        {"own_cpu_p99_us", static_cast<double>(cpu.p99) / 1e3},
        {"own_cpu_max_us", static_cast<double>(cpu.max) / 1e3},
        {"process_cpu_s", static_cast<double>(processCpu) / 1e9},
        {"requests_per_payment", static_cast<double>(requestCount) / static_cast<double>(payments)},
        {"time_scale", options.inflightTimeScale},
        {"schedule", options.inflightPollSeconds > 0
                         ? "a question every " + std::to_string(options.inflightPollSeconds) + " s"
                         : std::string("adaptive")},
        {"journal", journalNote(options, "inflight-" + network.name + ".db")},
        {"note", "peak_threads counts the whole process: fiscpos's workers, the " +
                     std::to_string(kStarters) + " starting threads, the sampler and the " +
                     std::to_string(kDurations) +
                     " in-process simulators (each closes its connections after the answer)"},
    };
    return result;
}

std::string invoiceJson(std::size_t number) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "B", "aa": ")" +
           std::to_string(number) + R"(", "type": "11.1", "issued_at": ")" +
           core::athensIso8601(std::chrono::system_clock::now()) + R"(",
               "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
               "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

std::vector<std::string> payableNetworks() {
    std::vector<std::string> names;
    for (const sim::SimNetworkModule* network : paidNetworks({})) {
        names.push_back(network->name);
    }
    return names;
}

} // namespace fiscpos::bench
