// What the simulator's server hands a simulated remote party, and what the party answers.
// Each party (the e-invoicing provider, each card network) lives under its own path prefix on the
// one server, so a fiscpos configuration points at it by URL alone.
#pragma once

#include "core/http_server.hpp"
#include "core/json.hpp"
#include "core/secret_compare.hpp"
#include "sim/server/sim_text.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fiscpos::sim {

// A request as the server read it (core::ServerRequest), with the part of the path below the
// party's prefix.
struct SimRequest : core::ServerRequest {
    std::string subpath; // the path below the party's prefix, "/v1/payments/01ABC" ("" at root)

    // The path below the prefix split at '/', without empty segments.
    std::vector<std::string> segments() const;
};

struct SimResponse : core::ServerAnswer {
    SimResponse() = default;
    // Implicit: every core answer is a party's answer too.
    SimResponse(core::ServerAnswer answer)
        : core::ServerAnswer(std::move(answer)) {}

    // {"message": text}, the error shape most parties use.
    static SimResponse message(int status, const std::string& text);
};

class SimCounters;

// One of a party's counters in /_sim/stats, counted from any thread and listed under its name in
// the party's SimCounters.
class SimCounter {
public:
    SimCounter(SimCounters& counters, std::string name);
    SimCounter(const SimCounter&) = delete;
    SimCounter& operator=(const SimCounter&) = delete;

    void operator++() { ++value_; }
    void operator+=(std::int64_t count) { value_ += count; }
    std::int64_t load() const { return value_.load(); }

private:
    friend class SimCounters;
    std::string name_;
    std::atomic<std::int64_t> value_{0};
};

// The counters of one party: zeroed together by its reset() and written together into its
// stats(). Declared before the counters that list themselves in it.
class SimCounters {
public:
    SimCounters() = default;
    SimCounters(const SimCounters&) = delete;
    SimCounters& operator=(const SimCounters&) = delete;

    void zero();
    // Sets each counter under its name in `json`, an object.
    void addTo(core::Json& json) const;

private:
    friend class SimCounter;
    std::vector<SimCounter*> counters_;
};

// The counters of the requests a party refused, by the answer's status: "invalid" (400 and 422),
// "unauthenticated" (401) and, for a party that also refuses by permission, "forbidden" (403).
class SimRefusalCounters {
public:
    enum class Forbidden { Counted, NotCounted };

    SimRefusalCounters(SimCounters& counters, Forbidden forbidden);

    void count(int status);
    // The answer of a refusal, counted: its status and body, and for a 401 the WWW-Authenticate
    // challenge `challenge` (e.g. Bearer realm="api").
    SimResponse answer(const SimAnswerError& error, const std::string& challenge);

private:
    SimCounter invalid_, unauthenticated_;
    std::optional<SimCounter> forbidden_;
};

// A simulated remote party. handle() is called from the server's worker threads concurrently, so
// implementations guard their own state.
class SimParty {
public:
    virtual ~SimParty() = default;
    // The key of its counters in /_sim/stats, e.g. "acme".
    virtual std::string name() const = 0;
    // Where it lives, e.g. "/acme": it gets every request whose path is the prefix or below.
    virtual std::string prefix() const = 0;
    virtual SimResponse handle(const SimRequest& request) = 0;
    // Forgets every record and counter (POST /_sim/reset).
    virtual void reset() {}
    // Counters of what it created, e.g. {"signatures_created": 1}.
    virtual core::Json stats() const { return core::Json::object(); }
};

// What most parties share: a name and a prefix fixed when it is made, and its own counters, which
// reset() zeroes and stats() lists.
class SimPartyBase : public SimParty {
public:
    std::string name() const final { return name_; }
    std::string prefix() const final { return prefix_; }
    // resetRecords(), then every counter back to 0.
    void reset() final;
    // recordStats() with every counter set under its name.
    core::Json stats() const final;

protected:
    SimPartyBase(std::string name, std::string prefix);

    // Forgets the party's records and settings.
    virtual void resetRecords() {}
    // The counters of what the party keeps (a JSON object) that its own counters join.
    virtual core::Json recordStats() const { return core::Json::object(); }

    SimCounters counters_; // the party's own counters: each SimCounter it makes with it

private:
    std::string name_;
    std::string prefix_;
};

} // namespace fiscpos::sim
