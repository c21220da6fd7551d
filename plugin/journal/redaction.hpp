// What the cash journal removes before anything is stored: passwords, tokens, API keys and other
// credentials in bodies, headers and URLs, and full card numbers. Everything else (amounts,
// references, masked PANs, signatures) stays as it was sent, byte for byte.
//
// Names are compared case-insensitively with '-', '_', '.' and blanks ignored, so "api_key",
// "apiKey", "X-Api-Key" and "x_api_key" are the same name. The lists are in redaction.cpp.
#pragma once

#include "core/http_client.hpp"

#include <span>
#include <string>
#include <string_view>

namespace fiscpos::plugin {

// What a removed value is replaced with.
inline constexpr std::string_view kRedacted = "[redacted]";

// A field or header whose value is a credential: password, secret, client_secret, token,
// access_token, refresh_token, id_token, access, refresh, api_key, x-api-key, authorization,
// cookie, set-cookie, session_key, private_key, pin, cvv, ocp-apim-subscription-key, ..., and any
// name ending in password, secret, token or apikey.
bool isSecretName(std::string_view name);
// Names of fields an exchange declares secret (core::HttpRequest::secretFields) besides those,
// compared the same way.
using MoreSecrets = std::span<const std::string>;
bool isSecretName(std::string_view name, MoreSecrets more);
// A field that holds a card number: pan, card_number, cardNumber, primaryAccountNumber, ...
bool isCardNumberName(std::string_view name);

// A body of any kind. JSON is redacted in place (only the values of secret fields change;
// whitespace, key order and numbers stay exactly as sent), so is a form-encoded body; anything
// else (XML, plain text, error pages) gets the text rules of redactText().
std::string redactBody(std::string_view body, MoreSecrets more = {});
// Headers as "Name: value" lines, with the values of secret headers replaced.
std::string redactHeaders(const core::HttpHeaders& headers);
// Already formatted "Name: value" lines.
std::string redactHeaderLines(std::string_view lines);
// A URL: a password in the user info and secret query parameters.
std::string redactUrl(std::string_view url);
// Free text (notes, error messages, non-JSON bodies): "secret-name: value" and
// "secret-name=value" pairs, "Bearer ..."/"Basic ..." credentials, JSON Web Tokens, and card
// numbers written in groups ("4111 1111 1111 1111") that pass the Luhn check.
std::string redactText(std::string_view text, MoreSecrets more = {});

// Masks every run of 13 to 19 digits (blanks or dashes between them allowed) in a card number
// field to its first 6 and last 4 digits: "4111111111111111" → "411111******1111".
std::string maskCardNumber(std::string_view value);

} // namespace fiscpos::plugin
