#include "tests/viva/viva_test_support.hpp"

#include "signing/local_signer.hpp"
#include "tests/support/shared_dir.hpp"

namespace fiscpos::viva::test {

namespace {

signing::LocalSigner& signer() {
    const core::Clock& clock = core::systemClock();
    static signing::LocalSigner local(
        signing::PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), testProviderId, clock);
    return local;
}

} // namespace

signing::ProviderSignature sign(core::Money payment, const std::string& tid,
                                const std::string& number) {
    signing::SignatureRequest request;
    request.nsp = signing::Nsp::Viva;
    request.issuerVat = "123456789";
    request.branch = 0;
    request.series = "V";
    request.number = number;
    request.issuedAt = core::athensIso8601(std::chrono::system_clock::now());
    request.invoiceType = "11.1";
    const std::int64_t gross = payment.cents();
    const std::int64_t net = gross * 100 / 124;
    request.net = core::Money::fromCents(net);
    request.vat = core::Money::fromCents(gross - net);
    request.total = payment;
    request.payment = payment;
    request.duration = signing::SignatureDuration::Hours2;
    request.terminalId = tid;
    return signer().sign(request);
}

core::PaymentRequest saleRequest(const signing::ProviderSignature& signature,
                                 const std::string& reference) {
    core::PaymentRequest request;
    request.kind = core::PaymentKind::Sale;
    request.reference = reference;
    request.signature = signature.toSignedPayment(testProviderId);
    request.amount = request.signature.payable;
    return request;
}

VivaSettings settingsAt(const std::string& baseUrl) {
    VivaSettings settings;
    settings.section = "terminal.V1";
    settings.accountsUrl = baseUrl + "/viva-accounts";
    settings.apiUrl = baseUrl + "/viva-api";
    settings.legacyUrl = baseUrl + "/viva-legacy";
    settings.clientId = "sim-viva-client"; // the simulated account's defaults
    settings.clientSecret = "sim-viva-secret";
    settings.merchantId = "6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10";
    settings.apiKey = "sim-viva-api-key";
    settings.tid = testTid;
    settings.cashRegister = "ERP-1";
    settings.providerId = testProviderId;
    settings.sourceCode = "0820160010"; // the legacy source of 16000010
    settings.http.connectTimeout = std::chrono::milliseconds(2000);
    settings.http.readTimeout = std::chrono::milliseconds(5000);
    return settings;
}

core::TerminalReport waitFinal(core::Terminal& terminal, const sim::SimClock& clock,
                               const std::string& reference, std::chrono::milliseconds bound,
                               std::chrono::milliseconds every) {
    const std::chrono::milliseconds until = clock.elapsed() + bound;
    for (;;) {
        core::TerminalReport report = terminal.query(reference);
        if (report.stage == core::TerminalStage::Final || clock.elapsed() > until) {
            BOOST_TEST_REQUIRE(report.stage == core::TerminalStage::Final,
                               "not final: " << report.networkStatus << " " << report.message);
            return report;
        }
        clock.sleepFor(every);
    }
}

} // namespace fiscpos::viva::test
