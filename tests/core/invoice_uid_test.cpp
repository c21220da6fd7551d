#include "core/errors.hpp"
#include "core/invoice_uid.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::core;

namespace {
// The example of AADE's FAQ: 999999999-2020-10-22-0-1.1-<series>-2.
InvoiceIdentity faqExample(std::string series) {
    return InvoiceIdentity{"999999999", "2020-10-22", 0, "1.1", std::move(series), "2"};
}
} // namespace

BOOST_AUTO_TEST_SUITE(invoice_uid)

BOOST_AUTO_TEST_CASE(latin_series) {
    BOOST_TEST(invoiceUidText(faqExample("A")) == "999999999-2020-10-22-0-1.1-A-2");
    BOOST_TEST(invoiceUid(faqExample("A")) == "C242E229D54850E9CE6116220B23F1666188E297");
    BOOST_TEST(invoiceUid(faqExample("A"), UidSeriesEncoding::Utf8) ==
               "C242E229D54850E9CE6116220B23F1666188E297");
}

BOOST_AUTO_TEST_CASE(greek_series_in_either_encoding) {
    const std::string greekAlpha = "\xCE\x91"; // U+0391
    BOOST_TEST(invoiceUid(faqExample(greekAlpha), UidSeriesEncoding::Iso8859_7) ==
               "51D64223A48783BFCF64CA199B95F13387971303");
    BOOST_TEST(invoiceUid(faqExample(greekAlpha), UidSeriesEncoding::Utf8) ==
               "B6135D5377B0AA2A92264AB56B334169D0B25089");
}

BOOST_AUTO_TEST_CASE(iso8859_7_conversion) {
    BOOST_TEST(utf8ToIso8859_7("\xCE\x91\xCE\xA9\xCF\x89", "s") == "\xC1\xD9\xF9");
    BOOST_CHECK_THROW(utf8ToIso8859_7("\xE2\x82\xAC", "series"), InputError); // euro sign
    BOOST_CHECK_THROW(utf8ToIso8859_7("\xCE", "series"), InputError);         // cut sequence
    BOOST_CHECK_THROW(invoiceUid(faqExample("\xD0\x96")), InputError);        // Cyrillic
}

BOOST_AUTO_TEST_SUITE_END()
