#include "signing/signature_text.hpp"

#include "core/errors.hpp"

#include <array>

namespace fiscpos::signing {

namespace {

constexpr char base64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char hexDigits[] = "0123456789ABCDEF";

// Value of a base64 character, or -1.
int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

// Value of a hex digit in either case, or -1.
int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool allHexDigits(std::string_view text) {
    for (char c : text) {
        if (hexValue(c) < 0) {
            return false;
        }
    }
    return true;
}

[[noreturn]] void notDer(const std::string& reason) {
    throw core::CryptoError("signature is not a DER ECDSA signature: " + reason);
}

// Reads one DER INTEGER of an ECDSA signature at `pos`; `name` is "r" or "s".
void readInteger(const Bytes& der, std::size_t& pos, std::size_t end, const char* name) {
    const std::string n(name);
    if (pos + 2 > end) {
        notDer("it ends before the integer " + n + " (truncated)");
    }
    if (der[pos] != 0x02) {
        notDer("expected an INTEGER (0x02) for " + n);
    }
    if ((der[pos + 1] & 0x80) != 0) {
        notDer("the length of " + n + " is not in DER short form");
    }
    const std::size_t length = der[pos + 1];
    pos += 2;
    if (length == 0) {
        notDer(n + " has no bytes");
    }
    if (pos + length > end) {
        notDer(n + " runs past the end (truncated)");
    }
    if ((der[pos] & 0x80) != 0) {
        notDer(n + " is negative");
    }
    if (length > 1 && der[pos] == 0x00 && (der[pos + 1] & 0x80) == 0) {
        notDer(n + " has a superfluous leading zero byte");
    }
    const std::size_t significant = der[pos] == 0x00 ? length - 1 : length;
    if (significant > 32) {
        notDer(n + " is longer than 32 bytes, too large for P-256");
    }
    bool zero = true;
    for (std::size_t i = pos; i < pos + length; ++i) {
        zero = zero && der[i] == 0;
    }
    if (zero) {
        notDer(n + " is zero");
    }
    pos += length;
}

} // namespace

void checkDerSignature(const Bytes& der) {
    if (der.empty()) {
        notDer("it is empty");
    }
    if (der.size() == 64 && der[0] != 0x30) {
        notDer("it is 64 bytes, which looks like a raw r||s pair; providers sign in DER "
               "(SEQUENCE of two INTEGERs, 70-72 bytes) and fiscpos does not re-encode "
               "signatures");
    }
    if (der[0] != 0x30) {
        notDer("it does not start with a SEQUENCE (0x30)");
    }
    if (der.size() < 2) {
        notDer("it ends after the SEQUENCE tag (truncated)");
    }
    if ((der[1] & 0x80) != 0) {
        notDer("the SEQUENCE length is not in DER short form (a P-256 signature is at most 72 "
               "bytes)");
    }
    const std::size_t length = der[1];
    if (2 + length > der.size()) {
        notDer("the SEQUENCE says " + std::to_string(length) + " bytes but only " +
               std::to_string(der.size() - 2) + " follow (truncated)");
    }
    if (2 + length < der.size()) {
        notDer(std::to_string(der.size() - 2 - length) + " extra bytes follow the SEQUENCE");
    }
    std::size_t pos = 2;
    const std::size_t end = der.size();
    readInteger(der, pos, end, "r");
    readInteger(der, pos, end, "s");
    if (pos != end) {
        notDer("extra bytes follow s inside the SEQUENCE");
    }
}

std::string toBase64(const Bytes& bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v =
            (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | unsigned{bytes[i + 2]};
        out += base64Alphabet[(v >> 18) & 0x3F];
        out += base64Alphabet[(v >> 12) & 0x3F];
        out += base64Alphabet[(v >> 6) & 0x3F];
        out += base64Alphabet[v & 0x3F];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const unsigned v = unsigned{bytes[i]} << 16;
        out += base64Alphabet[(v >> 18) & 0x3F];
        out += base64Alphabet[(v >> 12) & 0x3F];
        out += "==";
    } else if (rest == 2) {
        const unsigned v = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8);
        out += base64Alphabet[(v >> 18) & 0x3F];
        out += base64Alphabet[(v >> 12) & 0x3F];
        out += base64Alphabet[(v >> 6) & 0x3F];
        out += '=';
    }
    return out;
}

std::string toHexUpper(const Bytes& bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += hexDigits[b >> 4];
        out += hexDigits[b & 0x0F];
    }
    return out;
}

Bytes fromBase64(std::string_view text) {
    if (text.empty()) {
        throw core::CryptoError("base64 text is empty");
    }
    if (text.size() % 4 != 0) {
        throw core::CryptoError("base64 text has " + std::to_string(text.size()) +
                                " characters, not a multiple of 4");
    }
    std::size_t padding = 0;
    if (text.back() == '=') {
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    }
    Bytes out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::array<int, 4> v{};
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (last && j >= 4 - padding) {
                v[j] = 0;
                continue;
            }
            v[j] = base64Value(c);
            if (v[j] < 0) {
                throw core::CryptoError("base64 text has an invalid character at position " +
                                        std::to_string(i + j + 1));
            }
        }
        const unsigned bits = (static_cast<unsigned>(v[0]) << 18) |
                              (static_cast<unsigned>(v[1]) << 12) |
                              (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
        out.push_back(static_cast<std::uint8_t>(bits >> 16));
        if (!last || padding < 2) {
            out.push_back(static_cast<std::uint8_t>((bits >> 8) & 0xFF));
        }
        if (!last || padding < 1) {
            out.push_back(static_cast<std::uint8_t>(bits & 0xFF));
        }
        if (last &&
            ((padding == 1 && (bits & 0xFF) != 0) || (padding == 2 && (bits & 0xFFFF) != 0))) {
            throw core::CryptoError("base64 text has stray bits before its padding");
        }
    }
    return out;
}

Bytes fromHex(std::string_view text) {
    if (text.empty()) {
        throw core::CryptoError("hex text is empty");
    }
    if (text.size() % 2 != 0) {
        throw core::CryptoError("hex text has an odd number of digits (" +
                                std::to_string(text.size()) + ")");
    }
    Bytes out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = hexValue(text[i]);
        const int low = hexValue(text[i + 1]);
        if (high < 0 || low < 0) {
            throw core::CryptoError("hex text has a non-hex character at position " +
                                    std::to_string(i + (high < 0 ? 1 : 2)));
        }
        out.push_back(static_cast<std::uint8_t>((high << 4) | low));
    }
    return out;
}

Bytes decodeSignature(std::string_view text) {
    if (text.empty()) {
        throw core::CryptoError("signature is empty");
    }
    Bytes der;
    if (allHexDigits(text)) {
        if (text.size() % 2 != 0) {
            throw core::CryptoError("signature looks like hex but has an odd number of digits (" +
                                    std::to_string(text.size()) + ")");
        }
        der = fromHex(text);
    } else {
        try {
            der = fromBase64(text);
        } catch (const core::CryptoError& e) {
            throw core::CryptoError(std::string("signature is neither hex nor base64: ") +
                                    e.what());
        }
    }
    checkDerSignature(der);
    return der;
}

bool verifySignature(const PublicKey& key, std::string_view input, std::string_view signatureText) {
    Bytes der;
    try {
        der = decodeSignature(signatureText);
    } catch (const core::CryptoError&) {
        return false;
    }
    return key.verify(input, der);
}

} // namespace fiscpos::signing
