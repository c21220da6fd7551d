#include "core/invoice_uid.hpp"

#include "core/errors.hpp"

#include <array>
#include <cstdio>
#include <openssl/evp.h>

namespace fiscpos::core {

namespace {

// Decodes one UTF-8 code point at `pos`, advancing it; -1 on a malformed sequence.
long nextCodePoint(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    int length = 0;
    long cp = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        return -1;
    }
    if (pos + static_cast<std::size_t>(length) > text.size()) {
        return -1;
    }
    for (int i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + static_cast<std::size_t>(i)]);
        if ((next & 0xC0) != 0x80) {
            return -1;
        }
        cp = (cp << 6) | (next & 0x3F);
    }
    pos += static_cast<std::size_t>(length);
    return cp;
}

std::string hexUpper(const unsigned char* bytes, std::size_t size) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0F];
    }
    return out;
}

} // namespace

std::string utf8ToIso8859_7(std::string_view utf8, std::string_view field) {
    std::string out;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const long cp = nextCodePoint(utf8, pos);
        if (cp < 0) {
            throw InputError(std::string(field), "is not valid UTF-8 text");
        }
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp >= 0x0384 && cp <= 0x03CE && cp != 0x038B && cp != 0x038D && cp != 0x03A2) {
            // The Greek block maps onto ISO-8859-7 0xB4..0xFE at a fixed distance.
            out += static_cast<char>(cp - 0x02D0);
        } else {
            char codePoint[24];
            std::snprintf(codePoint, sizeof codePoint, "U+%04lX", cp);
            throw InputError(std::string(field), std::string("holds the character ") + codePoint +
                                                     ", which ISO-8859-7 cannot encode; use "
                                                     "Latin letters, digits or Greek letters");
        }
    }
    return out;
}

std::string invoiceUidText(const InvoiceIdentity& id) {
    return id.issuerVat + "-" + id.issueDate + "-" + std::to_string(id.branch) + "-" +
           id.invoiceType + "-" + id.series + "-" + id.aa;
}

std::string invoiceUid(const InvoiceIdentity& identity, UidSeriesEncoding encoding) {
    std::string text = invoiceUidText(identity);
    if (encoding == UidSeriesEncoding::Iso8859_7) {
        text = utf8ToIso8859_7(text, "series");
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
        throw Error("crypto", "SHA-1 of the invoice UID text failed");
    }
    return hexUpper(digest.data(), length);
}

} // namespace fiscpos::core
