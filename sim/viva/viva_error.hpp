// The answers other than success that the simulated Viva parties give: thrown by a check, sent by
// the party as they are.
#pragma once

#include "core/json.hpp"
#include "sim/server/sim_party.hpp"

#include <stdexcept>
#include <string>

namespace fiscpos::sim::viva {

class HttpError : public std::runtime_error {
public:
    explicit HttpError(SimResponse response);
    // A JSON answer.
    HttpError(int status, const core::Json& body);

    // A problem-details answer (application/problem+json) {"type", "title", "status", "detail"}:
    // the shape whose "detail" ERPs show the cashier.
    static HttpError problem(int status, const std::string& detail);

    int status() const { return response_.status; }
    const SimResponse& response() const { return response_; }

private:
    SimResponse response_;
};

} // namespace fiscpos::sim::viva
