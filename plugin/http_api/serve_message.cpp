#include "plugin/http_api/serve_message.hpp"

namespace fiscpos::plugin::http_api {

std::optional<std::string> ServeRequest::queryValue(const std::string& name) const {
    auto value = queryParam(name);
    if (!value || value->empty()) {
        return std::nullopt;
    }
    return value;
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
