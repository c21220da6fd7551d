// What the simulator's server hands a simulated remote party, and what the party answers.
// Each party (the e-invoicing provider, each card network) lives under its own path prefix on the
// one server, so a fiscpos configuration points at it by URL alone.
#pragma once

#include "core/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::sim {

struct SimRequest {
    std::string method;   // "GET", "POST", ...
    std::string path;     // full decoded path, "/acme/v1/payments/01ABC"
    std::string subpath;  // the path below the party's prefix, "/v1/payments/01ABC" ("" at root)
    std::string rawQuery; // "status=pending&page=2"
    std::multimap<std::string, std::string> query; // decoded query parameters
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string host; // the Host header, for absolute links ("127.0.0.1:8099")

    // Case-insensitive; empty when absent.
    std::string header(std::string_view name) const;
    // The first value of a query parameter.
    std::optional<std::string> queryParam(const std::string& name) const;
    // The bearer token of the Authorization header; empty when there is none.
    std::string bearerToken() const;
    // The path below the prefix split at '/', without empty segments.
    std::vector<std::string> segments() const;
};

struct SimResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static SimResponse json(int status, const core::Json& body);
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

// Compares a presented secret with the expected one in time that does not depend on where they
// differ.
bool constantTimeEquals(std::string_view presented, std::string_view expected);

} // namespace fiscpos::sim
