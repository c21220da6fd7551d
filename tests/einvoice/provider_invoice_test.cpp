// The invoice in the provider's JSON shape: what the ERP gave, as exact numbers, with the card
// payment's transaction id and signed text; what the shape cannot carry is refused by name.
#include "einvoice/provider_invoice.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "tests/einvoice/fixtures.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using core::Json;

namespace {

einvoice::Invoice sale() {
    return einvoice::parseInvoice(test::readText(test::sampleInvoice("sale-1.24.json")));
}

einvoice::PaymentLine card(const std::string& amount) {
    einvoice::CardPayment payment;
    payment.amount = core::Money::parse(amount, "amount");
    payment.transactionId = "075121702285176315144";
    payment.tid = "99000031";
    payment.signingAuthor = "999";
    payment.signature = "MEUCIQ==";
    return einvoice::cardPaymentLine(payment);
}

} // namespace

BOOST_AUTO_TEST_SUITE(provider_invoice)

BOOST_AUTO_TEST_CASE(a_card_sale_in_the_providers_shape) {
    const Json body = einvoice::providerInvoiceBody(sale(), {card("1.24")});
    BOOST_TEST(body["issuer"]["vat_number"].get<std::string>() == "999999999");
    BOOST_TEST(body["header"]["invoice_type"].get<std::string>() == "11.1");
    const Json& payment = body["payment_methods"][0];
    BOOST_TEST(payment["type"].get<int>() == 7);
    BOOST_TEST(core::dumpJson(payment["amount"]) == "1.24");
    BOOST_TEST(payment["signature"].get<std::string>() == "MEUCIQ==");
    BOOST_TEST(payment["transaction_id"].get<std::string>() == "075121702285176315144");
    BOOST_TEST(!payment.contains("tid")); // the provider takes it from its signature record
    // A line without quantity goes as 1 × its net, exactly.
    const Json& line = body["lines"][0];
    BOOST_TEST(core::dumpJson(line["quantity"]) == "1");
    BOOST_TEST(core::dumpJson(line["unit_price"]) == "1.00");
    BOOST_TEST(core::dumpJson(body["summary"]["total_gross_amount"]) == "1.24");
    BOOST_TEST(body["summary"]["classifications"].size() == 1U);
    BOOST_TEST(!body.contains("counterpart")); // retail: left out, never null
}

// transmission_failure goes to the provider as given; 3 (an ERP's own transmission) never does.
BOOST_AUTO_TEST_CASE(transmission_failure_goes_to_the_provider_but_3) {
    auto late = sale();
    BOOST_TEST(
        !einvoice::providerInvoiceBody(late, {card("1.24")}).contains("transmission_failure"));
    late.transmissionFailure = 1;
    BOOST_TEST(einvoice::providerInvoiceBody(late, {card("1.24")})["transmission_failure"] == 1);
    late.transmissionFailure = 3;
    try {
        einvoice::providerInvoiceBody(late, {card("1.24")});
        BOOST_FAIL("transmission_failure 3 went to the provider");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "transmission_failure");
    }
}

BOOST_AUTO_TEST_CASE(what_the_shape_cannot_carry_is_refused_by_name) {
    try {
        einvoice::providerInvoiceBody(sale(), {card("1.00")});
        BOOST_FAIL("payments short of the total were accepted");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "payments");
    }
    auto withheld = sale();
    withheld.totals.withheld = core::Money::fromCents(10);
    try {
        einvoice::providerInvoiceBody(withheld, {});
        BOOST_FAIL("an invoice with withholding was accepted");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "invoice.totals.withheld");
    }
}

BOOST_AUTO_TEST_SUITE_END()
