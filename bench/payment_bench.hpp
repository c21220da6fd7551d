// fiscpos-bench's whole-payment cases, on every simulated network that offers a sample
// (sim::SimNetworkModule::sample): payments through plugin::PaymentService with a durable SQLite
// (or PostgreSQL) journal, the real provider client and the network's real terminal, loaded from
// the sample's [terminal.NAME] sections by plugin::terminalsFromConfig, over loopback HTTP against
// an in-process simulator (the provider signing with the given key, the network verifying with its
// public half). Sections are named by network: pay-seq-NAME, pay-conc-NAME, lag-NAME.
//   sequential  payments one after another on one terminal: own CPU, wall, round-trip share,
//               requests and journal events per payment
//   concurrent  one thread per terminal, all paying at once: throughput, CPU and wall per payment
//   lag         payments that take about 30 simulated seconds on the terminal, polled every 5 s,
//               by the adaptive schedule, with a webhook nudge where the network sends one (on
//               the adaptive schedule, and on a 5-s fallback poll with a share of the webhooks
//               lost), and with the long wait where the network has one: detection lag and
//               requests
//   inflight    (only when asked for) N payments started at once (PaymentService::startPay) on
//               N terminals whose payments take 5 to 60 simulated seconds: threads, memory,
//               throughput and own CPU per payment while they all wait
#pragma once

#include "bench/measure.hpp"
#include "core/json.hpp"
#include "signing/ecdsa.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::bench {

struct PaymentBenchOptions {
    std::size_t sequentialPayments = 1000;
    std::size_t warmupPayments = 20;
    std::size_t terminals = 200;   // concurrent run: one thread each
    std::size_t perTerminal = 5;   // payments per thread in the concurrent run
    std::size_t lagTerminals = 50; // per poll mode in the lag run
    // The long wait of a network that has one, for the sequential and concurrent runs and the lag
    // run's long-wait mode; none: the network's default.
    std::optional<int> waitSeconds;
    int shortWaitSeconds = 20;        // a long wait that runs out before the payment finishes
    double lagTimeScale = 1.0;        // simulated time per real time in the lag run
    int webhookLostPercent = 10;      // lag run, fallback mode: the webhooks that never arrive
    std::filesystem::path journalDir; // the SQLite journals go here
    // A PostgreSQL journal instead (postgresql://...): a database the bench may empty, emptied
    // before each run.
    std::optional<std::string> journalUrl;
    bool sequential = true, concurrent = true, lag = true;
    std::size_t inflightPayments = 10000;
    double inflightTimeScale = 1.0; // simulated time per real time in the inflight run
    int workers = 8;                // the PaymentService's workers in the inflight run
    // The inflight run's schedule: a question every this many seconds; 0: the adaptive schedule.
    int inflightPollSeconds = 0;
    // The simulated networks paid, by name; empty: every one that offers a sample.
    std::vector<std::string> networks;
};

void paymentBenchmarks(Report& report, const PaymentBenchOptions& options,
                       const signing::PrivateKey& key);

// The inflight run on the first of the options' networks: one JSON object (payments, approved,
// peak_threads, peak_rss_mib, payments_per_s, own_cpu_p99_us, ...).
core::Json inflightBenchmark(const PaymentBenchOptions& options, const signing::PrivateKey& key);

// A sale invoice of 1.24 (series B, number `number`) as the ERP sends it.
std::string invoiceJson(std::size_t number);

// The names of the simulated networks the payments can run on, in the simulator's order.
std::vector<std::string> payableNetworks();

} // namespace fiscpos::bench
