#include "signing/signature_text.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace fiscpos::signing {

namespace {

// A character of the standard base64 alphabet (RFC 4648 §4), padding aside.
bool isBase64Digit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
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
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string toHexUpper(const Bytes& bytes) {
    if (bytes.empty()) {
        return {};
    }
    std::string out(bytes.size() * 2 + 1, '\0');
    std::size_t written = 0;
    if (OPENSSL_buf2hexstr_ex(out.data(), out.size(), &written, bytes.data(), bytes.size(), '\0') !=
        1) {
        throw core::CryptoError("could not write " + std::to_string(bytes.size()) +
                                " bytes as hex");
    }
    out.resize(written - 1); // without the terminating NUL
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
    while (padding < 2 && text[text.size() - 1 - padding] == '=') {
        ++padding;
    }
    for (std::size_t i = 0; i + padding < text.size(); ++i) {
        if (!isBase64Digit(text[i])) {
            throw core::CryptoError("base64 text has an invalid character at position " +
                                    std::to_string(i + 1));
        }
    }
    Bytes out(text.size() / 4 * 3);
    const int decoded =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size()));
    if (decoded < 0 || static_cast<std::size_t>(decoded) != out.size()) {
        throw core::CryptoError("base64 text could not be decoded");
    }
    out.resize(out.size() - padding);
    // Standard base64 has one text per byte string: bits below the padding must be zero.
    if (toBase64(out) != text) {
        throw core::CryptoError("base64 text has stray bits before its padding");
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
    const auto bad = std::find_if_not(text.begin(), text.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (bad != text.end()) {
        throw core::CryptoError("hex text has a non-hex character at position " +
                                std::to_string(bad - text.begin() + 1));
    }
    Bytes out(text.size() / 2);
    const std::string digits(text);
    std::size_t written = 0;
    if (OPENSSL_hexstr2buf_ex(out.data(), out.size(), &written, digits.c_str(), '\0') != 1 ||
        written != out.size()) {
        throw core::CryptoError("hex text could not be decoded");
    }
    return out;
}

Bytes decodeSignature(std::string_view text) {
    if (text.empty()) {
        throw core::CryptoError("signature is empty");
    }
    Bytes der;
    if (core::allHex(text)) {
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
