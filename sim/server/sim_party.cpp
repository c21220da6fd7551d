#include "sim/server/sim_party.hpp"

#include <algorithm>
#include <utility>

namespace fiscpos::sim {

std::vector<std::string> SimRequest::segments() const {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= subpath.size()) {
        const std::size_t end = std::min(subpath.find('/', start), subpath.size());
        if (end > start) {
            parts.push_back(subpath.substr(start, end - start));
        }
        start = end + 1;
    }
    return parts;
}

SimResponse SimResponse::message(int status, const std::string& text) {
    return json(status, core::Json{{"message", text}});
}

SimCounter::SimCounter(SimCounters& counters, std::string name)
    : name_(std::move(name)) {
    counters.counters_.push_back(this);
}

void SimCounters::zero() {
    for (SimCounter* counter : counters_) {
        counter->value_ = 0;
    }
}

void SimCounters::addTo(core::Json& json) const {
    for (const SimCounter* counter : counters_) {
        json[counter->name_] = counter->load();
    }
}

SimRefusalCounters::SimRefusalCounters(SimCounters& counters, Forbidden forbidden)
    : invalid_(counters, "invalid")
    , unauthenticated_(counters, "unauthenticated") {
    if (forbidden == Forbidden::Counted) {
        forbidden_.emplace(counters, "forbidden");
    }
}

void SimRefusalCounters::count(int status) {
    if (status == 400 || status == 422) {
        ++invalid_;
    } else if (status == 401) {
        ++unauthenticated_;
    } else if (status == 403 && forbidden_) {
        ++*forbidden_;
    }
}

SimResponse SimRefusalCounters::answer(const SimAnswerError& error, const std::string& challenge) {
    count(error.status());
    SimResponse response = SimResponse::json(error.status(), error.body());
    if (error.status() == 401) {
        response.headers.emplace_back("WWW-Authenticate", challenge);
    }
    return response;
}

SimPartyBase::SimPartyBase(std::string name, std::string prefix)
    : name_(std::move(name))
    , prefix_(std::move(prefix)) {}

void SimPartyBase::reset() {
    resetRecords();
    counters_.zero();
}

core::Json SimPartyBase::stats() const {
    core::Json json = recordStats();
    counters_.addTo(json);
    return json;
}

} // namespace fiscpos::sim
