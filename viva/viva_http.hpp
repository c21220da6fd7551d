// The small pieces of HTTP both Viva clients share: Basic credentials, form and query encoding.
// Answers are described in error messages by core::answerSummary (found by argument-dependent
// lookup): the status and Viva's `detail`, redacted.
#pragma once

#include "core/basic_authorization.hpp"
#include "core/body_quote.hpp" // answerSummary: what an answer says, redacted
#include "core/http_client.hpp"
#include "core/url_encoding.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::viva {

using Parameters = core::FormFields;

// "Basic base64(user:password)" is written by core/basic_authorization.hpp.
using core::basicAuthorization;
// Form bodies and query strings are percent-encoded by core/url_encoding.hpp.
using core::formEncoded;

} // namespace fiscpos::viva
