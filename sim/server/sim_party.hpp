// What the simulator's server hands a simulated remote party, and what the party answers.
// Each party (the e-invoicing provider, each card network) lives under its own path prefix on the
// one server, so a fiscpos configuration points at it by URL alone.
#pragma once

#include "core/http_server.hpp"
#include "core/json.hpp"
#include "core/secret_compare.hpp"

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

} // namespace fiscpos::sim
