// The check of the provider's Input against what is about to be charged (step 3 of the payment).
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/payment_signature.hpp"
#include "signing/local_signer.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using core::Money;

namespace {

std::string invoiceJson(const std::string& aa, const std::string& gross, const std::string& mark) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "A", "aa": ")" +
           aa + R"(", "type": "11.1", "issued_at": "2024-05-10T16:43:40+03:00", "mark": )" + mark +
           R"(, "totals": {"net": "1.00", "vat": "0.24", "gross": ")" + gross + R"("},
               "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

struct Fixture {
    core::ManualClock clock{
        core::toTimePoint(core::parseIso8601("2024-05-10T16:45:00+03:00", "t"))};
    signing::LocalSigner signer{signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999",
                                clock};
    einvoice::Invoice invoice = einvoice::parseInvoice(invoiceJson("2", "1.24", "null"));

    signing::SignatureRequest request(const einvoice::Invoice& of, Money payment,
                                      const std::string& tid,
                                      signing::Nsp nsp = signing::Nsp::WebEcr) {
        return plugin::signatureRequestFor(of, payment, tid, nsp,
                                           signing::SignatureDuration::Hours2);
    }
};

// The Input field the check names when the provider signed `signed_` but `expected` is charged.
std::string mismatchField(Fixture& f, const signing::SignatureRequest& signed_,
                          const einvoice::Invoice& invoice,
                          const signing::SignatureRequest& expected) {
    const auto signature = f.signer.sign(signed_);
    try {
        plugin::checkSignatureMatches(signature, invoice, expected);
    } catch (const core::ResponseError& e) {
        BOOST_TEST(std::string(e.what()).find("nothing was sent to the terminal") !=
                   std::string::npos);
        return e.field();
    }
    return "(matched)";
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(payment_signature, Fixture)

BOOST_AUTO_TEST_CASE(the_request_carries_the_invoice_and_the_payment) {
    const auto r = request(invoice, Money::fromCents(100), "99000031");
    BOOST_TEST(r.issuerVat == "999999999");
    BOOST_TEST(r.number == "2");
    BOOST_TEST(r.total.cents() == 124);
    BOOST_TEST(r.payment.cents() == 100);
    BOOST_TEST(!r.mark.has_value());
    BOOST_CHECK_THROW(request(invoice, Money::fromCents(125), "99000031"), core::InputError);
    BOOST_CHECK_THROW(request(invoice, Money::fromCents(0), "99000031"), core::InputError);
    BOOST_CHECK_THROW(request(invoice, Money::fromCents(124), ""), core::InputError);
}

BOOST_AUTO_TEST_CASE(a_matching_signature_passes_in_both_layouts) {
    for (auto nsp : {signing::Nsp::WebEcr, signing::Nsp::Viva}) {
        const auto r = request(invoice, Money::fromCents(124), "99000031", nsp);
        BOOST_TEST(mismatchField(*this, r, invoice, r) == "(matched)");
    }
}

BOOST_AUTO_TEST_CASE(every_difference_stops_the_payment_naming_the_field) {
    const auto expected = request(invoice, Money::fromCents(124), "99000031");
    BOOST_TEST(mismatchField(*this, request(invoice, Money::fromCents(100), "99000031"), invoice,
                             expected) == "input.payable");
    BOOST_TEST(mismatchField(*this, request(invoice, Money::fromCents(124), "99000032"), invoice,
                             expected) == "input.tid");
    BOOST_TEST(mismatchField(
                   *this, request(invoice, Money::fromCents(124), "99000031", signing::Nsp::Viva),
                   invoice, expected) == "input.layout");
    const auto otherInvoice = einvoice::parseInvoice(invoiceJson("3", "1.24", "null"));
    BOOST_TEST(mismatchField(*this, request(otherInvoice, Money::fromCents(124), "99000031"),
                             invoice, expected) == "input.uid");
    const auto transmitted =
        einvoice::parseInvoice(invoiceJson("2", "1.24", "\"400013293980417\""));
    BOOST_TEST(mismatchField(*this, request(transmitted, Money::fromCents(124), "99000031"),
                             invoice, expected) == "input.mark");
    auto moreVat = request(invoice, Money::fromCents(124), "99000031");
    moreVat.vat = Money::fromCents(25);
    moreVat.total = Money::fromCents(125);
    BOOST_TEST(mismatchField(*this, moreVat, invoice, expected) == "input.vat");
}

BOOST_AUTO_TEST_SUITE_END()
