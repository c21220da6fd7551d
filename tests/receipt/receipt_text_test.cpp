// What the customer reads: Greek by default, English on request; amounts as the reader writes them;
// the link byte for byte; the MARK when known and a word on a queued invoice otherwise.
#include "receipt/receipt_text.hpp"

#include "core/errors.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::Money;
using namespace fiscpos::receipt;

namespace {

ReceiptFacts facts() {
    ReceiptFacts made;
    made.issuer = "ΚΑΦΕ ΑΛΦΑ";
    made.issuerVat = "999999999";
    made.series = "R";
    made.aa = "9";
    made.documentType = "11.1";
    made.date = "2026-12-04";
    made.amount = Money::fromCents(1240);
    made.url = "https://iview.gr/i/01J8Z3K9Q2";
    made.mark = "400013293980417";
    made.uid = "09B81CAD0E948A00F98CF59418CFC164E6C6636A";
    return made;
}

} // namespace

BOOST_AUTO_TEST_SUITE(receipt_text)

BOOST_AUTO_TEST_CASE(amounts_read_as_a_greek_or_english_reader_writes_them) {
    BOOST_TEST(displayAmount(Money::fromCents(1240), "EUR", ReceiptLanguage::Greek) == "12,40 €");
    BOOST_TEST(displayAmount(Money::fromCents(123456789), "EUR", ReceiptLanguage::Greek) ==
               "1.234.567,89 €");
    BOOST_TEST(displayAmount(Money::fromCents(-5), "EUR", ReceiptLanguage::Greek) == "-0,05 €");
    BOOST_TEST(displayAmount(Money::fromCents(100000), "USD", ReceiptLanguage::Greek) ==
               "1.000,00 USD");
    BOOST_TEST(displayAmount(Money::fromCents(123456), "EUR", ReceiptLanguage::English) ==
               "EUR 1,234.56");
}

BOOST_AUTO_TEST_CASE(greek_message_names_issuer_document_amount_mark_and_link) {
    const ReceiptText text = receiptText(facts(), ReceiptLanguage::Greek);
    BOOST_TEST(text.subject == "Απόδειξη R-9 · ΚΑΦΕ ΑΛΦΑ · 12,40 €");
    BOOST_TEST(text.plain == "ΚΑΦΕ ΑΛΦΑ (ΑΦΜ 999999999)\n"
                             "Απόδειξη R-9, 04/12/2026\n"
                             "Πληρωμή με κάρτα: 12,40 €\n"
                             "ΜΑΡΚ: 400013293980417\n"
                             "Το παραστατικό σας: https://iview.gr/i/01J8Z3K9Q2\n"
                             "\n"
                             "UID: 09B81CAD0E948A00F98CF59418CFC164E6C6636A\n");
    BOOST_TEST(text.sms == "ΚΑΦΕ ΑΛΦΑ: απόδειξη R-9, 12,40 € με κάρτα, ΜΑΡΚ 400013293980417: "
                           "https://iview.gr/i/01J8Z3K9Q2");
}

BOOST_AUTO_TEST_CASE(english_on_request_and_a_queued_invoice_says_so) {
    auto queued = facts();
    queued.mark.reset();
    queued.issuer.clear(); // the invoice names no trade name: the VAT number stands in
    const ReceiptText text = receiptText(queued, ReceiptLanguage::English);
    BOOST_TEST(text.subject == "Receipt R-9 · VAT 999999999 · EUR 12.40");
    BOOST_TEST(text.plain.find("MARK:") == std::string::npos);
    BOOST_TEST(text.plain.find("will transmit it to myDATA") != std::string::npos);
    BOOST_TEST(text.sms == "VAT 999999999: receipt R-9, EUR 12.40 by card: "
                           "https://iview.gr/i/01J8Z3K9Q2");
}

BOOST_AUTO_TEST_CASE(html_escapes_and_shows_the_qr_image) {
    auto odd = facts();
    odd.issuer = "A&B <Café>";
    odd.url = "https://iview.gr/i/1?a=1&b=2";
    const std::string html = receiptHtml(odd, ReceiptLanguage::Greek, "cid:qr-1@shop.gr");
    BOOST_TEST(html.find("A&amp;B &lt;Café&gt;") != std::string::npos);
    BOOST_TEST(html.find("href=\"https://iview.gr/i/1?a=1&amp;b=2\"") != std::string::npos);
    BOOST_TEST(html.find("<img src=\"cid:qr-1@shop.gr\"") != std::string::npos);
    BOOST_TEST(html.find("<A&B") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_link_that_is_no_absolute_url_is_refused_naming_the_field) {
    for (const std::string url :
         {"mydata.example/r/1", "https://a.gr/r 1", "", "ftp://a.gr/r", "https://"}) {
        auto bad = facts();
        bad.url = url;
        try {
            receiptText(bad, ReceiptLanguage::Greek);
            BOOST_FAIL("accepted " << url);
        } catch (const fiscpos::core::InputError& e) {
            BOOST_TEST(e.field() == "receipt.url");
        }
    }
    BOOST_CHECK_THROW(receiptLanguage("de", "--lang"), fiscpos::core::InputError);
}

BOOST_AUTO_TEST_SUITE_END()
