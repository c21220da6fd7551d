// Issuing an invoice through the provider, against the simulated provider over real HTTP on
// loopback: the invoice gets its MARK and receipt link, a queued one gets its MARK later, a card
// paid later is added to the issued invoice, the provider's refusals name the field, and however
// the answer is lost or the call repeated, the provider issues the invoice once.
#include "core/clock.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/provider_invoice.hpp"
#include "signing/provider_error.hpp"
#include "signing/provider_invoices.hpp"
#include "tests/support/sim_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using core::Json;
using fiscpos::test::providerError;
using fiscpos::test::sampleRequest;
using fiscpos::test::SimFixture;

namespace {

// The invoice sampleRequest(nsp, number) signs for: 10.00 + 2.40, issued now, series R.
einvoice::Invoice sampleInvoice(const std::string& number, const std::string& issuedAt,
                                const std::string& gross = "12.40") {
    return einvoice::parseInvoice(
        R"({"issuer": {"vat": "123456789", "branch": 1, "country": "GR"}, "series": "R", "aa": ")" +
        number + R"(", "type": "11.1", "issued_at": ")" + issuedAt + R"(",
            "totals": {"net": "10.00", "vat": "2.40", "gross": ")" +
        gross + R"("},
            "lines": [{"description": "Καφές", "quantity": "4", "unit_price": "2.50", "net": "10.00",
                       "vat_category": 1, "vat": "2.40",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})");
}

einvoice::PaymentLine card(const signing::ProviderSignature& signature) {
    einvoice::CardPayment payment;
    payment.amount = signature.paymentAmount;
    payment.transactionId = "075121702285176315144";
    payment.tid = signature.terminalId;
    payment.signingAuthor = signature.providerId;
    payment.signature = signature.signatureBase64;
    return einvoice::cardPaymentLine(payment);
}

signing::ProviderInvoices invoicesClient(const SimFixture& sim) {
    signing::ProviderClientOptions options;
    options.baseUrl = sim.providerUrl();
    options.token = "sim-token";
    options.http.connectTimeout = std::chrono::milliseconds(2000);
    options.http.readTimeout = std::chrono::milliseconds(5000);
    return signing::ProviderInvoices(options);
}

// A signed card payment and the body of its invoice, number `number`.
struct Paid {
    signing::ProviderSignature signature;
    einvoice::Invoice invoice;
    Json body;
};

Paid paid(SimFixture& sim, const std::string& number) {
    const auto request = sampleRequest(signing::Nsp::WebEcr, number);
    Paid out{sim.client().sign(request), sampleInvoice(number, request.issuedAt), nullptr};
    out.body = einvoice::providerInvoiceBody(out.invoice, {card(out.signature)});
    return out;
}

std::int64_t simCount(SimFixture& sim, const std::string& name) {
    return sim.stats()["provider"][name].get<std::int64_t>();
}

void faultOnIssue(SimFixture& sim, Json rule) {
    rule["method"] = "POST";
    rule["path"] = "/provider/v2/invoices";
    sim.addFault(rule);
}

} // namespace

BOOST_AUTO_TEST_SUITE(provider_invoices)

BOOST_AUTO_TEST_CASE(an_invoice_paid_by_card_is_issued_with_its_mark_and_receipt_link) {
    SimFixture sim;
    const Paid sale = paid(sim, "9");
    // What travels: the signature's signed text and the transaction id, no terminal id.
    const Json& payment = sale.body["payment_methods"][0];
    BOOST_TEST(payment["signature"].get<std::string>() == sale.signature.signatureBase64);
    BOOST_TEST(!payment.contains("tid"));
    BOOST_TEST(core::dumpJson(sale.body["lines"][0]["quantity"]) == "4");

    auto invoices = invoicesClient(sim);
    const auto issued = invoices.issue(sale.body, sale.invoice.uid(), false);
    BOOST_TEST(issued.uid == sale.invoice.uid());
    BOOST_TEST_REQUIRE(issued.mark.has_value());
    BOOST_TEST(!issued.queued());
    BOOST_TEST(issued.authenticationCode.has_value());
    BOOST_TEST(issued.url.starts_with("https://"));
    BOOST_TEST(simCount(sim, "invoices_issued") == 1);
    BOOST_TEST(invoices.read(*issued.mark).id == issued.id); // by MARK as by id
}

BOOST_AUTO_TEST_CASE(issuing_again_returns_the_same_invoice_and_issues_nothing_more) {
    SimFixture sim;
    const Paid sale = paid(sim, "10");
    auto invoices = invoicesClient(sim);
    const auto first = invoices.issue(sale.body, sale.invoice.uid(), false);
    const auto posts = sim.providerRequests("POST");

    // A rerun that knows a request may have left: asks by UID, sends nothing.
    const auto rerun = invoices.issue(sale.body, sale.invoice.uid(), true);
    BOOST_TEST(rerun.id == first.id);
    BOOST_TEST(sim.providerRequests("POST") == posts);
    // One that does not know: the provider's "already submitted" is answered by the record.
    const auto again = invoices.issue(sale.body, sale.invoice.uid(), false);
    BOOST_TEST(again.id == first.id);
    BOOST_TEST(*again.mark == *first.mark);
    BOOST_TEST(simCount(sim, "invoice_duplicates") == 1);
    BOOST_TEST(simCount(sim, "invoices_issued") == 1);
}

BOOST_AUTO_TEST_CASE(an_answer_lost_after_the_provider_issued_is_found_by_uid) {
    SimFixture sim;
    const Paid sale = paid(sim, "11");
    faultOnIssue(sim, {{"kind", "drop_after"}});
    auto invoices = invoicesClient(sim);
    const auto posts = sim.providerRequests("POST");
    const auto issued = invoices.issue(sale.body, sale.invoice.uid(), false);
    BOOST_TEST(issued.mark.has_value());
    BOOST_TEST(simCount(sim, "invoices_issued") == 1);
    BOOST_TEST(sim.providerRequests("POST") == posts + 1); // never sent twice
}

BOOST_AUTO_TEST_CASE(a_503_before_the_provider_acted_is_sent_again_once) {
    SimFixture sim;
    const Paid sale = paid(sim, "12");
    faultOnIssue(sim, {{"kind", "status"}, {"status", 503}});
    auto invoices = invoicesClient(sim);
    const auto posts = sim.providerRequests("POST");
    const auto issued = invoices.issue(sale.body, sale.invoice.uid(), false);
    BOOST_TEST(issued.mark.has_value());
    BOOST_TEST(simCount(sim, "invoices_issued") == 1);
    BOOST_TEST(sim.providerRequests("POST") == posts + 2);
}

BOOST_AUTO_TEST_CASE(a_queued_invoice_has_its_link_now_and_its_mark_later) {
    SimFixture sim;
    const Paid sale = paid(sim, "13");
    sim.control("POST", "/provider/_control/mydata", Json{{"down", true}});
    auto invoices = invoicesClient(sim);
    const auto queued = invoices.issue(sale.body, sale.invoice.uid(), false);
    BOOST_TEST(queued.queued());
    BOOST_TEST(!queued.url.empty());
    BOOST_TEST(queued.transmissionFailure.value_or(0) == 2);
    BOOST_TEST(invoices.read(queued.id).queued());

    sim.control("POST", "/provider/_control/mydata", Json{{"down", false}});
    const auto sent = invoices.read(queued.id);
    BOOST_TEST(sent.mark.has_value());
    BOOST_TEST(sent.url == queued.url);
    BOOST_TEST(simCount(sim, "invoices_queued") == 1);
}

BOOST_AUTO_TEST_CASE(the_providers_refusals_name_the_field) {
    SimFixture sim;
    auto invoices = invoicesClient(sim);

    // Issued yesterday: the provider takes today's invoices only.
    const auto request = sampleRequest(signing::Nsp::WebEcr, "14");
    const auto signature = sim.client().sign(request);
    const auto yesterday =
        core::athensIso8601(std::chrono::system_clock::now() - std::chrono::hours(48));
    const auto old = sampleInvoice("14", yesterday);
    auto error = providerError([&] {
        invoices.issue(einvoice::providerInvoiceBody(old, {card(signature)}), old.uid(), false);
    });
    BOOST_TEST(error.status() == 422);
    BOOST_TEST(error.fieldErrors().count("header.issued_at") == 1U);

    // A signature made for another invoice.
    const Paid other = paid(sim, "15");
    const auto mine = sampleInvoice("16", request.issuedAt);
    error = providerError([&] {
        invoices.issue(einvoice::providerInvoiceBody(mine, {card(other.signature)}), mine.uid(),
                       false);
    });
    BOOST_TEST(error.fieldErrors().count("payment_methods.0.signature") == 1U);

    // A signature used already.
    invoices.issue(other.body, other.invoice.uid(), false);
    const auto reused = sampleInvoice("17", request.issuedAt);
    error = providerError([&] {
        invoices.issue(einvoice::providerInvoiceBody(reused, {card(other.signature)}), reused.uid(),
                       false);
    });
    BOOST_TEST(error.fieldErrors().at("payment_methods.0.signature").front() ==
               "Some signatures have already been used.");
    BOOST_TEST(simCount(sim, "invoices_issued") == 1);
}

BOOST_AUTO_TEST_CASE(a_card_paid_later_is_added_to_the_issued_invoice_once) {
    SimFixture sim;
    auto invoices = invoicesClient(sim);
    // Issued on credit, no card yet.
    const auto request = sampleRequest(signing::Nsp::WebEcr, "18");
    const auto invoice = sampleInvoice("18", request.issuedAt);
    const auto issued = invoices.issue(
        einvoice::providerInvoiceBody(
            invoice,
            {einvoice::simplePaymentLine(einvoice::payment_type::onCredit, invoice.totals.gross)}),
        invoice.uid(), false);
    BOOST_TEST_REQUIRE(issued.mark.has_value());

    // The card payment is signed with the invoice's MARK, then added.
    auto deferred = request;
    deferred.mark = issued.mark;
    const auto signature = sim.client().sign(deferred);
    const Json items = einvoice::providerPaymentItems({card(signature)});
    const auto added = invoices.addPayments(*issued.mark, items);
    BOOST_TEST(added.paymentMethodMark.has_value());
    BOOST_TEST(added.invoiceMark.value_or("") == *issued.mark);
    BOOST_TEST(added.totalUnpaid.value_or(core::Money::fromCents(-1)).cents() == 0);
    BOOST_TEST(invoices.companyVat() == "999999999");

    const auto again = providerError([&] { invoices.addPayments(*issued.mark, items); });
    BOOST_TEST(again.fieldErrors().count("payments.0.signature") == 1U);
    BOOST_TEST(simCount(sim, "invoice_payments_added") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
