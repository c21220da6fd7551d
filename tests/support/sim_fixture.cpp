#include "tests/support/sim_fixture.hpp"

#include "signing/ecdsa.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

namespace fiscpos::test {

namespace {

sim::SimServerOptions serverOptions(double timeScale) {
    sim::SimServerOptions options;
    options.timeScale = timeScale;
    return options;
}

} // namespace

SimFixture::SimFixture(sim::ProviderPartyOptions provider, double timeScale)
    : server(serverOptions(timeScale)) {
    server.addParty(std::make_shared<sim::ProviderParty>(
        signing::PrivateKey::fromPemFile(mellonPrivateKey()), std::move(provider), server.clock()));
    server.start();
    http = std::make_unique<core::HttpClient>(server.baseUrl());
}

core::Json SimFixture::control(const std::string& method, const std::string& target,
                               const core::Json& body) {
    core::HttpRequest request = body.is_null() ? core::HttpRequest{method, target, {}, {}, {}, {}}
                                               : core::HttpRequest::json(method, target, body);
    const core::HttpResponse response = http->send(request);
    BOOST_TEST_REQUIRE(response.ok(), method << " " << target << " answered " << response.status
                                             << ": " << response.body);
    return response.json(target);
}

core::Json SimFixture::addFault(const core::Json& rule) {
    return control("POST", "/_sim/faults", rule);
}

core::Json SimFixture::stats() {
    return control("GET", "/_sim/stats");
}

std::int64_t SimFixture::signaturesCreated() {
    return stats()["provider"]["signatures_created"].get<std::int64_t>();
}

std::int64_t SimFixture::providerRequests(const std::string& method) {
    const core::Json byMethod = stats()["provider"]["requests_by_method"];
    return byMethod.contains(method) ? byMethod[method].get<std::int64_t>() : 0;
}

signing::MydataProviderClient SimFixture::client(std::string token,
                                                 std::chrono::milliseconds readTimeout) const {
    signing::ProviderClientOptions options;
    options.baseUrl = providerUrl();
    options.token = std::move(token);
    options.http.readTimeout = readTimeout;
    options.http.connectTimeout = std::chrono::milliseconds(2000);
    return signing::MydataProviderClient(options);
}

signing::SignatureRequest sampleRequest(signing::Nsp nsp, std::string number) {
    signing::SignatureRequest request;
    request.nsp = nsp;
    request.issuerVat = "123456789";
    request.branch = 1;
    request.series = "R";
    request.number = std::move(number);
    request.issuedAt = core::athensIso8601(std::chrono::system_clock::now());
    request.invoiceType = "11.1";
    request.net = core::Money::parse("10.00", "net");
    request.vat = core::Money::parse("2.40", "vat");
    request.total = core::Money::parse("12.40", "total");
    request.payment = core::Money::parse("12.40", "payment");
    request.duration = signing::SignatureDuration::Hours60;
    request.terminalId = "99000031";
    return request;
}

} // namespace fiscpos::test
