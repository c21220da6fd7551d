// Time as fiscpos sees it: an injectable clock, and Greek local time (Europe/Athens).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::core {

using TimePoint = std::chrono::system_clock::time_point;

// Ends a wait early from another thread: a webhook saying that a payment moved wakes the loop that
// polls it. A notification that comes before the wait is kept for it.
class Wakeup {
public:
    void notify();
    // Waits up to `duration` of real time; true when woken (the notification is used up).
    bool waitFor(std::chrono::milliseconds duration);
    // True, once, when notify() came since the last wait.
    bool take();

private:
    std::mutex mutex_;
    std::condition_variable woken_;
    bool notified_ = false;
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // Waits (really, by default). The one place fiscpos waits between polls, so that a test's
    // clock can move time forward instead.
    virtual void waitFor(std::chrono::milliseconds duration) const;
    // Waits like waitFor(duration) but returns as soon as `wakeup` is notified.
    virtual void waitFor(std::chrono::milliseconds duration, Wakeup& wakeup) const;
    // How long a wait of `duration` on this clock lasts in real time, for a timer that waits
    // instead of a thread (core::Scheduler): `duration` itself by default.
    virtual std::chrono::nanoseconds realDelay(std::chrono::milliseconds duration) const {
        return duration;
    }
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// CPU time the calling thread has used so far (CLOCK_THREAD_CPUTIME_ID).
std::chrono::nanoseconds threadCpuTime();

// The one system clock of the process: what a client or terminal runs on unless given another.
const Clock& systemClock();

// A clock that only moves when told to, or when something waits on it; for tests.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start)
        : now_(start) {}
    TimePoint now() const override;
    // Moves the clock forward by `duration` instead of waiting.
    void waitFor(std::chrono::milliseconds duration) const override;
    // Returns at once; the clock moves forward by `duration` unless `wakeup` was notified.
    void waitFor(std::chrono::milliseconds duration, Wakeup& wakeup) const override;
    // A timer's wait passes at once, the clock moved forward by `duration`.
    std::chrono::nanoseconds realDelay(std::chrono::milliseconds duration) const override;
    void set(TimePoint t);
    void advance(std::chrono::milliseconds by);

private:
    mutable std::mutex mutex_;
    mutable TimePoint now_;
};

// A local calendar time with the UTC offset it was written with.
struct CivilTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    int offsetMinutes = 0;
};

// Europe/Athens: UTC+2, and UTC+3 from the last Sunday of March 01:00 UTC to the last Sunday of
// October 01:00 UTC (the EU rule), computed without the system time-zone database.
int athensOffsetMinutes(TimePoint t);
CivilTime toAthens(TimePoint t);
// "YYYYMMDDhhmmss" in Athens local time, as signed in the provider's Input.
std::string athensTimestamp(TimePoint t);
// "2024-05-10T16:43:40+03:00" in Athens local time.
std::string athensIso8601(TimePoint t);
// "2024-05-10T13:43:40Z".
std::string utcIso8601(TimePoint t);

// Parses ISO-8601 with seconds and an offset ("Z" or "+03:00"); errors name `field`.
CivilTime parseIso8601(std::string_view text, std::string_view field);
TimePoint toTimePoint(const CivilTime& civil);
// The time a remote record carries, when it carries a readable one: nullopt for "" and for text
// parseIso8601 refuses (a record's time informs a look-up; it never fails one).
std::optional<TimePoint> timeIfReadable(std::string_view text);
// Parses "YYYYMMDDhhmmss" (a real calendar time) as Athens local time.
TimePoint parseAthensTimestamp(std::string_view text, std::string_view field);
// "YYYY-MM-DD" of a civil time, as written.
std::string isoDate(const CivilTime& civil);
// "10/05/2024" of a civil time, the way Greek readers write a date.
std::string greekDate(const CivilTime& civil);
// "10/05/2024 16:43:40", or without the seconds "10/05/2024 16:43".
std::string greekDateTime(const CivilTime& civil, bool seconds = true);

// What people read of a time the journal or a record keeps (ISO-8601 with an offset): Athens
// local time as "10/05/2024 16:43:40" (without the seconds: "10/05/2024 16:43"); the text itself
// when it is no readable time.
std::string greekAthensTime(std::string_view iso, bool seconds = true);
// "10/05/2024" of a calendar day "2024-05-10"; the text itself when it is no calendar day.
std::string greekDay(std::string_view isoDay);

// An Athens calendar day (a Greek shop's business day) as UTC instants: begin is its local
// midnight, end the next day's, so begin <= t < end holds for the times on that day. The day is
// 23 hours long when the clocks go forward (last Sunday of March), 25 when they go back (last
// Sunday of October), 24 otherwise.
struct AthensDay {
    TimePoint begin;
    TimePoint end;
};
// Parses "YYYY-MM-DD" (a real calendar day); InputError naming `field` otherwise.
AthensDay athensDay(std::string_view date, std::string_view field);
// "YYYY-MM-DD" of the Athens calendar day `t` falls on.
std::string athensDate(TimePoint t);

} // namespace fiscpos::core
