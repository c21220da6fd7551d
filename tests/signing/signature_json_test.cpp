// The mydataprovider v2 shapes: the create body and the signature record.
#include "core/errors.hpp"
#include "core/json.hpp"
#include "signing/signature.hpp"
#include "signing/signature_text.hpp"
#include "tests/signing/signing_test_support.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::Json;
using fiscpos::core::Money;
using fiscpos::core::ResponseError;
using namespace fiscpos::signing;
using namespace fiscpos::signing::test;

namespace {

const std::string& uid = vectorUid;

// A record in the contract's shape, carrying the Mellon vector (nsp 2 = WebEcr, Mellon layout).
std::string recordText() {
    return R"({
  "id": "01SIGVECTOR1", "uid": ")" +
           uid + R"(", "mark": 400013293980417, "branch_code": 0,
  "invoice_series": "A", "invoice_number": "2",
  "invoice_issued_at": "2024-05-10T16:43:40+03:00", "invoice_type": "11.1",
  "invoice_net_amount": 1.00, "invoice_vat_amount": 0.24, "invoice_total_amount": 1.24,
  "payment_amount": 1.24, "nsp": {"name": "WebEcr", "value": 2}, "duration": 1,
  "expires_at": "2024-05-13T04:43:40+03:00", "expired": false,
  "seconds_until_expiration": 216000, "terminal_id": "99000031",
  "unsigned_text": ")" +
           vectorInput + R"(",
  "signed_text": ")" +
           vector1Base64 + R"(", "signature_hex": ")" + vector1Hex + R"(",
  "timestamp": "20240510164340", "created_at": "2024-05-10T16:43:41+03:00", "cancelled_at": null
})";
}

Json record() {
    return fiscpos::core::parseJson(recordText(), "record", fiscpos::core::JsonOrigin::Response);
}

void requireResponseError(const Json& value, const std::string& field,
                          const std::string& reasonPart = "") {
    requireFieldError<ResponseError>([&value] { ProviderSignature::fromProviderJson(value); },
                                     field, reasonPart);
}

} // namespace

BOOST_AUTO_TEST_SUITE(signature_json)

BOOST_AUTO_TEST_CASE(create_body_has_the_contract_shape) {
    const std::string body = fiscpos::core::dumpJson(sampleRequest().toProviderJson());
    BOOST_TEST(body == R"({"branch_code":1,"duration":1,"invoice_issued_at":)"
                       R"("2026-08-27T10:15:00+03:00","invoice_net_amount":10.00,)"
                       R"("invoice_number":"9","invoice_series":"R","invoice_total_amount":12.40,)"
                       R"("invoice_type":"11.1","invoice_vat_amount":2.40,)"
                       R"("issuer_vat_number":"123456789","nsp":2,"payment_amount":12.40,)"
                       R"("terminal_id":"99000031"})");
}

BOOST_AUTO_TEST_CASE(create_body_sends_mark_only_when_set_and_omits_empty_keys) {
    SignatureRequest request = sampleRequest();
    request.mark = "400001";
    request.nsp = Nsp::Viva;
    request.terminalId.clear();
    request.series.clear();
    const Json body = request.toProviderJson();
    BOOST_TEST(body.at("mark") == "400001");
    BOOST_TEST(body.at("nsp") == 1);
    BOOST_TEST(!body.contains("terminal_id"));
    BOOST_TEST(!body.contains("invoice_series"));
    BOOST_TEST(!sampleRequest().toProviderJson().contains("mark"));
}

BOOST_AUTO_TEST_CASE(reads_a_complete_record) {
    const ProviderSignature sig = ProviderSignature::fromProviderJson(record());
    BOOST_TEST(sig.id == "01SIGVECTOR1");
    BOOST_TEST(sig.uid == uid);
    BOOST_TEST(sig.mark.value_or("") == "400013293980417");
    BOOST_TEST(sig.input == vectorInput);
    BOOST_TEST(sig.signatureBase64 == vector1Base64);
    BOOST_TEST(sig.signatureHex == vector1Hex);
    BOOST_TEST(sig.providerId.empty());
    BOOST_TEST(sig.timestamp == "20240510164340");
    BOOST_TEST(sig.terminalId == "99000031");
    BOOST_TEST(sig.paymentAmount.cents() == 124);
    BOOST_TEST((sig.nsp == Nsp::WebEcr));
    BOOST_TEST((sig.duration == SignatureDuration::Hours60));
    BOOST_TEST(sig.issuedAt == "2024-05-10T16:43:40+03:00");
    BOOST_TEST(sig.expiresAt == "2024-05-13T04:43:40+03:00");
    BOOST_TEST(!sig.expired);
    BOOST_TEST(!sig.cancelledAt.has_value());
    BOOST_TEST(sig.raw == record());
    BOOST_TEST(sig.inputText().payable().cents() == 124);
}

BOOST_AUTO_TEST_CASE(reads_mark_as_string_or_null_and_the_signing_author) {
    Json value = record();
    value["mark"] = "400013293980417";
    value["signing_author"] = "008";
    BOOST_TEST(ProviderSignature::fromProviderJson(value).mark.value_or("") == "400013293980417");
    BOOST_TEST(ProviderSignature::fromProviderJson(value).providerId == "008");
    value.erase("signing_author");
    value["provider_id"] = 999;
    BOOST_TEST(ProviderSignature::fromProviderJson(value).providerId == "999");
    // The signature_hex may come in lowercase; it is kept uppercase.
    value["signature_hex"] = lowercase(vector1Hex);
    BOOST_TEST(ProviderSignature::fromProviderJson(value).signatureHex == vector1Hex);
    // A null MARK must go with an empty MARK in the Input.
    value["mark"] = nullptr;
    requireResponseError(value, "signature.unsigned_text", "MARK");
}

BOOST_AUTO_TEST_CASE(every_required_field_is_checked) {
    for (const char* key :
         {"id", "uid", "signed_text", "signature_hex", "terminal_id", "payment_amount", "expired",
          "nsp", "duration", "invoice_issued_at", "expires_at", "unsigned_text"}) {
        Json value = record();
        value.erase(key);
        BOOST_TEST_CONTEXT("without " << key) {
            requireResponseError(value, std::string("signature.") + key, "is required");
        }
        value[key] = nullptr;
        BOOST_TEST_CONTEXT("with null " << key) {
            requireResponseError(value, std::string("signature.") + key, "is required");
        }
    }
    Json value = record();
    value["nsp"].erase("value");
    requireResponseError(value, "signature.nsp.value", "is required");
}

BOOST_AUTO_TEST_CASE(every_required_field_has_its_type) {
    const auto with = [](const char* key, Json v) {
        Json value = record();
        value[key] = std::move(v);
        return value;
    };
    requireResponseError(with("id", 17), "signature.id");
    requireResponseError(with("id", ""), "signature.id", "empty");
    requireResponseError(with("uid", Json::array()), "signature.uid");
    requireResponseError(with("terminal_id", 99000031), "signature.terminal_id");
    requireResponseError(with("payment_amount", "1.24"), "signature.payment_amount", "number");
    requireResponseError(with("expired", "false"), "signature.expired");
    requireResponseError(with("expired", 0), "signature.expired");
    requireResponseError(with("nsp", 2), "signature.nsp");
    requireResponseError(with("nsp", Json{{"name", "WebEcr"}, {"value", "2"}}),
                         "signature.nsp.value");
    requireResponseError(with("nsp", Json{{"name", "?"}, {"value", 9}}), "signature.nsp.value",
                         "unknown network");
    requireResponseError(with("duration", "1"), "signature.duration");
    requireResponseError(with("duration", 3), "signature.duration", "60 hours");
    requireResponseError(with("invoice_issued_at", "2024-05-10 16:43:40"),
                         "signature.invoice_issued_at");
    requireResponseError(with("expires_at", "tomorrow"), "signature.expires_at");
    requireResponseError(with("cancelled_at", "yesterday"), "signature.cancelled_at");
    requireResponseError(with("mark", 1.5), "signature.mark");
    requireResponseError(Json::array(), "signature");
}

BOOST_AUTO_TEST_CASE(signature_must_be_one_der_signature_in_both_forms) {
    const auto with = [](const char* key, Json v) {
        Json value = record();
        value[key] = std::move(v);
        return value;
    };
    requireResponseError(with("signed_text", vector1Hex), "signature.signed_text", "base64");
    requireResponseError(with("signed_text", "MEUCIQ=="), "signature.signed_text", "DER");
    requireResponseError(with("signature_hex", "3045"), "signature.signature_hex", "same");
    requireResponseError(with("signature_hex", vector1Hex + "0"), "signature.signature_hex", "odd");
    requireResponseError(
        with("signature_hex",
             "304402202A4683759171108DC4BB268C65B0DB5F147173FAB7E42EC6248F3654F28827BF022076E66087"
             "FB674A8ECB592C14B9160B7F5952EDD15B18F7AD2C99B999D46AB9FA"),
        "signature.signature_hex", "same");
}

BOOST_AUTO_TEST_CASE(input_must_parse_in_the_layout_and_agree_with_the_record) {
    const auto with = [](const char* key, Json v) {
        Json value = record();
        value[key] = std::move(v);
        return value;
    };
    requireResponseError(with("unsigned_text", vectorInput + "\n"), "signature.unsigned_text",
                         "input.tid");
    requireResponseError(
        with("unsigned_text", "A1B2;400001;20260827101500;1000;240;1240;1240;TID-1"),
        "signature.unsigned_text", "input.uid");
    // The Mellon vector read as a Viva Input has a payable of 1.00, not the record's 1.24.
    requireResponseError(with("nsp", Json{{"name", "Viva"}, {"value", 1}}),
                         "signature.unsigned_text", "payable");
    requireResponseError(with("uid", "0000000000000000000000000000000000000000"),
                         "signature.unsigned_text", "uid");
    requireResponseError(with("terminal_id", "99000032"), "signature.unsigned_text", "terminal id");
    requireResponseError(with("timestamp", "20240510164341"), "signature.unsigned_text",
                         "timestamp");
    requireResponseError(with("mark", 1), "signature.unsigned_text", "MARK");
    // The uid may be lowercase in the record.
    BOOST_CHECK_NO_THROW(ProviderSignature::fromProviderJson(with("uid", lowercase(uid))));
}

BOOST_AUTO_TEST_CASE(list_items_are_named_by_their_context) {
    Json value = record();
    value.erase("expired");
    try {
        ProviderSignature::fromProviderJson(value, "signatures.data[3]");
        BOOST_FAIL("expected an error");
    } catch (const ResponseError& e) {
        BOOST_TEST(e.field() == "signatures.data[3].expired");
    }
}

BOOST_AUTO_TEST_CASE(writes_the_record_back_in_the_same_shape) {
    ProviderSignature sig = ProviderSignature::fromProviderJson(record());
    sig.providerId = "999";
    sig.cancelledAt = "2024-05-10T17:00:00+03:00";
    const Json out = sig.toProviderJson();
    BOOST_TEST(out.at("signing_author") == "999");
    BOOST_TEST(out.at("cancelled_at") == "2024-05-10T17:00:00+03:00");
    BOOST_TEST(out.at("invoice_series") == "A"); // echoes kept from the record
    BOOST_TEST(out.at("nsp").at("value") == 2);
    BOOST_TEST(out.at("nsp").at("name") == "WebEcr");
    const std::string text = fiscpos::core::dumpJson(out);
    BOOST_TEST(text.find(R"("payment_amount":1.24)") != std::string::npos);
    BOOST_TEST(text.find(R"("invoice_net_amount":1.00)") != std::string::npos);
    const ProviderSignature again = ProviderSignature::fromProviderJson(
        fiscpos::core::parseJson(text, "record", fiscpos::core::JsonOrigin::Response));
    BOOST_TEST(again.id == sig.id);
    BOOST_TEST(again.providerId == "999");
    BOOST_TEST(again.input == sig.input);
    BOOST_TEST(again.signatureHex == sig.signatureHex);
    BOOST_TEST(again.mark.value_or("") == "400013293980417");
    BOOST_TEST(again.cancelledAt.value_or("") == "2024-05-10T17:00:00+03:00");
    BOOST_TEST(again.paymentAmount.cents() == sig.paymentAmount.cents());
}

BOOST_AUTO_TEST_SUITE_END()
