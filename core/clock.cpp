#include "core/clock.hpp"

#include "core/errors.hpp"

#include <cstdio>
#include <ctime>
#include <thread>
#include <utility>

namespace fiscpos::core {

const Clock& systemClock() {
    static const SystemClock clock;
    return clock;
}

using namespace std::chrono;

TimePoint ManualClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

void Wakeup::notify() {
    {
        std::lock_guard lock(mutex_);
        notified_ = true;
    }
    woken_.notify_all();
}

bool Wakeup::waitFor(milliseconds duration) {
    std::unique_lock lock(mutex_);
    const bool woken = woken_.wait_for(lock, duration, [this] { return notified_; });
    notified_ = false;
    return woken;
}

bool Wakeup::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(notified_, false);
}

void Clock::waitFor(milliseconds duration) const {
    std::this_thread::sleep_for(duration);
}

void Clock::waitFor(milliseconds duration, Wakeup& wakeup) const {
    wakeup.waitFor(duration);
}

void ManualClock::waitFor(milliseconds duration) const {
    std::lock_guard lock(mutex_);
    now_ += duration;
}

void ManualClock::waitFor(milliseconds duration, Wakeup& wakeup) const {
    if (!wakeup.take()) {
        waitFor(duration);
    }
}

std::chrono::nanoseconds ManualClock::realDelay(milliseconds duration) const {
    waitFor(duration);
    return std::chrono::nanoseconds(0);
}

std::chrono::nanoseconds threadCpuTime() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

void ManualClock::set(TimePoint t) {
    std::lock_guard lock(mutex_);
    now_ = t;
}

void ManualClock::advance(milliseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
}

namespace {

// 01:00 UTC on the last Sunday of `month` in `y`.
sys_seconds lastSundayOneUtc(year y, month m) {
    const sys_days day{year_month_weekday_last{y, m, weekday_last{Sunday}}};
    return sys_seconds{day} + hours{1};
}

std::string twoDigits(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d", value);
    return buffer;
}

std::string fourDigits(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04d", value);
    return buffer;
}

CivilTime civilAt(TimePoint t, int offsetMinutes) {
    const auto local = floor<seconds>(t) + minutes{offsetMinutes};
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    CivilTime civil;
    civil.year = static_cast<int>(ymd.year());
    civil.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    civil.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    civil.hour = static_cast<int>(hms.hours().count());
    civil.minute = static_cast<int>(hms.minutes().count());
    civil.second = static_cast<int>(hms.seconds().count());
    civil.offsetMinutes = offsetMinutes;
    return civil;
}

std::string offsetText(int offsetMinutes) {
    if (offsetMinutes == 0) {
        return "Z";
    }
    const int magnitude = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    return std::string(offsetMinutes < 0 ? "-" : "+") + twoDigits(magnitude / 60) + ":" +
           twoDigits(magnitude % 60);
}

std::string iso8601(const CivilTime& c) {
    return fourDigits(c.year) + "-" + twoDigits(c.month) + "-" + twoDigits(c.day) + "T" +
           twoDigits(c.hour) + ":" + twoDigits(c.minute) + ":" + twoDigits(c.second) +
           offsetText(c.offsetMinutes);
}

bool digitsAt(std::string_view text, std::size_t pos, std::size_t count, int& value) {
    if (pos + count > text.size()) {
        return false;
    }
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

// Also refuses years a TimePoint cannot hold: system_clock counts nanoseconds in 64 bits, which
// reach from 1677 to 2262 only (a year 4048 from outside overflowed toTimePoint).
bool validCalendar(const CivilTime& c) {
    if (c.year < 1900 || c.year > 2199) {
        return false;
    }
    const year_month_day ymd{year{c.year}, month{static_cast<unsigned>(c.month)},
                             day{static_cast<unsigned>(c.day)}};
    return ymd.ok() && c.hour >= 0 && c.hour < 24 && c.minute >= 0 && c.minute < 60 &&
           c.second >= 0 && c.second < 60;
}

// Athens local time → UTC: the winter offset, unless the summer one applies at that instant. A
// local time in the hour skipped in March comes out an hour later than written.
TimePoint fromAthens(CivilTime c) {
    c.offsetMinutes = 120;
    TimePoint result = toTimePoint(c);
    if (athensOffsetMinutes(result) != 120) {
        c.offsetMinutes = 180;
        result = toTimePoint(c);
    }
    return result;
}

} // namespace

int athensOffsetMinutes(TimePoint t) {
    const auto seconds = floor<std::chrono::seconds>(t);
    const year y = year_month_day{floor<days>(seconds)}.year();
    const bool summer =
        seconds >= lastSundayOneUtc(y, March) && seconds < lastSundayOneUtc(y, October);
    return summer ? 180 : 120;
}

CivilTime toAthens(TimePoint t) {
    return civilAt(t, athensOffsetMinutes(t));
}

std::string athensTimestamp(TimePoint t) {
    const CivilTime c = toAthens(t);
    return fourDigits(c.year) + twoDigits(c.month) + twoDigits(c.day) + twoDigits(c.hour) +
           twoDigits(c.minute) + twoDigits(c.second);
}

std::string athensIso8601(TimePoint t) {
    return iso8601(toAthens(t));
}

std::string utcIso8601(TimePoint t) {
    return iso8601(civilAt(t, 0));
}

CivilTime parseIso8601(std::string_view text, std::string_view field) {
    const std::string name(field);
    auto invalid = [&](const std::string& reason) {
        return InputError(name, "\"" + std::string(text) + "\" is not a date and time: " + reason +
                                    " (expected e.g. 2024-05-10T16:43:40+03:00)");
    };
    CivilTime c;
    if (!digitsAt(text, 0, 4, c.year) || text.size() < 19 || text[4] != '-' ||
        !digitsAt(text, 5, 2, c.month) || text[7] != '-' || !digitsAt(text, 8, 2, c.day) ||
        (text[10] != 'T' && text[10] != ' ') || !digitsAt(text, 11, 2, c.hour) || text[13] != ':' ||
        !digitsAt(text, 14, 2, c.minute) || text[16] != ':' || !digitsAt(text, 17, 2, c.second)) {
        throw invalid("the date or time part is malformed");
    }
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t fractionStart = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
        if (pos == fractionStart) {
            throw invalid("the fraction of a second is empty");
        }
    }
    const std::string_view zone = text.substr(pos);
    if (zone == "Z") {
        c.offsetMinutes = 0;
    } else {
        int hours = 0;
        int minutes = 0;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
            !digitsAt(zone, 1, 2, hours) || zone[3] != ':' || !digitsAt(zone, 4, 2, minutes) ||
            hours > 14 || minutes > 59) {
            throw invalid(zone.empty() ? "the UTC offset is missing"
                                       : "the UTC offset is malformed");
        }
        c.offsetMinutes = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
    }
    if (!validCalendar(c)) {
        throw invalid("no such calendar date or time");
    }
    return c;
}

TimePoint toTimePoint(const CivilTime& c) {
    const sys_days day{year_month_day{year{c.year}, month{static_cast<unsigned>(c.month)},
                                      std::chrono::day{static_cast<unsigned>(c.day)}}};
    const sys_seconds local =
        sys_seconds{day} + hours{c.hour} + minutes{c.minute} + seconds{c.second};
    return TimePoint{local - minutes{c.offsetMinutes}};
}

TimePoint parseAthensTimestamp(std::string_view text, std::string_view field) {
    CivilTime c;
    if (text.size() != 14 || !digitsAt(text, 0, 4, c.year) || !digitsAt(text, 4, 2, c.month) ||
        !digitsAt(text, 6, 2, c.day) || !digitsAt(text, 8, 2, c.hour) ||
        !digitsAt(text, 10, 2, c.minute) || !digitsAt(text, 12, 2, c.second) || !validCalendar(c)) {
        throw InputError(std::string(field),
                         "\"" + std::string(text) + "\" is not a time in the form YYYYMMDDhhmmss");
    }
    const TimePoint result = fromAthens(c);
    // The hour skipped when the clocks go forward does not exist in Athens.
    if (athensTimestamp(result) != text) {
        throw InputError(std::string(field),
                         "\"" + std::string(text) +
                             "\" does not exist in Athens time (the clocks moved forward then)");
    }
    return result;
}

std::string isoDate(const CivilTime& c) {
    return fourDigits(c.year) + "-" + twoDigits(c.month) + "-" + twoDigits(c.day);
}

std::optional<TimePoint> timeIfReadable(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    try {
        return toTimePoint(parseIso8601(text, "time"));
    } catch (const InputError&) {
        return std::nullopt;
    }
}

std::string greekDate(const CivilTime& c) {
    return twoDigits(c.day) + "/" + twoDigits(c.month) + "/" + fourDigits(c.year);
}

std::string greekDateTime(const CivilTime& c, bool seconds) {
    return greekDate(c) + " " + twoDigits(c.hour) + ":" + twoDigits(c.minute) +
           (seconds ? ":" + twoDigits(c.second) : std::string());
}

std::string greekAthensTime(std::string_view iso, bool seconds) {
    const auto at = timeIfReadable(iso);
    return at ? greekDateTime(toAthens(*at), seconds) : std::string(iso);
}

std::string greekDay(std::string_view isoDay) {
    try {
        return greekDate(toAthens(athensDay(isoDay, "day").begin));
    } catch (const InputError&) {
        return std::string(isoDay);
    }
}

AthensDay athensDay(std::string_view date, std::string_view field) {
    CivilTime c;
    if (date.size() != 10 || !digitsAt(date, 0, 4, c.year) || date[4] != '-' ||
        !digitsAt(date, 5, 2, c.month) || date[7] != '-' || !digitsAt(date, 8, 2, c.day) ||
        !validCalendar(c)) {
        throw InputError(std::string(field), "\"" + std::string(date) +
                                                 "\" is not a calendar day (expected e.g. "
                                                 "2024-05-10)");
    }
    AthensDay day{fromAthens(c), {}};
    const year_month_day next{
        sys_days{year_month_day{year{c.year}, month{static_cast<unsigned>(c.month)},
                                std::chrono::day{static_cast<unsigned>(c.day)}}} +
        days{1}};
    c.year = static_cast<int>(next.year());
    c.month = static_cast<int>(static_cast<unsigned>(next.month()));
    c.day = static_cast<int>(static_cast<unsigned>(next.day()));
    day.end = fromAthens(c);
    return day;
}

std::string athensDate(TimePoint t) {
    return isoDate(toAthens(t));
}

} // namespace fiscpos::core
