#include "tests/mellon/mellon_test_support.hpp"

#include "signing/input_text.hpp"
#include "tests/support/shared_dir.hpp"

namespace fiscpos::mellon::test {

signing::LocalSigner& mellonSigner() {
    const core::Clock& clock = core::systemClock();
    static signing::LocalSigner signer(
        signing::PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), "8", clock);
    return signer;
}

signing::ProviderSignature sign(core::Money payment, const std::string& tid,
                                const std::string& number, std::optional<std::string> mark) {
    signing::SignatureRequest request;
    request.nsp = signing::Nsp::WebEcr;
    request.mark = std::move(mark);
    request.issuerVat = "123456789";
    request.branch = 1;
    request.series = "W";
    request.number = number;
    request.issuedAt = core::athensIso8601(std::chrono::system_clock::now());
    request.invoiceType = "11.1";
    // A 24% VAT invoice whose gross total is the payment.
    const std::int64_t gross = payment.cents();
    const std::int64_t net = gross * 100 / 124;
    request.net = core::Money::fromCents(net);
    request.vat = core::Money::fromCents(gross - net);
    request.total = payment;
    request.payment = payment;
    request.duration = signing::SignatureDuration::Hours2;
    request.terminalId = tid;
    return mellonSigner().sign(request);
}

core::SignedPayment signedPayment(const signing::ProviderSignature& signature,
                                  const std::string& providerId) {
    return signature.toSignedPayment(providerId);
}

core::PaymentRequest saleRequest(const signing::ProviderSignature& signature,
                                 const std::string& reference) {
    core::PaymentRequest request;
    request.kind = core::PaymentKind::Sale;
    request.reference = reference;
    request.signature = signedPayment(signature);
    request.amount = request.signature.payable;
    return request;
}

WebEcrSettings settingsAt(const std::string& url) {
    WebEcrSettings settings;
    settings.section = "terminal.A3";
    settings.url = url;
    settings.username = "sim-user";
    settings.password = "sim-password";
    settings.apiKey = "c2ltLXdlYmVjci1rZXktMQ";
    settings.posId = "358046";
    settings.tid = "99000031";
    settings.providerId = "8";
    settings.http.connectTimeout = std::chrono::milliseconds(2000);
    settings.http.readTimeout = std::chrono::milliseconds(5000);
    settings.waitSeconds = 0; // the asynchronous mode; the long-wait tests set their own
    return settings;
}

} // namespace fiscpos::mellon::test
