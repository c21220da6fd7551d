// One request to `fiscpos serve` and its answer, as the handlers see them: core's server request
// and answer (core/http_server.hpp), with the error shape of the C ABI, so the handlers know
// nothing of sockets.
#pragma once

#include "core/http_server.hpp"
#include "core/json.hpp"

#include <optional>
#include <string>

namespace fiscpos::plugin::http_api {

struct ServeRequest : core::ServerRequest {
    // The first value of a query parameter; nullopt when it is absent or empty.
    std::optional<std::string> queryValue(const std::string& name) const;
};

struct ServeResponse : core::ServerAnswer {
    ServeResponse() = default;
    // Implicit: every core answer (ServerAnswer::json, ::html) is an answer of serve's.
    ServeResponse(core::ServerAnswer answer)
        : core::ServerAnswer(std::move(answer)) {}

    // {"ok": false, "error": {"code", "message", "field"}}: the error shape of the C ABI.
    static ServeResponse error(int status, const std::string& code, const std::string& message,
                               const std::optional<std::string>& field = std::nullopt);
    // The one answer for a path that is not served, a wrong webhook token included, so that
    // nothing tells them apart.
    static ServeResponse notFound();
};

} // namespace fiscpos::plugin::http_api
