// Timing for fiscpos-bench: wall time on std::chrono::steady_clock and CPU time of the calling
// thread (CLOCK_THREAD_CPUTIME_ID), per operation, summarised as p50/p95/p99/max and totals.
#pragma once

#include "core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fiscpos::bench {

using Nanos = std::int64_t;

Nanos wallNow();       // steady_clock
Nanos threadCpuNow();  // CPU time of the calling thread
Nanos processCpuNow(); // CPU time of every thread of the process
long peakRssKiB();     // getrusage ru_maxrss

struct Percentiles {
    Nanos p50 = 0, p95 = 0, p99 = 0, max = 0;
};

// Nearest-rank percentiles; all zero for no samples.
Percentiles percentiles(std::vector<Nanos> samples);

// One measured case.
struct Result {
    std::string section; // "ecdsa", "provider", ...
    std::string name;
    std::vector<Nanos> wall; // per operation
    // Per operation on the thread that ran it; empty when only cpuTotal was taken (operations
    // of a few microseconds, where reading the thread CPU clock would weigh on the result).
    std::vector<Nanos> cpu;
    Nanos wallTotal = 0; // from the first operation's start to the last one's end
    // Of the measuring thread(s): the sum of `cpu` when taken per operation, otherwise read around
    // the whole loop.
    Nanos cpuTotal = 0;

    std::size_t count() const { return wall.size(); }
    Nanos cpuMean() const;
};

// Which clocks are read around each operation.
enum class CpuClock { PerOperation, TotalOnly };

// Runs `op` `warmup` times untimed, then `n` times timed.
template <typename Op>
Result measure(std::string section, std::string name, std::size_t n, std::size_t warmup,
               CpuClock cpuClock, Op&& op) {
    Result result{std::move(section), std::move(name), {}, {}, 0, 0};
    for (std::size_t i = 0; i < warmup; ++i) {
        op(i);
    }
    result.wall.reserve(n);
    if (cpuClock == CpuClock::PerOperation) {
        result.cpu.reserve(n);
    }
    const Nanos cpuStart = threadCpuNow();
    const Nanos wallStart = wallNow();
    for (std::size_t i = 0; i < n; ++i) {
        if (cpuClock == CpuClock::PerOperation) {
            const Nanos c0 = threadCpuNow();
            const Nanos w0 = wallNow();
            op(warmup + i);
            const Nanos w1 = wallNow();
            result.cpu.push_back(threadCpuNow() - c0);
            result.wall.push_back(w1 - w0);
        } else {
            const Nanos w0 = wallNow();
            op(warmup + i);
            result.wall.push_back(wallNow() - w0);
        }
    }
    result.wallTotal = wallNow() - wallStart;
    result.cpuTotal = threadCpuNow() - cpuStart;
    if (!result.cpu.empty()) {
        // The operations alone, without the loop's own clock reads.
        result.cpuTotal = 0;
        for (const Nanos c : result.cpu) {
            result.cpuTotal += c;
        }
    }
    return result;
}

// A figure that is not a per-operation timing: requests per signature, throughput, RSS.
struct Figure {
    std::string section;
    std::string name;
    double value = 0;
    std::string unit;
};

struct Report {
    std::vector<Result> results;
    std::vector<Figure> figures;
    std::vector<std::string> notes;

    // Fixed-width text table.
    std::string table() const;
    // The same as GitHub markdown tables.
    std::string markdown() const;
    core::Json json() const;
};

} // namespace fiscpos::bench
