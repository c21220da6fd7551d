// The simulator's clock: simulated time runs `scale` times faster than real time from the moment
// the clock is made, so a 150-second terminal scenario passes in 1.5 s at scale 100. Every party
// reads time from it, and every simulated wait (fault delays, scenario timers) sleeps on it.
#pragma once

#include "core/clock.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace fiscpos::sim {

// A simulated duration, as the parties' timings and options give them.
using Millis = std::chrono::milliseconds;

class SimClock final : public core::Clock {
public:
    // scale > 0 (at most 1e6); otherwise a ConfigError naming "time-scale".
    explicit SimClock(double scale = 1.0, core::TimePoint start = std::chrono::system_clock::now());

    core::TimePoint now() const override;
    double scale() const { return scale_; }
    // The simulated instant the clock started at.
    core::TimePoint start() const { return simStart_; }
    // Simulated time elapsed since start.
    std::chrono::milliseconds elapsed() const;
    // How long a simulated duration lasts in real time.
    std::chrono::nanoseconds realDuration(std::chrono::milliseconds simulated) const;

    // As a core::Clock (a terminal's or the PaymentService's), waits pass on simulated time too.
    void waitFor(std::chrono::milliseconds simulated) const override;
    // Simulated time, ended early when `wakeup` is notified.
    void waitFor(std::chrono::milliseconds simulated, core::Wakeup& wakeup) const override;
    // realDuration(simulated).
    std::chrono::nanoseconds realDelay(std::chrono::milliseconds simulated) const override {
        return realDuration(simulated);
    }

    // Sleeps for `simulated` of simulated time. Returns false at once, or as soon as it is woken,
    // when interrupt() was called (the server is stopping); true when the time has passed.
    bool sleepFor(std::chrono::milliseconds simulated) const;
    // Wakes every sleeper; later sleeps return false at once until resume().
    void interrupt();
    void resume();

private:
    double scale_;
    core::TimePoint simStart_;
    std::chrono::steady_clock::time_point realStart_;
    mutable std::mutex mutex_;
    mutable std::condition_variable wake_;
    bool interrupted_ = false;
};

} // namespace fiscpos::sim
