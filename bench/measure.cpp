#include "bench/measure.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace fiscpos::bench {

namespace {

Nanos clockNanos(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<Nanos>(ts.tv_sec) * 1'000'000'000 + static_cast<Nanos>(ts.tv_nsec);
}

// Microseconds with one decimal ("23.4"), two below 10 µs ("0.03").
std::string micros(Nanos ns) {
    char text[32];
    std::snprintf(text, sizeof text, ns < 10'000 ? "%.2f" : "%.1f", static_cast<double>(ns) / 1e3);
    return text;
}

// Milliseconds with one decimal.
std::string millis(Nanos ns) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(ns) / 1e6);
    return text;
}

std::string figureValue(double value) {
    char text[32];
    std::snprintf(text, sizeof text,
                  value == static_cast<double>(static_cast<long long>(value)) ? "%.0f" : "%.2f",
                  value);
    return text;
}

const std::vector<std::string>& columns() {
    static const std::vector<std::string> names{
        "case",        "N",           "wall p50 µs", "wall p95 µs", "wall p99 µs",
        "wall max µs", "wall tot ms", "CPU p50 µs",  "CPU p95 µs",  "CPU p99 µs",
        "CPU max µs",  "CPU mean µs", "CPU tot ms"};
    return names;
}

std::vector<std::string> cells(const Result& r) {
    const Percentiles wall = percentiles(r.wall);
    std::vector<std::string> row{
        r.section + ": " + r.name, std::to_string(r.count()), micros(wall.p50),   micros(wall.p95),
        micros(wall.p99),          micros(wall.max),          millis(r.wallTotal)};
    if (r.cpu.empty()) {
        row.insert(row.end(), {"-", "-", "-", "-"});
    } else {
        const Percentiles cpu = percentiles(r.cpu);
        row.insert(row.end(), {micros(cpu.p50), micros(cpu.p95), micros(cpu.p99), micros(cpu.max)});
    }
    row.push_back(micros(r.cpuMean()));
    row.push_back(millis(r.cpuTotal));
    return row;
}

// Display width of UTF-8 text (counts code points; "µ" is one column).
std::size_t width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string pad(const std::string& text, std::size_t to, bool right) {
    const std::string fill(to > width(text) ? to - width(text) : 0, ' ');
    return right ? fill + text : text + fill;
}

core::Json percentilesJson(const std::vector<Nanos>& samples) {
    const Percentiles p = percentiles(samples);
    return core::Json{{"p50", p.p50}, {"p95", p.p95}, {"p99", p.p99}, {"max", p.max}};
}

} // namespace

Nanos wallNow() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Nanos threadCpuNow() {
    return clockNanos(CLOCK_THREAD_CPUTIME_ID);
}

Nanos processCpuNow() {
    return clockNanos(CLOCK_PROCESS_CPUTIME_ID);
}

long peakRssKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

Percentiles percentiles(std::vector<Nanos> samples) {
    if (samples.empty()) {
        return {};
    }
    std::sort(samples.begin(), samples.end());
    const auto rank = [&samples](double q) {
        // Nearest rank: the smallest sample with at least q of all samples at or below it.
        const double position = q * static_cast<double>(samples.size());
        auto index = static_cast<std::size_t>(position);
        if (static_cast<double>(index) < position) {
            ++index;
        }
        return samples[std::max<std::size_t>(index, 1) - 1];
    };
    return {rank(0.50), rank(0.95), rank(0.99), samples.back()};
}

Nanos Result::cpuMean() const {
    return wall.empty() ? 0 : cpuTotal / static_cast<Nanos>(wall.size());
}

std::string Report::table() const {
    std::vector<std::vector<std::string>> rows{columns()};
    for (const Result& r : results) {
        rows.push_back(cells(r));
    }
    std::vector<std::size_t> widths(columns().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], width(row[i]));
        }
    }
    std::ostringstream out;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out << (i ? "  " : "") << pad(row[i], widths[i], i > 0);
        }
        out << '\n';
    }
    out << '\n';
    for (const Figure& f : figures) {
        out << f.section << ": " << f.name << " = " << figureValue(f.value) << ' ' << f.unit
            << '\n';
    }
    for (const std::string& note : notes) {
        out << "note: " << note << '\n';
    }
    return out.str();
}

std::string Report::markdown() const {
    std::ostringstream out;
    out << '|';
    for (const std::string& column : columns()) {
        out << ' ' << column << " |";
    }
    out << "\n|";
    for (std::size_t i = 0; i < columns().size(); ++i) {
        out << (i ? " ---: |" : " --- |");
    }
    out << '\n';
    for (const Result& r : results) {
        out << '|';
        for (const std::string& cell : cells(r)) {
            out << ' ' << cell << " |";
        }
        out << '\n';
    }
    out << "\n| figure | value | unit |\n| --- | ---: | --- |\n";
    for (const Figure& f : figures) {
        out << "| " << f.section << ": " << f.name << " | " << figureValue(f.value) << " | "
            << f.unit << " |\n";
    }
    for (const std::string& note : notes) {
        out << "\nNote: " << note << '\n';
    }
    return out.str();
}

core::Json Report::json() const {
    core::Json cases = core::Json::array();
    for (const Result& r : results) {
        core::Json item{{"section", r.section},
                        {"name", r.name},
                        {"n", r.count()},
                        {"wall_ns", percentilesJson(r.wall)},
                        {"wall_total_ns", r.wallTotal},
                        {"cpu_mean_ns", r.cpuMean()},
                        {"cpu_total_ns", r.cpuTotal}};
        if (!r.cpu.empty()) {
            item["cpu_ns"] = percentilesJson(r.cpu);
        }
        cases.push_back(std::move(item));
    }
    core::Json figureList = core::Json::array();
    for (const Figure& f : figures) {
        figureList.push_back(
            {{"section", f.section}, {"name", f.name}, {"value", f.value}, {"unit", f.unit}});
    }
    return core::Json{{"cases", cases}, {"figures", figureList}, {"notes", notes}};
}

} // namespace fiscpos::bench
