#include "tests/gptom/gptom_test_support.hpp"

#include "signing/local_signer.hpp"
#include "tests/support/shared_dir.hpp"

namespace fiscpos::gptom::test {

namespace {

signing::LocalSigner& provider() {
    const core::Clock& clock = core::systemClock();
    static signing::LocalSigner signer(
        signing::PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), "999", clock);
    return signer;
}

} // namespace

core::PaymentRequest signedSale(std::int64_t cents, const std::string& tid,
                                const std::string& number, const std::string& reference) {
    signing::SignatureRequest invoice;
    invoice.nsp = signing::Nsp::Viva;
    invoice.issuerVat = "094019245";
    invoice.branch = 0;
    invoice.series = "G";
    invoice.number = number;
    invoice.issuedAt = core::athensIso8601(std::chrono::system_clock::now());
    invoice.invoiceType = "11.1";
    // The whole invoice is paid by card: 24% VAT within the payment.
    const std::int64_t net = cents * 100 / 124;
    invoice.net = core::Money::fromCents(net);
    invoice.vat = core::Money::fromCents(cents - net);
    invoice.total = core::Money::fromCents(cents);
    invoice.payment = invoice.total;
    invoice.terminalId = tid;

    core::PaymentRequest request;
    request.reference = reference;
    request.signature = provider().sign(invoice).toSignedPayment("999");
    request.amount = request.signature.payable;
    return request;
}

GptomSettings simSettings(const std::string& url, const std::string& tid, bool master) {
    GptomSettings settings;
    settings.section = "terminal.G1";
    settings.url = url;
    settings.username = master ? "sim-master" : "sim-user";
    settings.password = master ? "sim-master-password" : "sim-password";
    settings.clientCredential = "Z3B0b20tc2ltOnNpbS1zZWNyZXQ=";
    settings.masterAccount = master;
    settings.tid = tid;
    settings.providerId = "999";
    settings.a1155Confirmed = true;
    settings.http.connectTimeout = std::chrono::milliseconds(2000);
    settings.http.readTimeout = std::chrono::milliseconds(5000);
    return settings;
}

} // namespace fiscpos::gptom::test
