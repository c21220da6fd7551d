// Percent-encoding of what goes into a URL or a form body, written once (through Poco::URI).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::core {

// Every character but RFC 3986's unreserved ones (A-Z a-z 0-9 - . _ ~) percent-encoded: safe as a
// path segment, a query value or a form value.
std::string percentEncoded(std::string_view text);

// name=value pairs joined with '&', both percent-encoded: a form body or a query string.
using FormFields = std::vector<std::pair<std::string, std::string>>;
std::string formEncoded(const FormFields& fields);

} // namespace fiscpos::core
