#include "plugin/journal/event_hash.hpp"

#include "core/errors.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace fiscpos::plugin {

namespace {

struct MdContextFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextFree>;

} // namespace

std::string sha256Hex(std::string_view data) {
    MdContext context(EVP_MD_CTX_new());
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
        throw core::CryptoError("SHA-256 of a journal event failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(std::size_t{length} * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

namespace journal_detail {

std::string canonicalEvent(const DbRow& event) {
    std::string out = "fiscpos.cash_event.v1\n";
    for (const auto& column : eventColumns()) {
        if (column.name == "hash") {
            continue;
        }
        out += column.name;
        out += '=';
        auto it = event.find(column.name);
        if (it == event.end() || std::holds_alternative<std::monostate>(it->second)) {
            out += '-';
        } else {
            const std::string value = displayValue(it->second);
            out += std::holds_alternative<std::int64_t>(it->second) ? 'I' : 'T';
            out += std::to_string(value.size());
            out += ':';
            out += value;
        }
        out += '\n';
    }
    return out;
}

std::string eventHash(const DbRow& event) {
    return sha256Hex(canonicalEvent(event));
}

} // namespace journal_detail
} // namespace fiscpos::plugin
