// The signing API client against the simulated provider over real HTTP on loopback: signatures
// verify with Mellon's public key in the layout of their network, the provider's refusals reach
// the caller with its own words, and a lost answer never makes a second signature.
#include "core/invoice_uid.hpp"
#include "signing/ecdsa.hpp"
#include "signing/input_text.hpp"
#include "signing/provider_error.hpp"
#include "signing/signature_text.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sim_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace fiscpos;
using fiscpos::test::providerError;
using fiscpos::test::sampleRequest;
using fiscpos::test::SimFixture;

namespace {

signing::PublicKey mellonKey() {
    return signing::PublicKey::fromPemFile(test::mellonPublicKey());
}

std::string expectedUid(const signing::SignatureRequest& request) {
    const core::CivilTime issued = core::parseIso8601(request.issuedAt, "issued_at");
    return core::invoiceUid({request.issuerVat, core::isoDate(issued), request.branch,
                             request.invoiceType, request.series, request.number});
}

// A fault rule on the provider's create endpoint, e.g. {{"kind", "drop_after"}}.
void faultOnCreate(SimFixture& sim, core::Json rule) {
    rule["method"] = "POST";
    rule["path"] = "/provider/v2/signatures";
    sim.addFault(rule);
}

} // namespace

BOOST_AUTO_TEST_SUITE(provider_sim)

BOOST_AUTO_TEST_CASE(webecr_signature_verifies_in_the_mellon_layout) {
    SimFixture sim;
    auto client = sim.client();
    const auto request = sampleRequest(signing::Nsp::WebEcr);

    const signing::ProviderSignature sig = client.sign(request);

    BOOST_TEST(signing::verifySignature(mellonKey(), sig.input, sig.signatureBase64));
    BOOST_TEST(signing::verifySignature(mellonKey(), sig.input, sig.signatureHex));
    BOOST_TEST(!signing::verifySignature(mellonKey(), sig.input + "\n", sig.signatureBase64));
    const auto input = signing::InputText::parse(sig.input, signing::InputLayout::Mellon);
    BOOST_TEST(input.uid() == expectedUid(request));
    BOOST_TEST(sig.uid == expectedUid(request));
    BOOST_TEST(input.net().cents() == 1000);
    BOOST_TEST(input.vat().cents() == 240);
    BOOST_TEST(input.total().cents() == 1240);
    BOOST_TEST(input.payable().cents() == 1240);
    BOOST_TEST(input.tid() == "99000031");
    BOOST_TEST(input.mark().empty());
    BOOST_TEST(input.timestamp() == core::athensTimestamp(core::toTimePoint(
                                        core::parseIso8601(request.issuedAt, "issued_at"))));
    BOOST_TEST(sig.providerId == "999");
    BOOST_TEST(sig.raw["signing_author"] == "999");
    BOOST_TEST(sig.raw["branch_code"] == 1);
    BOOST_TEST(sig.raw["invoice_series"] == "R");
    BOOST_TEST(sig.raw["invoice_number"] == "9");
    BOOST_TEST(sig.raw["duration"] == 1);
    BOOST_TEST(sig.raw["expired"] == false);
    BOOST_TEST(sim.signaturesCreated() == 1);
}

BOOST_AUTO_TEST_CASE(viva_signature_puts_the_payable_amount_first) {
    SimFixture sim;
    auto client = sim.client();
    auto request = sampleRequest(signing::Nsp::Viva);
    request.payment = core::Money::parse("5.00", "payment"); // a split payment: order shows

    const signing::ProviderSignature sig = client.sign(request);

    BOOST_TEST(signing::verifySignature(mellonKey(), sig.input, sig.signatureBase64));
    const auto input = signing::InputText::parse(sig.input, signing::InputLayout::Viva);
    BOOST_TEST(input.payable().cents() == 500);
    BOOST_TEST(input.net().cents() == 1000);
    BOOST_TEST(input.total().cents() == 1240);
    BOOST_TEST(sig.input ==
               expectedUid(request) + ";;" + input.timestamp() + ";500;1000;240;1240;99000031");
    BOOST_TEST((sig.nsp == signing::Nsp::Viva));
}

BOOST_AUTO_TEST_CASE(defaults_branch_and_series_when_left_out) {
    SimFixture sim;
    auto request = sampleRequest();
    core::Json body = request.toProviderJson();
    body.erase("branch_code");
    body.erase("invoice_series");
    const core::HttpResponse response =
        sim.http->send(core::HttpRequest::json("POST", "/provider/v2/signatures", body)
                           .header("Authorization", "Bearer sim-token"));
    BOOST_TEST_REQUIRE(response.status == 201);
    const core::Json record = response.json("record");
    BOOST_TEST(record["branch_code"] == 0);
    BOOST_TEST(record["invoice_series"] == "0");
    request.branch = 0;
    request.series = "0";
    BOOST_TEST(record["uid"] == expectedUid(request));
}

BOOST_AUTO_TEST_CASE(find_and_cancel) {
    SimFixture sim;
    auto client = sim.client();
    const signing::ProviderSignature created = client.sign(sampleRequest());

    const signing::ProviderSignature found = client.find(created.id);
    BOOST_TEST(found.id == created.id);
    BOOST_TEST(found.input == created.input);
    BOOST_TEST(found.signatureHex == created.signatureHex);
    BOOST_TEST(!found.cancelledAt.has_value());

    const signing::ProviderSignature cancelled = client.cancel(created.id);
    BOOST_TEST(cancelled.cancelledAt.has_value());
    BOOST_TEST(client.find(created.id).cancelledAt.has_value());
    BOOST_TEST(client.listPending().empty());

    const auto twice = providerError([&] { client.cancel(created.id); });
    BOOST_TEST(twice.status() == 409);
    BOOST_TEST(!twice.providerMessage().empty());
    BOOST_TEST(providerError([&] { client.find("SIGUNKNOWN"); }).status() == 404);
    BOOST_TEST(providerError([&] { client.cancel("SIGUNKNOWN"); }).status() == 404);
    BOOST_TEST(sim.stats()["provider"]["signatures_cancelled"] == 1);
}

BOOST_AUTO_TEST_CASE(pending_list_runs_across_pages_newest_first) {
    sim::ProviderPartyOptions options;
    options.pageSize = 3;
    SimFixture sim(options);
    auto client = sim.client();
    std::vector<std::string> ids;
    for (int i = 1; i <= 7; ++i) {
        ids.push_back(client.sign(sampleRequest(signing::Nsp::WebEcr, std::to_string(i))).id);
    }

    const auto pending = client.listPending();
    BOOST_TEST_REQUIRE(pending.size() == 7U);
    for (std::size_t i = 0; i < pending.size(); ++i) {
        BOOST_TEST(pending[i].id == ids[ids.size() - 1 - i]);
    }

    const core::Json third =
        sim.http
            ->send(core::HttpRequest::get("/provider/v2/signatures?status=pending&page=3")
                       .header("Authorization", "Bearer sim-token"))
            .json("page 3");
    BOOST_TEST(third["data"].size() == 1U);
    BOOST_TEST(third["meta"]["last_page"] == 3);
    BOOST_TEST(third["meta"]["total"] == 7);
    BOOST_TEST(third["links"]["next"].is_null());
    const core::Json past =
        sim.http
            ->send(core::HttpRequest::get("/provider/v2/signatures?status=pending&page=4")
                       .header("Authorization", "Bearer sim-token"))
            .json("page 4");
    BOOST_TEST(past["data"].is_array());
    BOOST_TEST(past["data"].empty());
}

BOOST_AUTO_TEST_CASE(wrong_token_is_401_with_the_providers_message) {
    SimFixture sim;
    auto client = sim.client("not-the-token");
    const auto error = providerError([&] { client.sign(sampleRequest()); });
    BOOST_TEST(error.status() == 401);
    BOOST_TEST(error.providerMessage() == "Unauthenticated.");
    BOOST_TEST(providerError([&] { client.listPending(); }).status() == 401);
    BOOST_TEST(sim.signaturesCreated() == 0);
}

BOOST_AUTO_TEST_CASE(missing_terminal_id_is_422_naming_the_field) {
    SimFixture sim;
    auto client = sim.client();
    auto request = sampleRequest();
    request.terminalId.clear(); // left out of the body
    const auto error = providerError([&] { client.sign(request); });
    BOOST_TEST(error.status() == 422);
    BOOST_TEST(error.providerMessage() == "The given data was invalid.");
    BOOST_TEST_REQUIRE(error.fieldErrors().count("terminal_id") == 1U);
    BOOST_TEST(error.fieldErrors().at("terminal_id").front() ==
               "The terminal id field is required.");
    BOOST_TEST(error.fieldErrors().size() == 1U);
    BOOST_TEST(sim.signaturesCreated() == 0);
}

BOOST_AUTO_TEST_CASE(every_field_is_checked) {
    SimFixture sim;
    const core::Json body{{"nsp", 9},
                          {"mark", "12a"},
                          {"issuer_vat_number", "12345"},
                          {"branch_code", "one"},
                          {"invoice_number", 9},
                          {"invoice_issued_at", "2026-08-27 10:15:00"},
                          {"invoice_type", "11.1"},
                          {"invoice_net_amount", "10.00"},
                          {"invoice_vat_amount", -1},
                          {"payment_amount", 0},
                          {"duration", 3},
                          {"terminal_id", "A;B"}};
    core::Json withDecimals =
        core::parseJson(R"({"invoice_total_amount": 12.405})", "body", core::JsonOrigin::Input);
    core::Json all = body;
    all["invoice_total_amount"] = withDecimals["invoice_total_amount"];
    const core::HttpResponse response =
        sim.http->send(core::HttpRequest::json("POST", "/provider/v2/signatures", all)
                           .header("Authorization", "Bearer sim-token"));
    BOOST_TEST_REQUIRE(response.status == 422);
    const core::Json errors = response.json("errors")["errors"];
    for (const char* field :
         {"nsp", "mark", "issuer_vat_number", "branch_code", "invoice_number", "invoice_issued_at",
          "invoice_net_amount", "invoice_vat_amount", "invoice_total_amount", "payment_amount",
          "duration", "terminal_id"}) {
        BOOST_TEST(errors.contains(field), field << " has an error");
    }
    BOOST_TEST(!errors.contains("invoice_type"));
    BOOST_TEST(!errors.contains("invoice_series"));
}

BOOST_AUTO_TEST_CASE(another_companys_vat_is_403_before_validation) {
    sim::ProviderPartyOptions options;
    options.companyVat = "999999999";
    SimFixture sim(options);
    auto client = sim.client();
    auto request = sampleRequest(); // issuer 123456789
    request.terminalId.clear();     // invalid too, but authorisation comes first
    const auto error = providerError([&] { client.sign(request); });
    BOOST_TEST(error.status() == 403);
    BOOST_TEST(error.providerMessage() == "This action is unauthorized.");
    BOOST_TEST(error.fieldErrors().empty());

    auto own = sampleRequest();
    own.issuerVat = "999999999";
    BOOST_TEST(!client.sign(own).id.empty());
}

BOOST_AUTO_TEST_CASE(answer_dropped_after_create_recovers_the_same_signature) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "drop_after"}});
    auto client = sim.client();

    const signing::ProviderSignature sig = client.sign(sampleRequest());

    BOOST_TEST(sim.signaturesCreated() == 1);
    BOOST_TEST(sim.providerRequests("POST") == 1);
    const auto pending = client.listPending();
    BOOST_TEST_REQUIRE(pending.size() == 1U);
    BOOST_TEST(pending.front().id == sig.id);
    BOOST_TEST(signing::verifySignature(mellonKey(), sig.input, sig.signatureBase64));
}

BOOST_AUTO_TEST_CASE(connection_dropped_before_create_creates_once) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "drop_before"}});
    auto client = sim.client();

    const signing::ProviderSignature sig = client.sign(sampleRequest());

    BOOST_TEST(sim.signaturesCreated() == 1);
    BOOST_TEST(sim.providerRequests("POST") == 2); // the dropped one and the one that created
    BOOST_TEST(client.listPending().front().id == sig.id);
}

BOOST_AUTO_TEST_CASE(status_503_on_create_creates_once) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "status"}, {"status", 503}});
    auto client = sim.client();
    client.sign(sampleRequest());
    BOOST_TEST(sim.signaturesCreated() == 1);
    BOOST_TEST(sim.providerRequests("POST") == 2);
}

BOOST_AUTO_TEST_CASE(status_503_after_the_provider_acted_reuses_its_signature) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "status"}, {"status", 503}, {"apply", true}});
    auto client = sim.client();
    client.sign(sampleRequest());
    BOOST_TEST(sim.signaturesCreated() == 1);
    BOOST_TEST(sim.providerRequests("POST") == 1);
}

BOOST_AUTO_TEST_CASE(malformed_answer_is_a_response_error) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "malformed"}});
    auto client = sim.client();
    BOOST_CHECK_THROW(client.sign(sampleRequest()), core::ResponseError);
    BOOST_TEST(sim.providerRequests("POST") == 1);
}

BOOST_AUTO_TEST_CASE(answer_slower_than_the_read_timeout_recovers_exactly_one) {
    SimFixture sim;
    faultOnCreate(sim, {{"kind", "delay"}, {"delay_ms", 1000}});
    auto client = sim.client("sim-token", std::chrono::milliseconds(300));

    const signing::ProviderSignature sig = client.sign(sampleRequest());

    BOOST_TEST(sim.signaturesCreated() == 1);
    BOOST_TEST(sim.providerRequests("POST") == 1);
    BOOST_TEST(client.listPending().front().id == sig.id);
}

BOOST_AUTO_TEST_SUITE_END()
