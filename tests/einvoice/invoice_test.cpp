#include "einvoice/invoice.hpp"

#include "core/errors.hpp"
#include "tests/einvoice/fixtures.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using fiscpos::core::InputError;
using fiscpos::core::Money;
using fiscpos::einvoice::Invoice;
using fiscpos::einvoice::parseInvoice;
using nlohmann::json;

namespace {

json saleJson() {
    return json::parse(fiscpos::test::readText(fiscpos::test::sampleInvoice("sale-1.24.json")));
}

// Parsing `text` must fail with an InputError naming `field` whose message contains `reason`.
void expectRejected(const std::string& text, const std::string& field, const std::string& reason) {
    try {
        parseInvoice(text);
        BOOST_FAIL("accepted an invoice with a bad " + field);
    } catch (const InputError& e) {
        BOOST_TEST(e.code() == "input");
        BOOST_TEST(e.field() == field);
        BOOST_TEST(std::string(e.what()).find(reason) != std::string::npos,
                   "message \"" << e.what() << "\" lacks \"" << reason << "\"");
    }
}

void expectRejected(const json& document, const std::string& field, const std::string& reason) {
    expectRejected(document.dump(), field, reason);
}

// The sample's text with one exact substring replaced.
std::string saleWith(const std::string& from, const std::string& to) {
    return fiscpos::test::replaced(
        fiscpos::test::readText(fiscpos::test::sampleInvoice("sale-1.24.json")), from, to);
}

} // namespace

BOOST_AUTO_TEST_SUITE(invoice_model)

BOOST_AUTO_TEST_CASE(sample_sale_parses_with_every_field) {
    const Invoice invoice = fiscpos::test::saleInvoice();
    BOOST_TEST(invoice.issuer.vat == "999999999");
    BOOST_TEST(invoice.issuer.branch == 0);
    BOOST_TEST(invoice.issuer.country == "GR");
    BOOST_TEST(!invoice.counterpart.has_value());
    BOOST_TEST(invoice.series == "A");
    BOOST_TEST(invoice.aa == "2");
    BOOST_TEST(invoice.type == "11.1");
    BOOST_TEST(invoice.issuedAt == "2024-05-10T16:43:40+03:00");
    BOOST_TEST(invoice.issueDate() == "2024-05-10");
    BOOST_TEST(invoice.currency == "EUR");
    BOOST_TEST(!invoice.mark.has_value());
    BOOST_TEST(invoice.totals.net.cents() == 100);
    BOOST_TEST(invoice.totals.vat.cents() == 24);
    BOOST_TEST(invoice.totals.gross.cents() == 124);
    BOOST_TEST(invoice.totals.withheld.cents() == 0);
    BOOST_TEST(invoice.totals.deductions.cents() == 0);
    BOOST_REQUIRE(invoice.lines.size() == 1U);
    BOOST_TEST(invoice.lines[0].net.cents() == 100);
    BOOST_TEST(invoice.lines[0].vatCategory == 1);
    BOOST_TEST(invoice.lines[0].vat.cents() == 24);
    BOOST_TEST(invoice.lines[0].income.type.value_or("") == "E3_561_003");
    BOOST_TEST(invoice.lines[0].income.category == "category1_1");
}

BOOST_AUTO_TEST_CASE(sample_credit_note_parses) {
    const Invoice credit =
        fiscpos::einvoice::loadInvoiceFile(fiscpos::test::sampleInvoice("credit-1.24.json"));
    BOOST_TEST(credit.type == "11.4");
    BOOST_TEST(credit.totals.gross.cents() == 124);
}

BOOST_AUTO_TEST_CASE(identity_uses_the_date_as_written) {
    json document = saleJson();
    document["issued_at"] = "2024-05-10T23:30:00-05:00"; // 2024-05-11 in Athens
    document["issuer"]["branch"] = 3;
    const auto identity = parseInvoice(document.dump()).identity();
    BOOST_TEST(identity.issuerVat == "999999999");
    BOOST_TEST(identity.issueDate == "2024-05-10");
    BOOST_TEST(identity.branch == 3);
    BOOST_TEST(identity.invoiceType == "11.1");
    BOOST_TEST(identity.series == "A");
    BOOST_TEST(identity.aa == "2");
}

BOOST_AUTO_TEST_CASE(optional_fields_are_read) {
    json document = saleJson();
    document["mark"] = 400013293980417;
    document["counterpart"] = {
        {"vat", "DE123456789"}, {"country", "DE"}, {"branch", 0}, {"name", "Kunde GmbH"}};
    document["totals"]["withheld"] = "0.10";
    document["totals"]["fees"] = "0.05";
    document["totals"]["gross"] = "1.19";
    const Invoice invoice = parseInvoice(document.dump());
    BOOST_TEST(invoice.mark.value_or("") == "400013293980417");
    BOOST_REQUIRE(invoice.counterpart.has_value());
    BOOST_TEST(invoice.counterpart->vat == "DE123456789");
    BOOST_TEST(invoice.counterpart->name.value_or("") == "Kunde GmbH");
    BOOST_TEST(invoice.totals.withheld.cents() == 10);
    BOOST_TEST(invoice.totals.fees.cents() == 5);

    document["mark"] = "400013293980418";
    document.erase("currency");
    const Invoice second = parseInvoice(document.dump());
    BOOST_TEST(second.mark.value_or("") == "400013293980418");
    BOOST_TEST(second.currency == "EUR");
}

BOOST_AUTO_TEST_CASE(several_lines_add_up) {
    json document = saleJson();
    document["lines"].push_back({{"net", "2.00"},
                                 {"vat_category", 2},
                                 {"vat", "0.26"},
                                 {"income", {{"category", "category1_2"}}}});
    document["totals"] = {{"net", "3.00"}, {"vat", "0.50"}, {"gross", "3.50"}};
    const Invoice invoice = parseInvoice(document.dump());
    BOOST_REQUIRE(invoice.lines.size() == 2U);
    BOOST_TEST(!invoice.lines[1].income.type.has_value());
}

BOOST_AUTO_TEST_CASE(json_number_amount_is_rejected) {
    expectRejected(saleWith("\"gross\": \"1.24\"", "\"gross\": 1.24"), "invoice.totals.gross",
                   "send amounts as decimal strings such as \"1.24\"");
    expectRejected(saleWith("\"net\": \"1.00\", \"vat_category\"", "\"net\": 1, \"vat_category\""),
                   "invoice.lines[0].net", "decimal strings");
}

BOOST_AUTO_TEST_CASE(quantity_and_unit_price_come_together_and_make_the_net) {
    json document = saleJson();
    document["lines"][0]["description"] = "Καφές φίλτρου";
    document["lines"][0]["quantity"] = "0.375";
    document["lines"][0]["unit_price"] = "2.65"; // 0.99375 → 0.99
    document["lines"][0]["net"] = "0.99";
    document["lines"][0]["vat"] = "0.24";
    document["totals"]["net"] = "0.99";
    document["totals"]["gross"] = "1.23";
    const Invoice invoice = parseInvoice(document.dump());
    BOOST_TEST(invoice.lines[0].quantity.value() == "0.375");
    BOOST_TEST(invoice.lines[0].unitPrice->cents() == 265);
    BOOST_TEST(invoice.lines[0].description.value() == "Καφές φίλτρου");

    document["lines"][0]["net"] = "1.00";
    document["totals"]["net"] = "1.00";
    document["totals"]["gross"] = "1.24";
    expectRejected(document, "invoice.lines[0].net", "is not quantity × unit_price");
    document["lines"][0].erase("unit_price");
    expectRejected(document, "invoice.lines[0].unit_price", "is required with quantity");
    for (const char* bad : {"0", "-1", "1.2345", "1e3", "", "1."}) {
        document["lines"][0]["quantity"] = bad;
        document["lines"][0]["unit_price"] = "1.00";
        expectRejected(document, "invoice.lines[0].quantity", "");
    }
}

BOOST_AUTO_TEST_CASE(three_decimals_are_rejected) {
    json document = saleJson();
    document["lines"][0]["vat"] = "0.240";
    expectRejected(document, "invoice.lines[0].vat", "more than two decimals");
}

BOOST_AUTO_TEST_CASE(negative_and_malformed_amounts_are_rejected) {
    json document = saleJson();
    document["totals"]["net"] = "-1.00";
    expectRejected(document, "invoice.totals.net", "negative");
    document = saleJson();
    document["totals"]["vat"] = "0,24";
    expectRejected(document, "invoice.totals.vat", "not an amount");
}

BOOST_AUTO_TEST_CASE(bad_vat_numbers_are_rejected) {
    json document = saleJson();
    document["issuer"]["vat"] = "99999999";
    expectRejected(document, "invoice.issuer.vat", "9 digits");
    document["issuer"]["vat"] = "EL999999999";
    expectRejected(document, "invoice.issuer.vat", "9 digits");
    document = saleJson();
    document["counterpart"] = {{"vat", "12345"}, {"country", "GR"}};
    expectRejected(document, "invoice.counterpart.vat", "9 digits");
}

BOOST_AUTO_TEST_CASE(country_must_be_two_capitals) {
    json document = saleJson();
    document["issuer"]["country"] = "Greece";
    expectRejected(document, "invoice.issuer.country", "2-letter");
    document["issuer"]["country"] = "gr";
    expectRejected(document, "invoice.issuer.country", "2-letter");
}

BOOST_AUTO_TEST_CASE(missing_or_empty_lines_are_rejected) {
    json document = saleJson();
    document.erase("lines");
    expectRejected(document, "invoice.lines", "required");
    document["lines"] = json::array();
    expectRejected(document, "invoice.lines", "at least one line");
    document["lines"] = json::object();
    expectRejected(document, "invoice.lines", "array");
}

BOOST_AUTO_TEST_CASE(totals_must_match_the_lines) {
    json document = saleJson();
    document["totals"]["net"] = "1.01";
    document["totals"]["gross"] = "1.25";
    expectRejected(document, "invoice.totals.net", "sum of the lines' net (1.00)");
    document = saleJson();
    document["totals"]["vat"] = "0.23";
    document["totals"]["gross"] = "1.23";
    expectRejected(document, "invoice.totals.vat", "sum of the lines' vat (0.24)");
    document = saleJson();
    document["totals"]["gross"] = "1.25";
    expectRejected(document, "invoice.totals.gross", "(1.24)");
    document = saleJson();
    document["totals"]["deductions"] = "0.04";
    expectRejected(document, "invoice.totals.gross", "(1.20)");
}

BOOST_AUTO_TEST_CASE(unknown_type_is_rejected) {
    json document = saleJson();
    document["type"] = "11.9";
    expectRejected(document, "invoice.type", "not a myDATA invoice type");
    document["type"] = "11.10";
    expectRejected(document, "invoice.type", "not a myDATA invoice type");
    document["type"] = 11.1;
    expectRejected(document, "invoice.type", "string");
}

BOOST_AUTO_TEST_CASE(issued_at_needs_an_offset) {
    json document = saleJson();
    document["issued_at"] = "2024-05-10T16:43:40";
    expectRejected(document, "invoice.issued_at", "offset");
    document["issued_at"] = "2024-05-10";
    expectRejected(document, "invoice.issued_at", "2024-05-10");
}

BOOST_AUTO_TEST_CASE(vat_category_is_1_to_10) {
    json document = saleJson();
    document["lines"][0]["vat_category"] = 11;
    expectRejected(document, "invoice.lines[0].vat_category", "1..10");
    document["lines"][0]["vat_category"] = 0;
    expectRejected(document, "invoice.lines[0].vat_category", "1..10");
    document["lines"][0]["vat_category"] = "1";
    expectRejected(document, "invoice.lines[0].vat_category", "integer");
}

BOOST_AUTO_TEST_CASE(header_texts_and_mark_are_checked) {
    json document = saleJson();
    document["series"] = "";
    expectRejected(document, "invoice.series", "empty");
    document = saleJson();
    document["aa"] = std::string(51, '1');
    expectRejected(document, "invoice.aa", "50 characters");
    document = saleJson();
    document["series"] = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"; // 48 letters
    BOOST_CHECK_NO_THROW(parseInvoice(document.dump()));
    document = saleJson();
    document["mark"] = "40001A";
    expectRejected(document, "invoice.mark", "MARK");
    document["mark"] = -5;
    expectRejected(document, "invoice.mark", "MARK");
    document = saleJson();
    document["currency"] = "euro";
    expectRejected(document, "invoice.currency", "currency");
    document = saleJson();
    document["transmission_failure"] = 5;
    expectRejected(document, "invoice.transmission_failure", "1 to 4");
    document["transmission_failure"] = "1";
    expectRejected(document, "invoice.transmission_failure", "");
    document["transmission_failure"] = 1;
    BOOST_TEST(parseInvoice(document.dump()).transmissionFailure.value_or(0) == 1);
}

BOOST_AUTO_TEST_CASE(missing_income_classification_is_rejected) {
    json document = saleJson();
    document["lines"][0].erase("income");
    expectRejected(document, "invoice.lines[0].income", "required");
    document = saleJson();
    document["lines"][0]["income"].erase("category");
    expectRejected(document, "invoice.lines[0].income.category", "required");
}

BOOST_AUTO_TEST_CASE(not_json_is_rejected) {
    expectRejected(std::string("{\"issuer\": "), "invoice", "not valid JSON");
    expectRejected(std::string("[]"), "invoice", "object");
}

BOOST_AUTO_TEST_CASE(missing_file_names_the_path) {
    const auto missing = fiscpos::test::freshTempDir("einvoice") / "nope.json";
    try {
        fiscpos::einvoice::loadInvoiceFile(missing);
        BOOST_FAIL("loaded a missing file");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice");
        BOOST_TEST(std::string(e.what()).find(missing.string()) != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("no such file") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(empty_file_is_rejected) {
    const auto path = fiscpos::test::freshTempDir("einvoice") / "empty.json";
    std::ofstream(path).close();
    BOOST_CHECK_THROW(fiscpos::einvoice::loadInvoiceFile(path), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
