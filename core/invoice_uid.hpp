// The myDATA invoice UID: uppercase hex SHA-1 of "vat-date-branch-type-series-aa".
// It lives in core because both sides need it and neither may depend on the other: the provider
// side (signing/, which puts it in the Input) and the invoice side (einvoice/, which checks it).
#pragma once

#include <string>
#include <string_view>

namespace fiscpos::core {

// How a series with Greek letters is turned into bytes before hashing. AADE has not settled it:
// ISO-8859-7 matches what myDATA computes today for Greek series; UTF-8 is what some ERPs hash.
enum class UidSeriesEncoding { Iso8859_7, Utf8 };

struct InvoiceIdentity {
    std::string issuerVat;   // "999999999"
    std::string issueDate;   // "YYYY-MM-DD", the date as written on the invoice
    int branch = 0;          // the issuer's installation number, 0 for the head office
    std::string invoiceType; // "11.1", exactly as in the XML
    std::string series;      // UTF-8; Latin, digits or Greek capitals
    std::string aa;          // the number, exactly as in the XML
};

// The text that is hashed, in UTF-8 ("999999999-2020-10-22-0-1.1-A-2").
std::string invoiceUidText(const InvoiceIdentity& identity);

// 40 uppercase hex characters. Throws InputError naming "series" when the series holds a character
// that ISO-8859-7 cannot encode (with Iso8859_7).
std::string invoiceUid(const InvoiceIdentity& identity,
                       UidSeriesEncoding encoding = UidSeriesEncoding::Iso8859_7);

// UTF-8 text to ISO-8859-7 bytes; throws InputError naming `field` on a character outside it.
std::string utf8ToIso8859_7(std::string_view utf8, std::string_view field);

} // namespace fiscpos::core
