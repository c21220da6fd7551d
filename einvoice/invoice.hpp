// The invoice the ERP passes to fiscpos (JSON, see the Invoice section of the design), read into
// a checked model. Every amount is core::Money (integer cents); every error is a core::InputError
// naming the field as a path such as "invoice.lines[0].vat".
#pragma once

#include "core/invoice_uid.hpp"
#include "core/money.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::einvoice {

using core::Money;

// The issuer or the counterpart of an invoice (myDATA PartyType).
struct Party {
    std::string vat;     // ΑΦΜ; 9 digits for a Greek (GR) party
    int branch = 0;      // installation number in Taxis, 0 for the head office
    std::string country; // ISO 3166 alpha-2, e.g. "GR"
    std::optional<std::string> name;
};

struct IncomeClassification {
    std::optional<std::string> type; // e.g. "E3_561_003"; myDATA allows it to be absent
    std::string category;            // e.g. "category1_1"
};

struct InvoiceLine {
    Money net;
    int vatCategory = 0; // myDATA VatType 1..10 (1 = 24%)
    Money vat;
    IncomeClassification income;
    // What the provider prints on the document; optional for myDATA. quantity is exact decimal
    // text ("2", "0.375"); when given with unit_price, net is round(quantity × unit_price, 2).
    std::optional<std::string> description;
    std::optional<std::string> quantity;
    std::optional<Money> unitPrice;
};

struct InvoiceTotals {
    Money net;
    Money vat;
    Money withheld;
    Money fees;
    Money stamp; // stamp duty
    Money other; // other taxes
    Money deductions;
    Money gross;
};

struct Invoice {
    Party issuer;
    std::optional<Party> counterpart;
    std::string series;              // UTF-8, as printed on the document
    std::string aa;                  // the document number, as printed
    std::string type;                // myDATA invoice type, e.g. "11.1"
    std::string issuedAt;            // ISO-8601 with offset, as the ERP wrote it
    std::string currency;            // ISO 4217, "EUR" when the ERP leaves it out
    std::optional<std::string> mark; // myDATA MARK (digits) once the invoice was transmitted
    // myDATA transmissionFailure (1..4): 1 the entity could not reach its provider (a payment
    // taken in autonomous mode, issued later), 2 the provider could not reach myDATA, 3 an ERP's
    // own transmission after a loss of interconnection, 4 utilities (provider channel only).
    std::optional<int> transmissionFailure;
    InvoiceTotals totals;
    std::vector<InvoiceLine> lines;

    // "YYYY-MM-DD" exactly as written in issued_at (no time-zone conversion).
    std::string issueDate() const;
    // The fields the invoice UID is computed from.
    core::InvoiceIdentity identity() const;
    // The myDATA invoice UID (40 uppercase hex characters).
    std::string uid(core::UidSeriesEncoding encoding = core::UidSeriesEncoding::Iso8859_7) const;
};

// True for the myDATA invoice types (InvoiceType enumeration of SimpleTypes-v2.0.1.xsd).
bool isInvoiceType(std::string_view type);

// True for a myDATA MARK as fiscpos accepts it: 1 to 18 digits.
bool isMark(std::string_view text);

// Parses and checks an invoice JSON document. Amounts must be decimal strings ("1.24"). Checks:
// issuer.vat (9 digits when the country is GR), country (2 capital letters), type, series and aa
// (non-empty, at most 50 characters), issued_at (with a UTC offset), currency (3 capital
// letters), mark (digits), lines (at least one; vat_category 1..10), and the totals:
//   totals.net   == sum of lines[].net
//   totals.vat   == sum of lines[].vat
//   totals.gross == net + vat - withheld + fees + stamp + other - deductions
// which is how myDATA defines totalGrossValue. withheld, fees, stamp, other and deductions are
// optional and default to 0.00. A line may carry description (up to 300 characters), quantity
// (a decimal string, up to 3 decimals, above 0) and unit_price (an amount) — quantity and
// unit_price together, with net == round(quantity × unit_price, 2).
Invoice parseInvoice(std::string_view jsonText);

// Reads and parses an invoice file; a missing or unreadable file is an InputError naming the path.
Invoice loadInvoiceFile(const std::filesystem::path& path);

} // namespace fiscpos::einvoice
