// One request to `fiscpos serve` and its answer, as the handlers see them: plain data, read from
// and written to Poco's server by serve_server.cpp, so the handlers know nothing of sockets.
#pragma once

#include "core/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fiscpos::plugin::http_api {

struct ServeRequest {
    std::string method; // "GET", "POST", ...
    std::string path;   // decoded, without the query
    std::map<std::string, std::string> query;
    std::string authorization; // the Authorization header, empty when absent
    std::string body;

    std::optional<std::string> queryValue(const std::string& name) const;
};

struct ServeResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static ServeResponse json(int status, const core::Json& body);
    static ServeResponse html(int status, std::string page);
    // {"ok": false, "error": {"code", "message", "field"}}: the error shape of the C ABI.
    static ServeResponse error(int status, const std::string& code, const std::string& message,
                               const std::optional<std::string>& field = std::nullopt);
    // The one answer for a path that is not served, a wrong webhook token included, so that
    // nothing tells them apart.
    static ServeResponse notFound();
};

} // namespace fiscpos::plugin::http_api
