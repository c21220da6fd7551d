// What fiscpos sends to WebECR: ProviderData from the provider's signature, the txninit and
// txnvoid bodies, the checks made before anything is sent, settings, and query strings.
#include "core/errors.hpp"
#include "mellon/webecr_client.hpp"
#include "mellon/webecr_terminal.hpp"
#include "signing/ecdsa.hpp"
#include "signing/signature_text.hpp"
#include "tests/mellon/mellon_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::ConfigError;
using fiscpos::core::InputError;
using fiscpos::core::Json;
using fiscpos::core::Money;
using namespace fiscpos::mellon;
using namespace fiscpos::mellon::test;

namespace {

// The Input a terminal rebuilds from ProviderData, the intent's Amount and its own TID.
std::string terminalInput(const Json& data, std::int64_t amount, const std::string& tid) {
    const auto part = [&data](const char* key) {
        const Json& v = data.at(key);
        return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump();
    };
    return part("Uid") + ";" + part("Mark") + ";" + part("SignatureTimestamp") + ";" +
           part("NetAmount") + ";" + part("VatAmount") + ";" + part("TotalAmount") + ";" +
           std::to_string(amount) + ";" + tid;
}

} // namespace

BOOST_AUTO_TEST_SUITE(webecr_requests)

BOOST_AUTO_TEST_CASE(provider_data_carries_the_signed_parts) {
    const auto signature = sign(Money::fromCents(1240), "99000031", "1");
    const fiscpos::core::SignedPayment payment = signedPayment(signature);
    const Json data = providerData(payment, "8");

    BOOST_TEST(data["Uid"] == payment.uid);
    BOOST_TEST(data["Uid"].get<std::string>().size() == 40U);
    BOOST_TEST(data["Mark"].is_null());
    BOOST_TEST(data["SignatureTimestamp"] == payment.timestamp);
    BOOST_TEST(data["NetAmount"] == 1000);
    BOOST_TEST(data["VatAmount"] == 240);
    BOOST_TEST(data["TotalAmount"] == 1240);
    BOOST_TEST(data["ProviderId"].is_string());
    BOOST_TEST(data["ProviderId"] == "8");
    BOOST_TEST(data["Signature"] == signature.signatureBase64);
    BOOST_TEST(data.size() == 8U);

    // A terminal rebuilds the signed Input exactly, and the signature verifies over it.
    const std::string rebuilt = terminalInput(data, 1240, "99000031");
    BOOST_TEST(rebuilt == signature.input);
    const auto key = fiscpos::signing::PublicKey::fromPemFile(fiscpos::test::mellonPublicKey());
    BOOST_TEST(
        fiscpos::signing::verifySignature(key, rebuilt, data["Signature"].get<std::string>()));
    BOOST_TEST(!fiscpos::signing::verifySignature(key, terminalInput(data, 1241, "99000031"),
                                                  data["Signature"].get<std::string>()));
}

BOOST_AUTO_TEST_CASE(provider_data_mark_in_the_deferred_flow) {
    const auto signature = sign(Money::fromCents(500), "99000031", "2", "400013293980417");
    const Json data = providerData(signedPayment(signature), "8");
    BOOST_TEST(data["Mark"].is_number_integer());
    BOOST_TEST(data["Mark"].get<std::int64_t>() == 400013293980417);
    BOOST_TEST(terminalInput(data, 500, "99000031") == signature.input);
}

BOOST_AUTO_TEST_CASE(provider_data_errors_name_the_part) {
    const auto good = signedPayment(sign(Money::fromCents(100), "99000031", "3"));
    auto bad = good;
    bad.mark = "12a";
    requireFieldError<InputError>([&] { providerData(bad, "8"); }, "signature.mark");
    bad = good;
    bad.mark = "99999999999999999999";
    requireFieldError<InputError>([&] { providerData(bad, "8"); }, "signature.mark");
    bad = good;
    bad.uid = "ABC";
    requireFieldError<InputError>([&] { providerData(bad, "8"); }, "signature.uid");
    bad = good;
    bad.timestamp = "2024-05-10";
    requireFieldError<InputError>([&] { providerData(bad, "8"); }, "signature.timestamp");
    bad = good;
    bad.signatureBase64.clear();
    requireFieldError<InputError>([&] { providerData(bad, "8"); }, "signature.signatureBase64");
    requireFieldError<InputError>([&] { providerData(good, ""); }, "provider_id");
}

BOOST_AUTO_TEST_CASE(txninit_body_of_a_sale) {
    TxnInit sale;
    sale.amount = Money::fromCents(1240);
    sale.customerReference = "b7775c92-0be9-4005-9450-e45769e593e2";
    sale.customerEmail = "buyer@example.com";
    sale.providerData = Json{{"Uid", "X"}};
    const Json body = txnInitBody(sale, 978);
    BOOST_TEST(body["TxnType"] == 0);
    BOOST_TEST(body["Amount"] == 1240);
    BOOST_TEST(body["Amount"].is_number_integer());
    BOOST_TEST(body["TipAmount"] == 0);
    BOOST_TEST(body["CashbackAmount"] == 0);
    BOOST_TEST(body["CurrencyCode"] == 978);
    BOOST_TEST(body["Instalments"] == 0);
    BOOST_TEST(body["OnBehalfCollection"] == false);
    BOOST_TEST(body["CustomerReference"] == "b7775c92-0be9-4005-9450-e45769e593e2");
    BOOST_TEST(body["CustomerEmail"] == "buyer@example.com");
    BOOST_TEST(!body.contains("CustomerPhone"));
    BOOST_TEST(body["Timeout"] == 0);
    BOOST_TEST(body["PaymentType"] == 0);
    BOOST_TEST(body["ProviderData"]["Uid"] == "X");
    BOOST_TEST(!body.contains("InitialTransaction"));
}

BOOST_AUTO_TEST_CASE(txninit_body_of_a_refund) {
    TxnInit refund;
    refund.txnType = 1;
    refund.amount = Money::fromCents(500);
    refund.customerReference = "r";
    refund.initialTransaction = "8091750";
    Json body = txnInitBody(refund, 978);
    BOOST_TEST(body["TxnType"] == 1);
    BOOST_TEST(body["InitialTransaction"].is_number_integer());
    BOOST_TEST(body["InitialTransaction"] == 8091750);
    BOOST_TEST(!body.contains("ProviderData"));
    refund.initialTransaction = "075121702285176315144"; // a TransactionId stays a string
    body = txnInitBody(refund, 978);
    BOOST_TEST(body["InitialTransaction"] == "075121702285176315144");
}

BOOST_AUTO_TEST_CASE(txnvoid_body) {
    TxnVoid byIntent;
    byIntent.originalIdentifier = "1234567";
    byIntent.customerReference = "void-ref";
    Json body = txnVoidBody(byIntent);
    BOOST_TEST(body["OriginalIdentifier"] == "1234567");
    BOOST_TEST(body["OriginalIdentifier"].is_string());
    BOOST_TEST(body["OriginalIdentifierType"] == 1);
    BOOST_TEST(body["CustomerReference"] == "void-ref");
    BOOST_TEST(body["Timeout"] == 0);
    BOOST_TEST(!body.contains("ProviderData"));
    TxnVoid byTransaction;
    byTransaction.originalIdentifier = "075121702285176315144";
    byTransaction.by = TxnVoid::By::TransactionId;
    body = txnVoidBody(byTransaction);
    BOOST_TEST(body["OriginalIdentifierType"] == 2);
    BOOST_TEST(!body.contains("CustomerReference"));
}

BOOST_AUTO_TEST_CASE(payment_checks_before_anything_is_sent) {
    const WebEcrSettings settings = settingsAt("http://127.0.0.1:1/mellon");
    const auto signature = sign(Money::fromCents(1240), "99000031", "4");
    const fiscpos::core::PaymentRequest good = saleRequest(signature, "ref-1");
    BOOST_CHECK_NO_THROW(checkPaymentRequest(good, settings));

    auto request = good;
    request.amount = Money::fromCents(1239);
    requireFieldError<InputError>([&] { checkPaymentRequest(request, settings); }, "amount");
    request = good;
    request.signature.tid = "99000032";
    requireFieldError<InputError>([&] { checkPaymentRequest(request, settings); }, "signature.tid");
    request = good;
    request.reference = std::string(51, 'r');
    requireFieldError<InputError>([&] { checkPaymentRequest(request, settings); }, "reference");
    request = good;
    request.kind = fiscpos::core::PaymentKind::Refund;
    requireFieldError<InputError>([&] { checkPaymentRequest(request, settings); }, "original");
    request.original = fiscpos::core::NetworkPaymentIds{"1", "", ""};
    requireFieldError<InputError>([&] { checkPaymentRequest(request, settings); }, "original");
    request.original->networkTransactionRef = "8091750";
    BOOST_CHECK_NO_THROW(checkPaymentRequest(request, settings));

    // The terminal refuses such a request before it connects anywhere (nothing listens on
    // port 1, so a connection attempt would be a TransportError instead).
    WebEcrTerminal terminal(settings);
    request = good;
    request.amount = Money::fromCents(1);
    requireFieldError<InputError>([&] { terminal.start(request); }, "amount");
    request = good;
    request.signature.tid = "64999964";
    requireFieldError<InputError>([&] { terminal.start(request); }, "signature.tid");
}

BOOST_AUTO_TEST_CASE(settings_errors_name_the_setting) {
    const WebEcrSettings good = settingsAt("https://www.mreceipts.com");
    BOOST_CHECK_NO_THROW(good.validate());

    auto settings = good;
    settings.posId.clear();
    requireFieldError<ConfigError>([&] { settings.validate(); }, "terminal.A3.pos_id");
    BOOST_CHECK_NO_THROW(settings.validate(WebEcrSettings::Need::Paired));
    settings.posId = "64999964x";
    requireFieldError<ConfigError>([&] { settings.validate(WebEcrSettings::Need::Account); },
                                   "terminal.A3.pos_id");

    settings = good;
    settings.apiKey.clear();
    requireFieldError<ConfigError>([&] { settings.validate(WebEcrSettings::Need::Paired); },
                                   "terminal.A3.api_key");
    BOOST_CHECK_NO_THROW(settings.validate(WebEcrSettings::Need::Account));

    const auto expectBad = [&good](auto change, const std::string& setting) {
        WebEcrSettings s = good;
        change(s);
        requireFieldError<ConfigError>([&] { s.validate(); }, setting);
    };
    expectBad([](WebEcrSettings& s) { s.url.clear(); }, "terminal.A3.url");
    expectBad([](WebEcrSettings& s) { s.url = "ftp://x"; }, "terminal.A3.url");
    expectBad([](WebEcrSettings& s) { s.pathPrefix = "api"; }, "terminal.A3.path_prefix");
    expectBad([](WebEcrSettings& s) { s.pathPrefix = "/api/"; }, "terminal.A3.path_prefix");
    expectBad([](WebEcrSettings& s) { s.apiVersion = "v2/2"; }, "terminal.A3.api_version");
    expectBad([](WebEcrSettings& s) { s.username.clear(); }, "terminal.A3.username");
    expectBad([](WebEcrSettings& s) { s.password.clear(); }, "terminal.A3.password");
    expectBad([](WebEcrSettings& s) { s.tid = "9900;0031"; }, "terminal.A3.tid");
    expectBad([](WebEcrSettings& s) { s.tid.clear(); }, "terminal.A3.tid");
    expectBad([](WebEcrSettings& s) { s.providerId.clear(); }, "terminal.A3.provider_id");
    expectBad([](WebEcrSettings& s) { s.apiKey = "a key"; }, "terminal.A3.api_key");
    expectBad([](WebEcrSettings& s) { s.currencyCode = 0; }, "terminal.A3.currency");

    // An unversioned root (epay, fintechiq) is allowed.
    settings = good;
    settings.pathPrefix.clear();
    settings.apiVersion.clear();
    BOOST_CHECK_NO_THROW(settings.validate());

    // The client checks the account settings when it is made.
    settings = good;
    settings.username.clear();
    requireFieldError<ConfigError>([&] { WebEcrClient client(settings); }, "terminal.A3.username");
}

BOOST_AUTO_TEST_CASE(query_strings_and_page_links) {
    BOOST_TEST(queryString({{"CustomerReference", "a b&c"}}) == "CustomerReference=a%20b%26c");
    BOOST_TEST(queryString({{"TID", "99000031"}, {"Timestamp_min", "2024-07-01T15:19:48Z"}}) ==
               "TID=99000031&Timestamp_min=2024-07-01T15%3A19%3A48Z");
    BOOST_TEST(queryString({}).empty());

    // The next page is asked on our own path, with the query the server gave: the server may
    // know itself under another host or prefix.
    BOOST_TEST(nextTarget("/api/v2.2/terminal/",
                          "http://backend.internal/api/v2.2/terminal/?limit=2&offset=2") ==
               "/api/v2.2/terminal/?limit=2&offset=2");
    BOOST_TEST(nextTarget("/api/v2.2/transaction/", "/x/?TID=1&offset=20#frag") ==
               "/api/v2.2/transaction/?TID=1&offset=20");
}

BOOST_AUTO_TEST_SUITE_END()
