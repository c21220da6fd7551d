// Timing for fiscpos-bench: wall time on std::chrono::steady_clock and CPU time of the calling
// thread (CLOCK_THREAD_CPUTIME_ID), per operation, summarised as p50/p95/p99/max and totals.
#pragma once

#include "core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <latch>
#include <string>
#include <thread>
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

// What a run of threads started together took, from their release to the last one's end.
struct TogetherRun {
    Nanos wall = 0;
    Nanos processCpu = 0;
    std::vector<std::string> failures; // one per thread that threw (what() of the exception)
};

// Runs `prepare(t)` (untimed: connecting, a warm-up) on `threads` threads, then, once every
// thread is prepared, releases them together to run `timed(t)`. `atRelease` runs on the calling
// thread just before the release (to read counters).
template <typename Prepare, typename Timed, typename AtRelease>
TogetherRun runTogether(std::size_t threads, Prepare&& prepare, Timed&& timed,
                        AtRelease&& atRelease) {
    std::vector<std::string> failures(threads);
    std::latch ready(static_cast<std::ptrdiff_t>(threads) + 1);
    std::latch go(1);
    Nanos wallStart = 0;
    Nanos cpuStart = 0;
    {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                bool prepared = false;
                try {
                    prepare(t);
                    prepared = true;
                    ready.count_down();
                    go.wait();
                    timed(t);
                } catch (const std::exception& e) {
                    failures[t] = e.what();
                    if (!prepared) {
                        ready.count_down();
                    }
                }
            });
        }
        ready.arrive_and_wait();
        atRelease();
        cpuStart = processCpuNow();
        wallStart = wallNow();
        go.count_down();
    }
    TogetherRun run;
    run.wall = wallNow() - wallStart;
    run.processCpu = processCpuNow() - cpuStart;
    for (std::string& failure : failures) {
        if (!failure.empty()) {
            run.failures.push_back(std::move(failure));
        }
    }
    return run;
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
