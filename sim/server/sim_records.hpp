// Pieces every simulated party's book of records is made of: the book itself (its timing, its
// clock and the lock of its records, brought up to date on simulated time before each read), the
// settings a control endpoint changes at run time, and the log of the last refusals a test reads
// in /_sim/stats.
#pragma once

#include "core/clock.hpp"
#include "core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace fiscpos::sim {

// A book of records that moves on simulated time: `Timing` holds its simulated durations. The
// records are guarded by mutex_, and upToDate() locks them and applies every change due by now
// (catchUp()), so a read never sees a stale record and no thread has to run behind the book.
template <class Timing> class SimRecordBook {
public:
    SimRecordBook(const SimRecordBook&) = delete;
    SimRecordBook& operator=(const SimRecordBook&) = delete;

    // Applies every change due by `now`: for a thread that moves the records along on time.
    void advance(core::TimePoint now) {
        std::lock_guard lock(mutex_);
        catchUp(now);
    }

protected:
    SimRecordBook(Timing timing, const core::Clock& clock)
        : timing_(std::move(timing))
        , clock_(clock) {}
    ~SimRecordBook() = default;

    // The records locked and brought up to date, and the simulated time they are at.
    struct UpToDate {
        std::unique_lock<std::mutex> lock;
        core::TimePoint now;
    };
    UpToDate upToDate() {
        std::unique_lock lock(mutex_);
        const core::TimePoint now = clock_.now();
        catchUp(now);
        return UpToDate{std::move(lock), now};
    }

    // Applies every change due by `now`; called under mutex_.
    virtual void catchUp(core::TimePoint now) = 0;

    const Timing timing_;
    const core::Clock& clock_;
    mutable std::mutex mutex_;
};

// A setting a control endpoint changes while the simulator runs, read from any thread, and back to
// the value it started with on reset().
template <class Value> class SimSetting {
public:
    explicit SimSetting(Value initial)
        : initial_(initial)
        , value_(std::move(initial)) {}

    Value get() const {
        std::lock_guard lock(mutex_);
        return value_;
    }
    void set(Value value) {
        std::lock_guard lock(mutex_);
        value_ = std::move(value);
    }
    // Changes the value in place under the lock (a read and a write that nothing comes between);
    // returns what `change` returns.
    template <class Change> auto update(Change change) {
        std::lock_guard lock(mutex_);
        return change(value_);
    }
    void reset() { set(initial_); }

private:
    const Value initial_;
    mutable std::mutex mutex_;
    Value value_;
};

// How many requests a party's check refused ("<what>_failures") and why, the last few of them
// ("<what>_failure_log"): what a test reads to see why a terminal refused a provider signature.
// Not thread-safe: the book that keeps it guards it.
class SimFailureLog {
public:
    static constexpr std::size_t kept = 20;

    explicit SimFailureLog(std::string what)
        : what_(std::move(what)) {}

    void add(core::Json entry) {
        ++count_;
        log_.push_back(std::move(entry));
        if (log_.size() > kept) {
            log_.erase(log_.begin());
        }
    }
    void clear() {
        count_ = 0;
        log_.clear();
    }
    // Sets "<what>_failures" and "<what>_failure_log" in `stats`, an object.
    void addTo(core::Json& stats) const {
        stats[what_ + "_failures"] = count_;
        stats[what_ + "_failure_log"] = log_;
    }

private:
    std::string what_;
    std::int64_t count_ = 0;
    std::vector<core::Json> log_;
};

} // namespace fiscpos::sim
