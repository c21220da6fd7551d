// The small pieces of HTTP both Viva clients share: Basic credentials, form and query encoding,
// and the short description of an answer that goes into error messages (never a secret: only the
// status and Viva's `detail`).
#pragma once

#include "core/http_client.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::viva {

using Parameters = std::vector<std::pair<std::string, std::string>>;

// "Basic base64(user:password)".
std::string basicAuthorization(const std::string& user, const std::string& password);
// key=value pairs joined with '&', both percent-encoded (a form body or a query string).
std::string formEncoded(const Parameters& parameters);
// A path segment, percent-encoded.
std::string pathSegment(const std::string& text);
// "404: Session id was not found", the body cut to a readable length when it has no detail.
std::string answerSummary(const core::HttpResponse& response);

} // namespace fiscpos::viva
