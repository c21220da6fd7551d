// serve's OpenAPI 3 description (docs/openapi.json, compiled in at build time), answered at
// GET /openapi.json.
#pragma once

#include <string_view>

namespace fiscpos::plugin::http_api {

std::string_view openApiDocument();

} // namespace fiscpos::plugin::http_api
