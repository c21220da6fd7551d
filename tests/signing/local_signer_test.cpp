// The local signer: the provider's behaviour with a key in hand (UAT, the simulator).
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "signing/local_signer.hpp"
#include "signing/signature_text.hpp"
#include "tests/signing/signing_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using fiscpos::core::InputError;
using fiscpos::core::Money;
using namespace fiscpos::signing;
using namespace fiscpos::signing::test;
using namespace std::chrono_literals;

namespace {

fiscpos::core::TimePoint at(const char* iso) {
    return fiscpos::core::toTimePoint(fiscpos::core::parseIso8601(iso, "test"));
}

// The myDATA contract's UID example: 999999999-2020-10-22-0-1.1-A-2.
SignatureRequest uidExampleRequest() {
    SignatureRequest request;
    request.nsp = Nsp::WebEcr;
    request.issuerVat = "999999999";
    request.branch = 0;
    request.series = "A";
    request.number = "2";
    request.issuedAt = "2020-10-22T10:15:00+03:00";
    request.invoiceType = "1.1";
    request.net = Money::fromCents(100);
    request.vat = Money::fromCents(24);
    request.total = Money::fromCents(124);
    request.payment = Money::fromCents(124);
    request.terminalId = "99000031";
    return request;
}

struct Fixture {
    fiscpos::core::ManualClock clock{at("2020-10-22T10:15:05+03:00")};
    LocalSigner signer{PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), "999", clock};
    PublicKey published = PublicKey::fromPemFile(fiscpos::test::mellonPublicKey());
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(local_signer, Fixture)

BOOST_AUTO_TEST_CASE(signature_verifies_with_the_public_key_and_input_parses) {
    const ProviderSignature sig = signer.sign(uidExampleRequest());
    BOOST_TEST(verifySignature(published, sig.input, sig.signatureBase64));
    BOOST_TEST(verifySignature(published, sig.input, sig.signatureHex));
    BOOST_TEST(!verifySignature(published, sig.input + "\n", sig.signatureBase64));
    BOOST_TEST(toBase64(fromHex(sig.signatureHex)) == sig.signatureBase64);
    const InputText input = InputText::parse(sig.input, InputLayout::Mellon);
    BOOST_TEST(input.uid() == sig.uid);
    BOOST_TEST(input.mark().empty());
    BOOST_TEST(input.timestamp() == "20201022101500");
    BOOST_TEST(input.net().cents() == 100);
    BOOST_TEST(input.payable().cents() == 124);
    BOOST_TEST(input.tid() == "99000031");
    BOOST_TEST(sig.providerId == "999");
    BOOST_TEST(sig.id.starts_with("SIG"));
    BOOST_TEST(sig.id.size() == 35u);
    BOOST_TEST(signer.publicKey().spkiBase64() == published.spkiBase64());
}

BOOST_AUTO_TEST_CASE(uid_matches_the_mydata_example) {
    BOOST_TEST(signer.sign(uidExampleRequest()).uid == "C242E229D54850E9CE6116220B23F1666188E297");
    SignatureRequest greek = uidExampleRequest();
    greek.series = "\xCE\x91"; // Greek capital alpha
    BOOST_TEST(signer.sign(greek).uid == "51D64223A48783BFCF64CA199B95F13387971303");
    LocalSigner utf8(PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), "999", clock,
                     fiscpos::core::UidSeriesEncoding::Utf8);
    BOOST_TEST(utf8.sign(greek).uid == "B6135D5377B0AA2A92264AB56B334169D0B25089");
}

BOOST_AUTO_TEST_CASE(timestamp_and_uid_date_follow_athens_local_time) {
    SignatureRequest request = uidExampleRequest();
    // 22:30 UTC on 21 October is 01:30 on the 22nd in Athens (summer time).
    request.issuedAt = "2020-10-22T01:30:00+03:00";
    const ProviderSignature local = signer.sign(request);
    request.issuedAt = "2020-10-21T22:30:00Z";
    const ProviderSignature utc = signer.sign(request);
    BOOST_TEST(local.timestamp == "20201022013000");
    BOOST_TEST(utc.timestamp == "20201022013000");
    // The UID hashes the date as written on the invoice.
    BOOST_TEST(local.uid == "C242E229D54850E9CE6116220B23F1666188E297");
    BOOST_TEST(utc.uid != local.uid);
}

BOOST_AUTO_TEST_CASE(viva_requests_get_the_viva_layout_and_mark) {
    SignatureRequest request = uidExampleRequest();
    request.nsp = Nsp::Viva;
    request.mark = "400001";
    request.payment = Money::fromCents(50);
    const ProviderSignature sig = signer.sign(request);
    BOOST_TEST(sig.input == sig.uid + ";400001;20201022101500;50;100;24;124;99000031");
    BOOST_TEST(sig.mark.value_or("") == "400001");
    BOOST_TEST(sig.inputText().payable().cents() == 50);
    BOOST_TEST(verifySignature(published, sig.input, sig.signatureBase64));
}

BOOST_AUTO_TEST_CASE(expiry_and_record_shape) {
    SignatureRequest request = uidExampleRequest();
    const ProviderSignature shortLived = signer.sign(request);
    BOOST_TEST(shortLived.expiresAt == "2020-10-22T12:15:00+03:00");
    BOOST_TEST(!shortLived.expired);
    BOOST_TEST(shortLived.createdAt == "2020-10-22T10:15:05+03:00");
    BOOST_TEST(shortLived.raw.at("seconds_until_expiration") == 7195);
    request.duration = SignatureDuration::Hours60;
    const ProviderSignature longLived = signer.sign(request);
    BOOST_TEST(longLived.expiresAt == "2020-10-24T22:15:00+03:00");

    // The record it serves reads back as the same signature.
    const ProviderSignature read = ProviderSignature::fromProviderJson(longLived.raw);
    BOOST_TEST(read.id == longLived.id);
    BOOST_TEST(read.input == longLived.input);
    BOOST_TEST(read.providerId == "999");
    BOOST_TEST(read.raw.at("invoice_series") == "A");
    BOOST_TEST(read.raw.at("branch_code") == 0);
    BOOST_TEST(read.raw.at("nsp").at("value") == 2);
    BOOST_TEST((read.duration == SignatureDuration::Hours60));

    clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(2h));
    BOOST_TEST(signer.find(shortLived.id).expired);
    BOOST_TEST(!signer.find(longLived.id).expired);
    const auto pending = signer.listPending();
    BOOST_TEST_REQUIRE(pending.size() == 1u);
    BOOST_TEST(pending.front().id == longLived.id);
}

BOOST_AUTO_TEST_CASE(pending_newest_first_without_cancelled) {
    const ProviderSignature first = signer.sign(uidExampleRequest());
    const ProviderSignature second = signer.sign(uidExampleRequest());
    const ProviderSignature third = signer.sign(uidExampleRequest());
    const ProviderSignature cancelled = signer.cancel(second.id);
    BOOST_TEST(cancelled.cancelledAt.value_or("") == "2020-10-22T10:15:05+03:00");
    BOOST_TEST(cancelled.raw.at("cancelled_at") == "2020-10-22T10:15:05+03:00");
    const auto pending = signer.listPending();
    BOOST_TEST_REQUIRE(pending.size() == 2u);
    BOOST_TEST(pending[0].id == third.id);
    BOOST_TEST(pending[1].id == first.id);
    BOOST_TEST(signer.find(second.id).cancelledAt.has_value());
    requireFieldError<fiscpos::core::InputError>([&] { signer.find("SIGNOPE"); }, "id");
    requireFieldError<fiscpos::core::InputError>([&] { signer.cancel("SIGNOPE"); }, "id");
}

BOOST_AUTO_TEST_CASE(bad_requests_name_the_field) {
    const auto with = [this](std::function<void(SignatureRequest&)> change) {
        return [this, change] {
            SignatureRequest request = uidExampleRequest();
            change(request);
            signer.sign(request);
        };
    };
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.issuerVat = "12345678"; }), "issuer_vat");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.issuerVat = "12345678X"; }), "issuer_vat");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.invoiceType.clear(); }), "invoice_type");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.series.clear(); }), "series");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.number.clear(); }), "number");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.issuedAt = "2020-10-22T10:15:00"; }), "issued_at");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.issuedAt.clear(); }), "issued_at");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.terminalId.clear(); }), "terminal_id");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.terminalId = "9900;0031"; }), "terminal_id");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.payment = Money::fromCents(0); }), "payment");
    requireFieldError<fiscpos::core::InputError>(
        with([](SignatureRequest& r) { r.net = Money::fromCents(-1); }), "net");
    requireFieldError<fiscpos::core::InputError>(with([](SignatureRequest& r) { r.mark = "12A"; }),
                                                 "mark");
    requireFieldError<fiscpos::core::InputError>(with([](SignatureRequest& r) { r.branch = -1; }),
                                                 "branch");
    BOOST_TEST(signer.listPending().empty());
}

BOOST_AUTO_TEST_SUITE_END()
