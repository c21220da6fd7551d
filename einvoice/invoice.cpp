#include "einvoice/invoice.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace fiscpos::einvoice {

namespace {

using core::InputError;
using core::Json;
using core::JsonFields;
using core::JsonOrigin;

constexpr std::string_view root = "invoice";

// The InvoiceType enumeration of SimpleTypes-v2.0.1.xsd (v1.0.12 lacks 9.1, 9.2, 10.1, 10.2).
constexpr std::string_view invoiceTypes[] = {
    "1.1",  "1.2",   "1.3",   "1.4",  "1.5",  "1.6",   "2.1",   "2.2",  "2.3",  "2.4",  "3.1",
    "3.2",  "4",     "5.1",   "5.2",  "6.1",  "6.2",   "7.1",   "8.1",  "8.2",  "8.4",  "8.5",
    "8.6",  "9.1",   "9.2",   "9.3",  "10.1", "10.2",  "11.1",  "11.2", "11.3", "11.4", "11.5",
    "12",   "13.1",  "13.2",  "13.3", "13.4", "13.30", "13.31", "14.1", "14.2", "14.3", "14.4",
    "14.5", "14.30", "14.31", "15.1", "16.1", "17.1",  "17.2",  "17.3", "17.4", "17.5", "17.6"};

// myDATA VatType (SimpleTypes-v2.0.1.xsd): 1..10.
constexpr std::int64_t minVatCategory = 1;
constexpr std::int64_t maxVatCategory = 10;
// series and aa: xs:string maxLength 50 in InvoiceHeaderType.
constexpr std::size_t maxHeaderLength = 50;
// vatNumber: xs:string maxLength 30 in PartyType.
constexpr std::size_t maxVatLength = 30;
// invoiceMark is an xs:long: 18 digits always fit.
constexpr std::size_t maxMarkDigits = 18;

using core::allDigits;

bool capitals(std::string_view text, std::size_t length) {
    return text.size() == length &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Characters (code points) in UTF-8 text; XSD lengths count characters, not bytes.
std::size_t characterCount(std::string_view utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

std::string describe(const Json& value) {
    if (core::isDecimal(value) || value.is_number()) {
        return "a JSON number";
    }
    return std::string("a JSON ") + value.type_name();
}

// Amounts travel as decimal strings so that no binary floating point ever touches them.
Money amount(const JsonFields& fields, std::string_view key) {
    const Json& value = fields.require(key);
    if (!value.is_string()) {
        fields.fail(key, "expected a decimal string, got " + describe(value) +
                             "; send amounts as decimal strings such as \"1.24\"");
    }
    return Money::parse(value.get<std::string>(), fields.fieldName(key));
}

Money optionalAmount(const JsonFields& fields, std::string_view key) {
    return fields.isNull(key) ? Money{} : amount(fields, key);
}

// Text that goes into the journal, the signature and myDATA: no control characters (a NUL would
// be cut short in one place and kept in another).
std::string plainText(const JsonFields& fields, std::string_view key, std::string text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20U || byte == 0x7FU) {
            fields.fail(key, "contains a control character (code " + std::to_string(byte) +
                                 "); only printable text is accepted");
        }
    }
    return text;
}

std::string requireText(const JsonFields& fields, std::string_view key) {
    return plainText(fields, key, fields.requireString(key));
}

std::optional<std::string> optionalText(const JsonFields& fields, std::string_view key) {
    auto text = fields.optionalString(key);
    if (text) {
        plainText(fields, key, *text);
    }
    return text;
}

std::string boundedText(const JsonFields& fields, std::string_view key) {
    std::string text = requireText(fields, key);
    if (text.empty()) {
        fields.fail(key, "must not be empty");
    }
    if (characterCount(text) > maxHeaderLength) {
        fields.fail(key, "longer than " + std::to_string(maxHeaderLength) + " characters");
    }
    return text;
}

int intInRange(const JsonFields& fields, std::string_view key, std::int64_t low,
               std::int64_t high) {
    const std::int64_t value = fields.requireInteger(key);
    if (value < low || value > high) {
        fields.fail(key, std::to_string(value) + " is out of range (" + std::to_string(low) + ".." +
                             std::to_string(high) + ")");
    }
    return static_cast<int>(value);
}

// `greekVatOnly`: the issuer always has a Greek ΑΦΜ; a counterpart may be foreign.
Party parseParty(const JsonFields& fields, bool greekVatOnly) {
    Party party;
    party.country = requireText(fields, "country");
    if (!capitals(party.country, 2)) {
        fields.fail("country", "\"" + party.country +
                                   "\" is not a 2-letter country code in capitals such as \"GR\"");
    }
    party.vat = requireText(fields, "vat");
    if (greekVatOnly || party.country == "GR") {
        if (party.vat.size() != 9 || !allDigits(party.vat)) {
            fields.fail("vat", "\"" + party.vat + "\" is not a Greek VAT number (9 digits)");
        }
    } else if (party.vat.empty() || party.vat.size() > maxVatLength) {
        fields.fail("vat", "must be 1 to " + std::to_string(maxVatLength) + " characters");
    }
    party.branch = fields.isNull("branch") ? 0 : intInRange(fields, "branch", 0, INT32_MAX);
    party.name = optionalText(fields, "name");
    return party;
}

// The maximum length of a line's description (myDATA and the provider take up to 300).
constexpr std::size_t maxDescriptionLength = 300;
constexpr int quantityDecimals = 3;

// A quantity as thousandths: "2" → 2000, "0.375" → 375. Positive, at most 3 decimals and 9
// integer digits.
std::int64_t quantityThousandths(const JsonFields& fields, std::string_view key,
                                 const std::string& text) {
    const auto point = text.find('.');
    const std::string whole = text.substr(0, point);
    const std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
    if (whole.empty() || !allDigits(whole) || whole.size() > 9 ||
        (point != std::string::npos && (fraction.empty() || !allDigits(fraction))) ||
        fraction.size() > quantityDecimals) {
        fields.fail(key, "\"" + text +
                             "\" is not a quantity (a decimal string such as \"2\" or "
                             "\"0.375\", at most 3 decimals)");
    }
    std::int64_t thousandths = std::stoll(whole) * 1000;
    if (!fraction.empty()) {
        thousandths += std::stoll(fraction + std::string(quantityDecimals - fraction.size(), '0'));
    }
    if (thousandths <= 0) {
        fields.fail(key, "must be above 0");
    }
    return thousandths;
}

void parseQuantity(const JsonFields& fields, InvoiceLine& line) {
    const bool hasQuantity = !fields.isNull("quantity");
    const bool hasPrice = !fields.isNull("unit_price");
    if (hasQuantity != hasPrice) {
        fields.fail(hasQuantity ? "unit_price" : "quantity",
                    "is required with " + std::string(hasQuantity ? "quantity" : "unit_price") +
                        " (the provider prints both and checks net against them)");
    }
    if (!hasQuantity) {
        return;
    }
    line.quantity = requireText(fields, "quantity");
    const std::int64_t thousandths = quantityThousandths(fields, "quantity", *line.quantity);
    line.unitPrice = amount(fields, "unit_price");
    const Money expected =
        Money::timesThousandths(*line.unitPrice, thousandths, fields.fieldName("unit_price"));
    if (expected != line.net) {
        fields.fail("net", line.net.toString() + " is not quantity × unit_price (" +
                               *line.quantity + " × " + line.unitPrice->toString() + " = " +
                               expected.toString() + ")");
    }
}

InvoiceLine parseLine(const JsonFields& fields) {
    InvoiceLine line;
    line.net = amount(fields, "net");
    line.description = optionalText(fields, "description");
    if (line.description && characterCount(*line.description) > maxDescriptionLength) {
        fields.fail("description",
                    "longer than " + std::to_string(maxDescriptionLength) + " characters");
    }
    parseQuantity(fields, line);
    line.vatCategory = intInRange(fields, "vat_category", minVatCategory, maxVatCategory);
    line.vat = amount(fields, "vat");
    const JsonFields income = fields.requireObject("income");
    line.income.type = optionalText(income, "type");
    if (line.income.type && line.income.type->empty()) {
        income.fail("type", "must not be empty (leave it out instead)");
    }
    line.income.category = requireText(income, "category");
    if (line.income.category.empty()) {
        income.fail("category", "must not be empty");
    }
    return line;
}

InvoiceTotals parseTotals(const JsonFields& fields) {
    InvoiceTotals totals;
    totals.net = amount(fields, "net");
    totals.vat = amount(fields, "vat");
    totals.gross = amount(fields, "gross");
    totals.withheld = optionalAmount(fields, "withheld");
    totals.fees = optionalAmount(fields, "fees");
    totals.stamp = optionalAmount(fields, "stamp");
    totals.other = optionalAmount(fields, "other");
    totals.deductions = optionalAmount(fields, "deductions");
    return totals;
}

void checkTotals(const JsonFields& totalsFields, const InvoiceTotals& totals,
                 const std::vector<InvoiceLine>& lines) {
    Money lineNet;
    Money lineVat;
    for (const InvoiceLine& line : lines) {
        lineNet = Money::add(lineNet, line.net, totalsFields.fieldName("net"));
        lineVat = Money::add(lineVat, line.vat, totalsFields.fieldName("vat"));
    }
    if (totals.net != lineNet) {
        totalsFields.fail("net", totals.net.toString() + " is not the sum of the lines' net (" +
                                     lineNet.toString() + ")");
    }
    if (totals.vat != lineVat) {
        totalsFields.fail("vat", totals.vat.toString() + " is not the sum of the lines' vat (" +
                                     lineVat.toString() + ")");
    }
    Money expected;
    const std::string gross = totalsFields.fieldName("gross");
    for (const Money part : {totals.net, totals.vat, totals.fees, totals.stamp, totals.other}) {
        expected = Money::add(expected, part, gross);
    }
    for (const Money part : {totals.withheld, totals.deductions}) {
        expected = Money::subtract(expected, part, gross);
    }
    if (totals.gross != expected) {
        totalsFields.fail("gross",
                          totals.gross.toString() + " is not net + vat - withheld + fees " +
                              "+ stamp + other - deductions (" + expected.toString() + ")");
    }
}

} // namespace

bool isInvoiceType(std::string_view type) {
    return std::find(std::begin(invoiceTypes), std::end(invoiceTypes), type) !=
           std::end(invoiceTypes);
}

bool isMark(std::string_view text) {
    return allDigits(text) && text.size() <= maxMarkDigits;
}

std::string Invoice::issueDate() const {
    return issuedAt.substr(0, 10);
}

core::InvoiceIdentity Invoice::identity() const {
    return core::InvoiceIdentity{issuer.vat, issueDate(), issuer.branch, type, series, aa};
}

std::string Invoice::uid(core::UidSeriesEncoding encoding) const {
    // The series is hashed in ISO-8859-7 by default: that is what myDATA computes today for a
    // Greek-letter series (a Latin or digit-only series gives the same bytes in either
    // encoding). UTF-8 is available for cross-checking a UID computed by a party that hashes
    // UTF-8; see mydata.md §8.
    return core::invoiceUid(identity(), encoding);
}

Invoice parseInvoice(std::string_view jsonText) {
    const Json document = core::parseJson(jsonText, root, JsonOrigin::Input);
    const JsonFields fields(document, std::string(root), JsonOrigin::Input);

    Invoice invoice;
    invoice.issuer = parseParty(fields.requireObject("issuer"), true);
    if (!fields.isNull("counterpart")) {
        invoice.counterpart = parseParty(fields.requireObject("counterpart"), false);
    }
    invoice.series = boundedText(fields, "series");
    invoice.aa = boundedText(fields, "aa");
    invoice.type = requireText(fields, "type");
    if (!isInvoiceType(invoice.type)) {
        fields.fail("type", "\"" + invoice.type +
                                "\" is not a myDATA invoice type (e.g. \"11.1\" retail receipt, "
                                "\"11.4\" retail credit note, \"1.1\" sales invoice)");
    }
    invoice.issuedAt = requireText(fields, "issued_at");
    core::parseIso8601(invoice.issuedAt, fields.fieldName("issued_at"));
    invoice.currency = optionalText(fields, "currency").value_or("EUR");
    if (!capitals(invoice.currency, 3)) {
        fields.fail("currency", "\"" + invoice.currency + "\" is not a 3-letter currency code");
    }
    invoice.mark = fields.optionalScalarText("mark");
    if (invoice.mark && !isMark(*invoice.mark)) {
        fields.fail("mark", "\"" + *invoice.mark + "\" is not a myDATA MARK (digits only)");
    }
    if (const auto failure = fields.optionalInteger("transmission_failure")) {
        if (*failure < 1 || *failure > 4) {
            fields.fail("transmission_failure",
                        std::to_string(*failure) + " is not a myDATA transmissionFailure (1 to 4)");
        }
        invoice.transmissionFailure = static_cast<int>(*failure);
    }

    const JsonFields totalsFields = fields.requireObject("totals");
    invoice.totals = parseTotals(totalsFields);

    const Json& lines = fields.require("lines");
    if (!lines.is_array()) {
        fields.fail("lines", "expected an array of lines, got " + describe(lines));
    }
    if (lines.empty()) {
        fields.fail("lines", "at least one line is required");
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const JsonFields line(lines[i], fields.fieldName("lines") + "[" + std::to_string(i) + "]",
                              JsonOrigin::Input);
        invoice.lines.push_back(parseLine(line));
    }
    checkTotals(totalsFields, invoice.totals, invoice.lines);
    return invoice;
}

Invoice loadInvoiceFile(const std::filesystem::path& path) {
    return parseInvoice(core::readBoundedFile(path, std::string(root)));
}

} // namespace fiscpos::einvoice
