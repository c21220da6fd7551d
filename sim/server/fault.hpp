// Faults injected into the simulator through /_sim/faults, so tests and ERP developers can see
// how fiscpos behaves when a remote party fails: an error status, a slow answer, a broken body,
// or a connection that drops before or after the party acted on the request.
#pragma once

#include "core/json.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::sim {

enum class FaultKind {
    Status,     // answer `status` with {"message": ...} without handling the request
    Delay,      // handle the request, then hold the answer for `delay` of simulated time
    Malformed,  // answer 200 with a body that is not valid JSON, without handling the request
    DropBefore, // close the connection without handling the request and without an answer
    DropAfter,  // handle the request (its effects stay), then close without an answer
    // Handle the request and answer it as usual, saying the connection stays open, then close
    // it: the client finds out only when it reuses the connection.
    CloseAfter,
};

std::string_view faultKindName(FaultKind kind); // "status", "delay", "malformed", ...

struct FaultRule {
    std::int64_t id = 0; // assigned when added
    std::string method;  // empty: any method; otherwise compared case-insensitively
    std::string path;    // prefix of the request path (the query is not matched)
    FaultKind kind = FaultKind::Status;
    int status = 503;                   // Status
    std::chrono::milliseconds delay{0}; // Delay (simulated time)
    int count = 1;                      // how many matching requests it still applies to
    bool apply = false; // Status and Malformed: handle the request first (its effects stay)
    // Status: the answer's body instead of {"message": ...}, e.g. a network's own refusal; a JSON
    // string is sent as the body's text (so a test can send a broken body).
    std::optional<core::Json> body;

    bool matches(std::string_view requestMethod, std::string_view requestPath) const;
    // The rule as JSON, in the shape POST /_sim/faults takes.
    core::Json toJson() const;
    // Reads a rule from the body of POST /_sim/faults; InputError naming the field otherwise.
    static FaultRule fromJson(const core::Json& body);
};

// The active rules, first added first matched. Thread-safe.
class FaultBook {
public:
    FaultRule add(FaultRule rule);
    // Takes one use of the first rule matching the request (dropping the rule when used up).
    std::optional<FaultRule> take(std::string_view method, std::string_view path);
    std::vector<FaultRule> list() const;
    std::size_t clear();
    // How many requests a rule has been applied to since the last reset.
    std::int64_t applied() const;
    void resetCounters();

private:
    mutable std::mutex mutex_;
    std::vector<FaultRule> rules_;
    std::int64_t nextId_ = 1;
    std::int64_t applied_ = 0;
};

} // namespace fiscpos::sim
