// fiscpos-bench's whole-payment cases: payments through plugin::PaymentService with a durable
// SQLite journal, the real provider client and the real WebECR (or Viva) terminal over loopback
// HTTP, against an in-process simulator (the provider signing with the given key, the Mellon or
// Viva network verifying with its public half).
//   sequential  payments one after another on one terminal: own CPU, wall, round-trip share,
//               requests and journal events per payment
//   concurrent  one thread per terminal, all paying at once: throughput, CPU and wall per payment
//   lag         payments that take about 30 simulated seconds on the terminal, polled every 5 s,
//               by the adaptive schedule, and with the long wait (Viva: with a webhook nudge
//               instead): detection lag and requests
#pragma once

#include "bench/measure.hpp"
#include "signing/ecdsa.hpp"

#include <cstddef>
#include <filesystem>

namespace fiscpos::bench {

struct PaymentBenchOptions {
    std::size_t sequentialPayments = 1000;
    std::size_t warmupPayments = 20;
    std::size_t terminals = 200;      // concurrent run: one thread each
    std::size_t perTerminal = 5;      // payments per thread in the concurrent run
    std::size_t lagTerminals = 50;    // per poll mode in the lag run
    int waitSeconds = 0;              // the long wait of the lag run's long-wait mode
    int shortWaitSeconds = 20;        // a long wait that runs out before the payment finishes
    double lagTimeScale = 1.0;        // simulated time per real time in the lag run
    std::filesystem::path journalDir; // the SQLite journals go here
    bool sequential = true, concurrent = true, lag = true;
    // The networks paid: Mellon WebECR and Viva's Cloud Terminal API.
    bool mellon = true, viva = true;
};

void paymentBenchmarks(Report& report, const PaymentBenchOptions& options,
                       const signing::PrivateKey& key);

} // namespace fiscpos::bench
