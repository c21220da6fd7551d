#include "plugin/http_api/journal_query.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"

#include <chrono>

namespace fiscpos::plugin::http_api {

namespace {

bool isDate(const std::string& text) {
    return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

// A day is its Athens calendar day: from its first instant, to the first of the day after.
core::TimePoint instant(const std::string& text, const std::string& field, bool endOfDay) {
    if (isDate(text)) {
        const core::AthensDay day = core::athensDay(text, field);
        return endOfDay ? day.end : day.begin;
    }
    return core::toTimePoint(core::parseIso8601(text, field));
}

std::vector<std::string> commaList(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > start) {
            items.push_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return items;
}

} // namespace

JournalFilter journalFilterFrom(const ServeRequest& request) {
    JournalFilter filter;
    if (const auto from = request.queryValue("from")) {
        filter.since = instant(*from, "from", false);
    }
    if (const auto to = request.queryValue("to")) {
        filter.until = instant(*to, "to", true);
    }
    if (filter.since && filter.until && *filter.until <= *filter.since) {
        throw core::InputError("to", "must come after from");
    }
    if (const auto states = request.queryValue("state")) {
        for (const auto& name : commaList(*states)) {
            filter.states.push_back(parseState(name, "state"));
        }
    }
    if (const auto kind = request.queryValue("kind")) {
        filter.kind = parseKind(*kind, "kind");
    }
    filter.terminal = request.queryValue("terminal");
    filter.networkReference = request.queryValue("reference");
    return filter;
}

} // namespace fiscpos::plugin::http_api
