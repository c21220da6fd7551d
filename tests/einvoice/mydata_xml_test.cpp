#include "einvoice/mydata_xml.hpp"

#include "core/errors.hpp"
#include "tests/einvoice/fixtures.hpp"
#include "tests/support/field_error.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using fiscpos::core::InputError;
using fiscpos::core::Money;
using fiscpos::einvoice::cardPaymentLine;
using fiscpos::einvoice::Invoice;
using fiscpos::einvoice::invoicesDoc;
using fiscpos::einvoice::MydataSchema;
using fiscpos::einvoice::PaymentLine;
using fiscpos::einvoice::paymentMethodsDoc;
using fiscpos::einvoice::simplePaymentLine;
using fiscpos::test::cardPayment;
using fiscpos::test::requireFieldError;
using fiscpos::test::saleInvoice;
namespace payment_type = fiscpos::einvoice::payment_type;

namespace {

void validatesAgainstBoth(const std::string& xml, MydataSchema schema) {
    try {
        fiscpos::test::validatorV2().validate(xml, schema);
        fiscpos::test::validatorV1().validate(xml, schema);
    } catch (const fiscpos::einvoice::XmlValidationError& e) {
        BOOST_FAIL(e.what() << "\n" << xml);
    }
}

// The text without whitespace between elements and with runs of whitespace inside a tag made one
// space, to compare documents regardless of indentation.
std::string compact(const std::string& xml) {
    std::string out;
    bool inTag = false;
    for (char c : xml) {
        const bool space = c == ' ' || c == '\n' || c == '\t';
        if (c == '<') {
            while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) {
                out.pop_back();
            }
            inTag = true;
        } else if (c == '>') {
            inTag = false;
        }
        if (space) {
            if (!out.empty() && (out.back() == (inTag ? ' ' : '>'))) {
                continue;
            }
            c = ' ';
        }
        out += c;
    }
    return out;
}

// True when each of `parts` occurs in `text`, in this order.
bool inOrder(const std::string& text, std::initializer_list<std::string> parts) {
    std::size_t from = 0;
    for (const std::string& part : parts) {
        const auto at = text.find(part, from);
        if (at == std::string::npos) {
            return false;
        }
        from = at + part.size();
    }
    return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(mydata_xml)

BOOST_AUTO_TEST_CASE(card_paid_receipt_is_the_contract_sample) {
    const std::string xml = invoicesDoc(saleInvoice(), {cardPaymentLine(cardPayment(124))});
    const std::string expected = R"(<?xml version="1.0" encoding="UTF-8"?>
<InvoicesDoc xmlns="http://www.aade.gr/myDATA/invoice/v1.0"
             xmlns:icls="https://www.aade.gr/myDATA/incomeClassificaton/v1.0">
  <invoice>
    <issuer><vatNumber>999999999</vatNumber><country>GR</country><branch>0</branch></issuer>
    <invoiceHeader>
      <series>A</series><aa>2</aa><issueDate>2024-05-10</issueDate>
      <invoiceType>11.1</invoiceType><currency>EUR</currency>
    </invoiceHeader>
    <paymentMethods>
      <paymentMethodDetails>
        <type>7</type>
        <amount>1.24</amount>
        <transactionId>075121702285176315144</transactionId>
        <tid>99000031</tid>
        <ProvidersSignature>
          <SigningAuthor>008</SigningAuthor>
          <Signature>MEUCIQCnUrakY9pemgdXIsYvbOahoBBadDa9DPaRS9ZtTTra8gIgIUp9LPaH/E+LRwTGJWeL+MZl5j5PtFcM+chiXTqeed4=</Signature>
        </ProvidersSignature>
      </paymentMethodDetails>
    </paymentMethods>
    <invoiceDetails>
      <lineNumber>1</lineNumber><netValue>1.00</netValue><vatCategory>1</vatCategory>
      <vatAmount>0.24</vatAmount>
      <incomeClassification>
        <icls:classificationType>E3_561_003</icls:classificationType>
        <icls:classificationCategory>category1_1</icls:classificationCategory>
        <icls:amount>1.00</icls:amount>
      </incomeClassification>
    </invoiceDetails>
    <invoiceSummary>
      <totalNetValue>1.00</totalNetValue><totalVatAmount>0.24</totalVatAmount>
      <totalWithheldAmount>0.00</totalWithheldAmount><totalFeesAmount>0.00</totalFeesAmount>
      <totalStampDutyAmount>0.00</totalStampDutyAmount>
      <totalOtherTaxesAmount>0.00</totalOtherTaxesAmount>
      <totalDeductionsAmount>0.00</totalDeductionsAmount><totalGrossValue>1.24</totalGrossValue>
      <incomeClassification>
        <icls:classificationType>E3_561_003</icls:classificationType>
        <icls:classificationCategory>category1_1</icls:classificationCategory>
        <icls:amount>1.00</icls:amount>
      </incomeClassification>
    </invoiceSummary>
  </invoice>
</InvoicesDoc>
)";
    BOOST_TEST(compact(xml) == compact(expected));
    BOOST_TEST(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InvoicesDoc"));
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(split_cash_and_card) {
    const std::vector<PaymentLine> payments = {
        simplePaymentLine(payment_type::cash, Money::fromCents(24)),
        cardPaymentLine(cardPayment(100))};
    const std::string xml = invoicesDoc(saleInvoice(), payments);
    BOOST_TEST(inOrder(compact(xml), {"<paymentMethodDetails><type>3</type><amount>0.24</amount>"
                                      "</paymentMethodDetails>",
                                      "<paymentMethodDetails><type>7</type><amount>1.00</amount>"
                                      "<transactionId>"}));
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(card_with_tip) {
    auto card = cardPayment(124);
    card.tip = Money::fromCents(50);
    const std::string xml = invoicesDoc(saleInvoice(), {cardPaymentLine(card)});
    BOOST_TEST(inOrder(xml, {"<amount>1.24</amount>", "<tipAmount>0.50</tipAmount>",
                             "<transactionId>075121702285176315144</transactionId>",
                             "<tid>99000031</tid>", "<ProvidersSignature>"}));
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(card_without_provider_signature) {
    auto card = cardPayment(124);
    card.signingAuthor.clear();
    card.signature.clear();
    card.tid.clear();
    const std::string xml = invoicesDoc(saleInvoice(), {cardPaymentLine(card)});
    BOOST_TEST(xml.find("ProvidersSignature") == std::string::npos);
    BOOST_TEST(xml.find("<tid>") == std::string::npos);
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

// An invoice issued after its card payment was taken without the provider (autonomous mode)
// says why: transmissionFailure, before the issuer, as the XSD orders it.
BOOST_AUTO_TEST_CASE(transmission_failure_comes_before_the_issuer) {
    Invoice invoice = saleInvoice();
    invoice.transmissionFailure = 1;
    const std::string xml = invoicesDoc(invoice, {cardPaymentLine(cardPayment(124))});
    BOOST_TEST(inOrder(xml, {"<transmissionFailure>1</transmissionFailure>", "<issuer>"}), xml);
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
    BOOST_TEST(invoicesDoc(saleInvoice(), {}).find("transmissionFailure") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(invoice_without_payments_has_no_payment_methods) {
    const std::string xml = invoicesDoc(saleInvoice(), {});
    BOOST_TEST(xml.find("paymentMethods") == std::string::npos);
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(credit_note_paid_back_by_card) {
    const Invoice credit =
        fiscpos::einvoice::loadInvoiceFile(fiscpos::test::sampleInvoice("credit-1.24.json"));
    const std::string xml = invoicesDoc(credit, {cardPaymentLine(cardPayment(124))});
    BOOST_TEST(xml.find("<invoiceType>11.4</invoiceType>") != std::string::npos);
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(counterpart_greek_series_and_escaping) {
    nlohmann::json document = nlohmann::json::parse(
        fiscpos::test::readText(fiscpos::test::sampleInvoice("sale-1.24.json")));
    document["series"] = "ΑΠΥ";
    document["type"] = "1.1";
    document["counterpart"] = {{"vat", "DE123456789"}, {"country", "DE"}, {"name", "A & B <Ltd>"}};
    document["lines"].push_back(
        {{"net", "2.00"},
         {"vat_category", 1},
         {"vat", "0.48"},
         {"income", {{"type", "E3_561_003"}, {"category", "category1_1"}}}});
    document["lines"].push_back(
        {{"net", "0.50"},
         {"vat_category", 2},
         {"vat", "0.07"},
         {"income", {{"type", "E3_561_001"}, {"category", "category1_2"}}}});
    document["totals"] = {{"net", "3.50"}, {"vat", "0.79"}, {"gross", "4.29"}};
    const Invoice invoice = fiscpos::einvoice::parseInvoice(document.dump());
    const std::string xml = invoicesDoc(invoice, {cardPaymentLine(cardPayment(429))});
    BOOST_TEST(xml.find("<series>ΑΠΥ</series>") != std::string::npos);
    BOOST_TEST(xml.find("<name>A &amp; B &lt;Ltd&gt;</name>") != std::string::npos);
    BOOST_TEST(inOrder(compact(xml), {"</issuer><counterpart><vatNumber>DE123456789</vatNumber>"
                                      "<country>DE</country><branch>0</branch>",
                                      "<lineNumber>3</lineNumber>"}));
    // The summary classifies per (type, category): 1.00 + 2.00 and 0.50.
    BOOST_TEST(inOrder(compact(xml),
                       {"<invoiceSummary>",
                        "<icls:classificationCategory>category1_1</icls:classificationCategory>"
                        "<icls:amount>3.00</icls:amount>",
                        "<icls:classificationCategory>category1_2</icls:classificationCategory>"
                        "<icls:amount>0.50</icls:amount>",
                        "</invoiceSummary>"}));
    validatesAgainstBoth(xml, MydataSchema::InvoicesDoc);
}

BOOST_AUTO_TEST_CASE(payment_amounts_must_add_up_to_the_total) {
    requireFieldError<InputError>(
        [] { invoicesDoc(saleInvoice(), {cardPaymentLine(cardPayment(100))}); }, "payments",
        "add up to 1.00, the invoice total is 1.24");
}

BOOST_AUTO_TEST_CASE(bad_payment_lines_name_their_field) {
    auto noTransaction = cardPaymentLine(cardPayment(124));
    noTransaction.transactionId.reset();
    requireFieldError<InputError>([&] { invoicesDoc(saleInvoice(), {noTransaction}); },
                                  "payments[0].transactionId", "required");

    auto noTid = cardPaymentLine(cardPayment(100));
    noTid.tid.reset();
    requireFieldError<InputError>(
        [&] {
            invoicesDoc(saleInvoice(),
                        {simplePaymentLine(payment_type::cash, Money::fromCents(24)), noTid});
        },
        "payments[1].tid", "provider signature");

    auto longAuthor = cardPayment(124);
    longAuthor.signingAuthor = std::string(21, '8');
    requireFieldError<InputError>(
        [&] { invoicesDoc(saleInvoice(), {cardPaymentLine(longAuthor)}); },
        "payments[0].signingAuthor", "1 to 20");

    requireFieldError<InputError>(
        [] { invoicesDoc(saleInvoice(), {simplePaymentLine(9, Money::fromCents(124))}); },
        "payments[0].type", "1..8");

    auto negativeTip = cardPayment(124);
    negativeTip.tip = Money::fromCents(-1);
    requireFieldError<InputError>(
        [&] { invoicesDoc(saleInvoice(), {cardPaymentLine(negativeTip)}); }, "payments[0].tip",
        "negative");
}

BOOST_AUTO_TEST_CASE(deferred_card_payment_document) {
    auto card = cardPayment(124);
    card.signature =
        "MEUCIFGcSZGGUTUXsHhq08mrdlWBRRUmAEpoT3u3ulHlGg7eAiEA/30uTF/DZj5qfz4DwoJf04Hajd+"
        "PkRmAu8ubXO7xs/E=";
    const std::string xml = paymentMethodsDoc("400013293980417", {cardPaymentLine(card)});
    BOOST_TEST(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PaymentMethodsDoc"));
    BOOST_TEST(xml.find("xmlns=\"https://www.aade.gr/myDATA/paymentMethod/v1.0\"") !=
               std::string::npos);
    BOOST_TEST(xml.find("xmlns:inv=\"http://www.aade.gr/myDATA/invoice/v1.0\"") !=
               std::string::npos);
    BOOST_TEST(inOrder(compact(xml),
                       {"<paymentMethods><invoiceMark>400013293980417</invoiceMark>"
                        "<paymentMethodDetails><inv:type>7</inv:type><inv:amount>1.24</inv:amount>"
                        "<inv:transactionId>075121702285176315144</inv:transactionId>"
                        "<inv:tid>99000031</inv:tid><inv:ProvidersSignature>"
                        "<inv:SigningAuthor>008</inv:SigningAuthor><inv:Signature>MEUCIFGc"}));
    validatesAgainstBoth(xml, MydataSchema::PaymentMethodsDoc);
}

BOOST_AUTO_TEST_CASE(deferred_split_payment_with_entity_vat) {
    const std::string xml =
        paymentMethodsDoc("400013293980417",
                          {simplePaymentLine(payment_type::cash, Money::fromCents(24)),
                           cardPaymentLine(cardPayment(100))},
                          std::string("999999999"));
    BOOST_TEST(inOrder(compact(xml), {"</invoiceMark><entityVatNumber>999999999</entityVatNumber>"
                                      "<paymentMethodDetails><inv:type>3</inv:type>"}));
    validatesAgainstBoth(xml, MydataSchema::PaymentMethodsDoc);
}

BOOST_AUTO_TEST_CASE(deferred_document_checks_mark_and_card_line) {
    requireFieldError<InputError>(
        [] { paymentMethodsDoc("4000-1", {cardPaymentLine(cardPayment(124))}); }, "invoiceMark",
        "MARK");
    requireFieldError<InputError>(
        [] { paymentMethodsDoc("400013293980417", {simplePaymentLine(3, Money::fromCents(124))}); },
        "payments", "type 7");
    requireFieldError<InputError>([] { paymentMethodsDoc("400013293980417", {}); }, "payments",
                                  "type 7");
}

BOOST_AUTO_TEST_CASE(payment_details_fragment) {
    const std::string fragment =
        fiscpos::einvoice::paymentMethodDetailsFragment(cardPaymentLine(cardPayment(124)));
    BOOST_TEST(fragment.starts_with(
        "<paymentMethodDetails xmlns=\"http://www.aade.gr/myDATA/invoice/v1.0\">"));
    BOOST_TEST(fragment.find("<?xml") == std::string::npos);
    BOOST_TEST(inOrder(fragment, {"<type>7</type>", "<amount>1.24</amount>", "<transactionId>",
                                  "<tid>", "<SigningAuthor>008</SigningAuthor>"}));
}

BOOST_AUTO_TEST_SUITE_END()
