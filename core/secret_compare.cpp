#include "core/secret_compare.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace fiscpos::core {

namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view text) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
    return out;
}

} // namespace

bool secretEquals(std::string_view presented, std::string_view expected) {
    const auto a = digest(presented);
    const auto b = digest(expected);
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace fiscpos::core
