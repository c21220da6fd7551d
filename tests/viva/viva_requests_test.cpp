// The bodies fiscpos sends to the Cloud Terminal API and the checks made before anything is sent:
// the sale with the provider's signature in the aade* fields, the referenced and unreferenced
// refunds, the completion, the merchantReference format, and the legacy order form.
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/legacy_client.hpp"
#include "viva/viva_requests.hpp"
#include "viva/viva_terminal.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::InputError;
using core::Json;
using core::Money;

namespace {

VivaSettings settings() {
    return settingsAt("https://demo.example");
}

core::PaymentRequest sale(std::int64_t cents = 1240) {
    return saleRequest(sign(Money::fromCents(cents), testTid, "1"), core::newUuid());
}

} // namespace

BOOST_AUTO_TEST_SUITE(viva_requests)

BOOST_AUTO_TEST_CASE(merchant_reference_carries_our_reference_and_reads_back) {
    const std::string reference = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    BOOST_TEST(merchantReferenceFor(reference) == "fiscpos:" + reference);
    BOOST_TEST(referenceFromMerchantReference("fiscpos:" + reference).value_or("") == reference);
    // Someone else's payment, or a reference that could not be ours.
    BOOST_TEST(!referenceFromMerchantReference(reference).has_value());
    BOOST_TEST(!referenceFromMerchantReference("ERP:A-2:" + reference).has_value());
    BOOST_TEST(!referenceFromMerchantReference("fiscpos:").has_value());
    BOOST_TEST(!referenceFromMerchantReference("fiscpos:a b").has_value());
    BOOST_TEST(!referenceFromMerchantReference("fiscpos:../x/y").has_value());
}

BOOST_AUTO_TEST_CASE(sale_body_has_every_field_with_the_signature_verbatim) {
    const core::PaymentRequest request = sale(1240);
    const TransactionRequest transaction = transactionRequestFor(request, settings());
    const Json body = saleBody(transaction, settings());
    BOOST_TEST(body["sessionId"] == request.reference);
    BOOST_TEST(body["terminalId"] == "16000010"); // a string, as the TID
    BOOST_TEST(body["cashRegisterId"] == "ERP-1");
    BOOST_TEST(body["amount"] == 1240);
    BOOST_TEST(body["currencyCode"] == "978");
    BOOST_TEST(body["merchantReference"] == "fiscpos:" + request.reference);
    BOOST_TEST(body["tipAmount"] == 0);
    BOOST_TEST(body["preauth"] == false);
    BOOST_TEST(body["maxInstalments"] == 0);
    BOOST_TEST(!body.contains("maxInstallments")); // Viva spells it with one l here
    BOOST_TEST(body["aadeProviderId"] == "999");
    BOOST_TEST(body["aadeProviderSignatureData"] == request.signature.input);
    BOOST_TEST(body["aadeProviderSignature"] == request.signature.signatureBase64);
    BOOST_TEST(!body.contains("customerTrns")); // nothing configured
    BOOST_TEST(!body.contains("parentSessionId"));
    BOOST_TEST(!body.contains("fiscalisationData")); // never beside the aade* fields
    // Viva's layout: the payable is the 4th field and the TID the 8th.
    const std::string input = request.signature.input;
    BOOST_TEST(input.substr(input.rfind(';') + 1) == "16000010");
}

BOOST_AUTO_TEST_CASE(sale_options_tip_instalments_preauth_and_customer_text) {
    VivaSettings configured = settings();
    configured.customerText = "Invoice A-2";
    core::PaymentRequest request = sale(5000);
    request.instalments = 6;
    request.tip = Money::fromCents(150);
    Json body = saleBody(transactionRequestFor(request, configured), configured);
    BOOST_TEST(body["maxInstalments"] == 6);
    BOOST_TEST(body["tipAmount"] == 150);
    BOOST_TEST(body["customerTrns"] == "Invoice A-2");

    request.tip = Money{};
    request.preauth = true;
    body = saleBody(transactionRequestFor(request, configured), configured);
    BOOST_TEST(body["preauth"] == true);

    // Viva takes no tip with a pre-authorisation.
    request.tip = Money::fromCents(100);
    requireFieldError<InputError>(
        [&] { saleBody(transactionRequestFor(request, configured), configured); }, "tip");
}

BOOST_AUTO_TEST_CASE(provider_id_from_settings_else_from_the_signature) {
    VivaSettings withoutId = settings();
    withoutId.providerId.clear();
    core::PaymentRequest request = sale();
    request.signature.providerId = "120";
    BOOST_TEST(saleBody(transactionRequestFor(request, withoutId), withoutId)["aadeProviderId"] ==
               "120");
    BOOST_TEST(saleBody(transactionRequestFor(request, settings()), settings())["aadeProviderId"] ==
               "999");
    request.signature.providerId.clear();
    requireFieldError<InputError>([&] { transactionRequestFor(request, withoutId); },
                                  "provider_id");
}

BOOST_AUTO_TEST_CASE(a_request_that_does_not_match_its_signature_is_refused) {
    // The amount is not the signed payable.
    core::PaymentRequest request = sale(1240);
    request.amount = Money::fromCents(1250);
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); }, "amount");

    // Signed for another terminal.
    request = saleRequest(sign(Money::fromCents(1240), "16000099", "2"), core::newUuid());
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); },
                                  "signature.tid");

    // An Input in Mellon's layout (Net;VAT;Total;Payable): the payable is not the 4th field.
    request = sale(1240);
    const std::string uid = request.signature.uid;
    request.signature.input = uid + ";;20240629194534;1000;240;1240;1240;16000010";
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); },
                                  "signature.input");

    // A sale without any signature.
    request = sale(1240);
    request.signature.input.clear();
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); },
                                  "signature.input");

    // A reference that cannot travel as a sessionId.
    request = sale(1240);
    request.reference = "a/b";
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); }, "reference");
}

BOOST_AUTO_TEST_CASE(referenced_refund_names_the_sale_and_carries_its_own_signature) {
    core::PaymentRequest request = sale(600);
    request.kind = core::PaymentKind::Refund;
    request.original = core::NetworkPaymentIds{"sale-session-1", "116430909552789552789",
                                               "6cbd4b6e-1a5b-4a0e-9c51-3d7c2e8f9a10"};
    const Json body = refundBody(transactionRequestFor(request, settings()), settings());
    BOOST_TEST(body["sessionId"] == request.reference);
    BOOST_TEST(body["parentSessionId"] == "sale-session-1");
    BOOST_TEST(body["amount"] == 600);
    BOOST_TEST(body["aadeProviderSignatureData"] == request.signature.input);
    BOOST_TEST(!body.contains("tipAmount"));
    BOOST_TEST(!body.contains("preauth"));

    // Without the sale's sessionId Viva cannot name it.
    request.original->intentId.clear();
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); },
                                  "original.intentId");
}

BOOST_AUTO_TEST_CASE(unreferenced_refund_has_no_parent_and_the_credit_notes_signature) {
    core::PaymentRequest request = sale(700);
    request.kind = core::PaymentKind::Refund;
    Json body = unreferencedRefundBody(transactionRequestFor(request, settings()), settings());
    BOOST_TEST(body["amount"] == 700);
    BOOST_TEST(body["sessionId"] == request.reference);
    BOOST_TEST(!body.contains("parentSessionId"));
    BOOST_TEST(!body.contains("isvDetails"));
    BOOST_TEST(body["aadeProviderSignatureData"] == request.signature.input);
    // Without a signature, none is sent.
    request.signature = core::SignedPayment{};
    body = unreferencedRefundBody(transactionRequestFor(request, settings()), settings());
    BOOST_TEST(!body.contains("aadeProviderId"));
    BOOST_TEST(!body.contains("aadeProviderSignatureData"));
    BOOST_TEST(!body.contains("aadeProviderSignature"));
}

BOOST_AUTO_TEST_CASE(preauth_completion_names_the_preauthorised_sale) {
    core::PaymentRequest request = sale(900);
    request.kind = core::PaymentKind::PreauthCompletion;
    request.original = core::NetworkPaymentIds{"preauth-session", "", ""};
    const Json body = preauthCompletionBody(transactionRequestFor(request, settings()), settings());
    BOOST_TEST(body["parentSessionId"] == "preauth-session");
    BOOST_TEST(body["amount"] == 900);

    request.original.reset();
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); }, "original");
    // Only a sale carries a tip or instalments.
    request.original = core::NetworkPaymentIds{"preauth-session", "", ""};
    request.instalments = 3;
    requireFieldError<InputError>([&] { transactionRequestFor(request, settings()); },
                                  "instalments");
}

BOOST_AUTO_TEST_CASE(terminal_id_defaults_to_the_tid) {
    VivaSettings configured = settings();
    configured.terminalId = "16000777";
    const core::PaymentRequest request = sale();
    BOOST_TEST(saleBody(transactionRequestFor(request, configured), configured)["terminalId"] ==
               "16000777");
}

BOOST_AUTO_TEST_CASE(legacy_order_form_in_cents_with_our_merchant_trns) {
    OrderRequest order;
    order.amount = Money::fromCents(1240);
    order.sourceCode = "1234";
    order.merchantTrns = merchantReferenceFor("abc-1");
    order.customerTrns = "Invoice A/2 & more";
    order.paymentTimeout = std::chrono::seconds(180);
    order.maxInstallments = 3;
    BOOST_TEST(orderForm(order) ==
               "Amount=1240&SourceCode=1234&MerchantTrns=fiscpos%3Aabc-1&PaymentTimeOut=180&"
               "CustomerTrns=Invoice%20A%2F2%20%26%20more&MaxInstallments=3");
}

BOOST_AUTO_TEST_SUITE_END()
