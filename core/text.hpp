// Predicates on text from configuration files and remote answers, written once.
#pragma once

#include <string_view>

namespace fiscpos::core {

// Not empty, and only the digits 0-9.
bool allDigits(std::string_view text);
// Not empty, and only 0-9, a-f, A-F.
bool allHex(std::string_view text);
// Not empty, and only printable ASCII without blanks: what may travel in a header, a path, a
// query or a form value as it is.
bool isPlainToken(std::string_view text);

} // namespace fiscpos::core
