// Comparing a presented secret (a bearer token, the webhook URL's token) with the configured one
// in a time that depends on neither the position of the first difference nor the lengths.
#pragma once

#include <string_view>

namespace fiscpos::core {

// Compares the SHA-256 digests of both with OpenSSL's constant-time CRYPTO_memcmp.
bool secretEquals(std::string_view presented, std::string_view expected);

} // namespace fiscpos::core
