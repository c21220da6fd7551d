// Quoting what a remote party answered, in an error message. Error messages travel far (stdout,
// the journal's outcome and events, kept forever), so every quote of a body goes through here:
// values that look like credentials are masked before anything is cut or shown, and an answer
// that carries credentials (a token, login, refresh or redeem answer) is never quoted at all.
#pragma once

#include "core/http_client.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace fiscpos::core {

// `text` with credentials masked as "***": the values of JSON or form fields whose names speak
// of one (token, access, refresh, secret, password, key, authorization, code, signature,
// credential) and any run of 20 or more token characters that mixes letters and digits (a JWT, an
// API key, an opaque token) unless it is a UUID.
std::string redactSecrets(std::string_view text);

// An excerpt of a body for an error message: redacted, then cut to `limit` characters ("..."
// marks the cut). Empty for an empty body.
std::string quoteBody(std::string_view body, std::size_t limit = 300);

// "<status>: <what the answer says>" for an error message: the answer's own explanation (its
// "detail", "message", "error_description" or "error" text) when it has one, else an excerpt of
// the body, redacted either way.
std::string answerSummary(const HttpResponse& response, std::size_t limit = 300);

// The same for an answer to a credential call (token, login, refresh, redeem): only the status
// and the answer's explanation fields, redacted; never the body itself.
std::string credentialAnswerSummary(const HttpResponse& response, std::size_t limit = 300);

} // namespace fiscpos::core
