// The invoice UID rows of mydata.md §8, computed through the invoice model.
#include "einvoice/invoice.hpp"

#include "core/errors.hpp"
#include "core/invoice_uid.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using fiscpos::core::UidSeriesEncoding;
using fiscpos::einvoice::Invoice;

namespace {

// The FAQ example: 999999999-2020-10-22-0-1.1-<series>-2.
Invoice faqInvoice(const std::string& series) {
    const nlohmann::json document = {
        {"issuer", {{"vat", "999999999"}, {"branch", 0}, {"country", "GR"}}},
        {"series", series},
        {"aa", "2"},
        {"type", "1.1"},
        {"issued_at", "2020-10-22T12:00:00+03:00"},
        {"totals", {{"net", "1.00"}, {"vat", "0.24"}, {"gross", "1.24"}}},
        {"lines",
         {{{"net", "1.00"},
           {"vat_category", 1},
           {"vat", "0.24"},
           {"income", {{"type", "E3_561_001"}, {"category", "category1_1"}}}}}}};
    return fiscpos::einvoice::parseInvoice(document.dump());
}

} // namespace

BOOST_AUTO_TEST_SUITE(invoice_uid_rows)

BOOST_AUTO_TEST_CASE(uid_text_is_the_faq_example) {
    BOOST_TEST(fiscpos::core::invoiceUidText(faqInvoice("A").identity()) ==
               "999999999-2020-10-22-0-1.1-A-2");
}

BOOST_AUTO_TEST_CASE(latin_series_is_the_same_in_both_encodings) {
    const Invoice invoice = faqInvoice("A");
    BOOST_TEST(invoice.uid() == "C242E229D54850E9CE6116220B23F1666188E297");
    BOOST_TEST(invoice.uid(UidSeriesEncoding::Utf8) == "C242E229D54850E9CE6116220B23F1666188E297");
}

BOOST_AUTO_TEST_CASE(greek_series_defaults_to_iso_8859_7) {
    const Invoice invoice = faqInvoice("\u0391"); // GREEK CAPITAL LETTER ALPHA
    BOOST_TEST(invoice.uid() == "51D64223A48783BFCF64CA199B95F13387971303");
    BOOST_TEST(invoice.uid(UidSeriesEncoding::Iso8859_7) ==
               "51D64223A48783BFCF64CA199B95F13387971303");
}

BOOST_AUTO_TEST_CASE(greek_series_in_utf8) {
    BOOST_TEST(faqInvoice("\u0391").uid(UidSeriesEncoding::Utf8) ==
               "B6135D5377B0AA2A92264AB56B334169D0B25089");
}

BOOST_AUTO_TEST_CASE(series_outside_iso_8859_7_fails_only_in_that_encoding) {
    const Invoice invoice = faqInvoice("\u0416"); // CYRILLIC CAPITAL LETTER ZHE
    BOOST_CHECK_THROW(invoice.uid(), fiscpos::core::InputError);
    BOOST_TEST(invoice.uid(UidSeriesEncoding::Utf8).size() == 40U);
}

BOOST_AUTO_TEST_SUITE_END()
