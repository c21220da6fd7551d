#include "sim/server/sim_clock.hpp"

#include "core/errors.hpp"

#include <cmath>

namespace fiscpos::sim {

namespace {
constexpr double maxScale = 1e6;
}

SimClock::SimClock(double scale, core::TimePoint start)
    : scale_(scale)
    , simStart_(start)
    , realStart_(std::chrono::steady_clock::now()) {
    if (!std::isfinite(scale) || scale <= 0.0 || scale > maxScale) {
        throw core::ConfigError("time-scale", "must be a number above 0 and at most 1000000");
    }
}

std::chrono::milliseconds SimClock::elapsed() const {
    const std::chrono::duration<double, std::milli> real =
        std::chrono::steady_clock::now() - realStart_;
    return std::chrono::milliseconds(static_cast<std::int64_t>(real.count() * scale_));
}

core::TimePoint SimClock::now() const {
    const std::chrono::duration<double, std::micro> real =
        std::chrono::steady_clock::now() - realStart_;
    const auto simulated =
        std::chrono::microseconds(static_cast<std::int64_t>(real.count() * scale_));
    return simStart_ + std::chrono::duration_cast<core::TimePoint::duration>(simulated);
}

std::chrono::nanoseconds SimClock::realDuration(std::chrono::milliseconds simulated) const {
    const double nanos = static_cast<double>(simulated.count()) * 1e6 / scale_;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(nanos));
}

bool SimClock::sleepFor(std::chrono::milliseconds simulated) const {
    const auto deadline = std::chrono::steady_clock::now() + realDuration(simulated);
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, deadline, [this] { return interrupted_; });
}

void SimClock::interrupt() {
    {
        std::lock_guard lock(mutex_);
        interrupted_ = true;
    }
    wake_.notify_all();
}

void SimClock::resume() {
    std::lock_guard lock(mutex_);
    interrupted_ = false;
}

void SimClock::waitFor(std::chrono::milliseconds simulated) const {
    sleepFor(simulated);
}

void SimClock::waitFor(std::chrono::milliseconds simulated, core::Wakeup& wakeup) const {
    wakeup.waitFor(std::chrono::ceil<std::chrono::milliseconds>(realDuration(simulated)));
}

} // namespace fiscpos::sim
