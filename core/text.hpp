// Predicates on text from configuration files and remote answers, written once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fiscpos::core {

// Not empty, and only the digits 0-9.
bool allDigits(std::string_view text);
// Not empty, and only 0-9, a-f, A-F.
bool allHex(std::string_view text);
// Not empty, and only printable ASCII without blanks: what may travel in a header, a path, a
// query or a form value as it is.
bool isPlainToken(std::string_view text);

// ASCII letters lowered or raised; every other byte (UTF-8 included) as it is.
std::string asciiLower(std::string_view text);
std::string asciiUpper(std::string_view text);

// Characters of UTF-8 text (bytes that do not continue a character): a Greek letter is two bytes
// but one column.
std::size_t utf8Length(std::string_view text);
// The first `characters` characters of UTF-8 text, never cutting one in two.
std::string_view utf8Prefix(std::string_view text, std::size_t characters);

} // namespace fiscpos::core
