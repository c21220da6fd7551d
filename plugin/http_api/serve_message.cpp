#include "plugin/http_api/serve_message.hpp"

namespace fiscpos::plugin::http_api {

std::optional<std::string> ServeRequest::queryValue(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end() || it->second.empty()) {
        return std::nullopt;
    }
    return it->second;
}

ServeResponse ServeResponse::json(int status, const core::Json& body) {
    ServeResponse response;
    response.status = status;
    response.body = core::dumpJson(body);
    return response;
}

ServeResponse ServeResponse::html(int status, std::string page) {
    ServeResponse response;
    response.status = status;
    response.contentType = "text/html; charset=utf-8";
    response.body = std::move(page);
    return response;
}

ServeResponse ServeResponse::error(int status, const std::string& code, const std::string& message,
                                   const std::optional<std::string>& field) {
    return json(status,
                core::Json{{"ok", false},
                           {"error",
                            {{"code", code},
                             {"message", message},
                             {"field", field ? core::Json(*field) : core::Json(nullptr)}}}});
}

ServeResponse ServeResponse::notFound() {
    return error(404, "not_found", "nothing is served at this path");
}

} // namespace fiscpos::plugin::http_api
