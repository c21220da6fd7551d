// The small pieces of HTTP both Viva clients share: Basic credentials, form and query encoding.
// Answers are described in error messages by core::answerSummary (found by argument-dependent
// lookup): the status and Viva's `detail`, redacted.
#pragma once

#include "core/body_quote.hpp" // answerSummary: what an answer says, redacted
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

} // namespace fiscpos::viva
