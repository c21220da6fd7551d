#include "signing/signature.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "signing/signature_text.hpp"

namespace fiscpos::signing {

namespace {

// The reason of an InputError without its "field: " prefix.
std::string reasonOf(const core::InputError& e) {
    std::string text = e.what();
    const std::string prefix = e.field() + ": ";
    if (text.starts_with(prefix)) {
        text.erase(0, prefix.size());
    }
    return text;
}

// Reads an ISO-8601 time of a provider record; a bad one is an unreadable response.
std::string requireTime(const core::JsonFields& fields, std::string_view key) {
    const std::string text = fields.requireString(key);
    try {
        core::parseIso8601(text, fields.fieldName(key));
    } catch (const core::InputError& e) {
        fields.fail(key, reasonOf(e));
    }
    return text;
}

bool isNumber(const core::Json& value) {
    return value.is_number_integer() || value.is_number_unsigned() || core::isDecimal(value);
}

} // namespace

core::Json SignatureRequest::toProviderJson() const {
    core::Json body = core::Json::object();
    body["nsp"] = static_cast<int>(nsp);
    if (mark && !mark->empty()) {
        body["mark"] = *mark;
    }
    // Keys without a value are left out so that the provider's validation names them.
    const auto putText = [&body](const char* key, const std::string& value) {
        if (!value.empty()) {
            body[key] = value;
        }
    };
    putText("issuer_vat_number", issuerVat);
    body["branch_code"] = branch;
    putText("invoice_series", series);
    putText("invoice_number", number);
    putText("invoice_issued_at", issuedAt);
    putText("invoice_type", invoiceType);
    body["invoice_net_amount"] = core::decimalNumber(net);
    body["invoice_vat_amount"] = core::decimalNumber(vat);
    body["invoice_total_amount"] = core::decimalNumber(total);
    body["payment_amount"] = core::decimalNumber(payment);
    body["duration"] = static_cast<int>(duration);
    putText("terminal_id", terminalId);
    return body;
}

ProviderSignature ProviderSignature::fromProviderJson(const core::Json& record,
                                                      std::string_view context) {
    try {
        return parseRecord(record, context);
    } catch (const core::InputError& e) {
        throw RefusedProviderRecord(e.field(), e.what(), core::dumpJson(record));
    }
}

ProviderSignature ProviderSignature::parseRecord(const core::Json& record,
                                                 std::string_view context) {
    const core::JsonFields fields(record, std::string(context), core::JsonOrigin::Response);
    const auto requireNonEmpty = [&fields](std::string_view key) {
        std::string value = fields.requireString(key);
        if (value.empty()) {
            fields.fail(key, "is empty");
        }
        return value;
    };

    ProviderSignature sig;
    sig.id = requireNonEmpty("id");
    sig.uid = requireNonEmpty("uid");
    sig.mark = fields.optionalScalarText("mark");
    if (sig.mark && sig.mark->empty()) {
        sig.mark.reset();
    }
    sig.terminalId = requireNonEmpty("terminal_id");
    if (!isNumber(fields.require("payment_amount"))) {
        fields.fail("payment_amount", "expected a number (decimal euros)");
    }
    sig.paymentAmount = fields.requireMoney("payment_amount");
    sig.expired = fields.requireBool("expired");
    const core::JsonFields nspFields = fields.requireObject("nsp");
    sig.nsp = nspFromValue(nspFields.requireInteger("value"), nspFields.fieldName("value"));
    const std::int64_t duration = fields.requireInteger("duration");
    if (duration != static_cast<int>(SignatureDuration::Hours60) &&
        duration != static_cast<int>(SignatureDuration::Hours2)) {
        fields.fail("duration",
                    "expected 1 (60 hours) or 2 (2 hours), got " + std::to_string(duration));
    }
    sig.duration = static_cast<SignatureDuration>(duration);
    sig.issuedAt = requireTime(fields, "invoice_issued_at");
    sig.expiresAt = requireTime(fields, "expires_at");
    if (!fields.isNull("cancelled_at")) {
        sig.cancelledAt = requireTime(fields, "cancelled_at");
    }
    sig.createdAt = fields.optionalString("created_at").value_or("");
    for (const char* key : {"signing_author", "provider_id"}) {
        if (auto author = fields.optionalScalarText(key); author && !author->empty()) {
            sig.providerId = *author;
            break;
        }
    }

    // The signature: base64 DER in signed_text, the same bytes in hex in signature_hex.
    const std::string signedText = requireNonEmpty("signed_text");
    Bytes der;
    try {
        der = fromBase64(signedText);
        checkDerSignature(der);
    } catch (const core::CryptoError& e) {
        fields.fail("signed_text", std::string("expected the base64 DER signature: ") + e.what());
    }
    const std::string signatureHex = requireNonEmpty("signature_hex");
    Bytes hexDer;
    try {
        hexDer = fromHex(signatureHex);
    } catch (const core::CryptoError& e) {
        fields.fail("signature_hex", e.what());
    }
    if (hexDer != der) {
        fields.fail("signature_hex", "is not the same signature as signed_text");
    }
    sig.signatureBase64 = signedText;
    sig.signatureHex = toHexUpper(der);

    // The Input, in the layout of the record's network, and agreeing with the record.
    sig.input = fields.requireString("unsigned_text");
    const InputLayout layout = layoutFor(sig.nsp);
    std::optional<InputText> input;
    try {
        input.emplace(InputText::parse(sig.input, layout));
    } catch (const core::InputError& e) {
        fields.fail("unsigned_text", "the Input is not valid in the " +
                                         std::string(layoutName(layout)) + " layout of nsp " +
                                         std::to_string(static_cast<int>(sig.nsp)) + ": " +
                                         e.what());
    }
    const auto mismatch = [&](const std::string& what, const std::string& inInput,
                              const std::string& inRecord) {
        fields.fail("unsigned_text", "the Input's " + what + " \"" + inInput +
                                         "\" differs from the record's \"" + inRecord + "\"");
    };
    std::string upperUid = sig.uid;
    for (char& c : upperUid) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    if (input->uid() != upperUid) {
        mismatch("uid", input->uid(), sig.uid);
    }
    if (input->mark() != sig.mark.value_or("")) {
        mismatch("MARK", input->mark(), sig.mark.value_or(""));
    }
    if (input->tid() != sig.terminalId) {
        mismatch("terminal id", input->tid(), sig.terminalId);
    }
    if (input->payable() != sig.paymentAmount) {
        mismatch("payable amount", input->payable().toString(), sig.paymentAmount.toString());
    }
    sig.timestamp = input->timestamp();
    if (auto timestamp = fields.optionalString("timestamp");
        timestamp && *timestamp != sig.timestamp) {
        mismatch("timestamp", sig.timestamp, *timestamp);
    }
    sig.raw = record;
    return sig;
}

core::Json ProviderSignature::toProviderJson() const {
    core::Json out = raw.is_object() ? raw : core::Json::object();
    const InputText text = inputText();
    out["id"] = id;
    out["uid"] = uid;
    out["mark"] = mark ? core::Json(*mark) : core::Json(nullptr);
    out["invoice_issued_at"] = issuedAt;
    out["invoice_net_amount"] = core::decimalNumber(text.net());
    out["invoice_vat_amount"] = core::decimalNumber(text.vat());
    out["invoice_total_amount"] = core::decimalNumber(text.total());
    out["payment_amount"] = core::decimalNumber(paymentAmount);
    out["nsp"] = {{"name", std::string(providerNspName(nsp))}, {"value", static_cast<int>(nsp)}};
    out["duration"] = static_cast<int>(duration);
    out["expires_at"] = expiresAt;
    out["expired"] = expired;
    out["terminal_id"] = terminalId;
    out["unsigned_text"] = input;
    out["signed_text"] = signatureBase64;
    out["signature_hex"] = signatureHex;
    out["timestamp"] = timestamp;
    if (!createdAt.empty()) {
        out["created_at"] = createdAt;
    }
    out["cancelled_at"] = cancelledAt ? core::Json(*cancelledAt) : core::Json(nullptr);
    if (!providerId.empty()) {
        out["signing_author"] = providerId;
    }
    return out;
}

InputText ProviderSignature::inputText() const {
    return InputText::parse(input, layoutFor(nsp));
}

core::SignedPayment ProviderSignature::toSignedPayment(const std::string& networkProviderId) const {
    const InputText parsed = inputText();
    core::SignedPayment payment;
    payment.input = input;
    payment.signatureBase64 = signatureBase64;
    payment.providerId = networkProviderId.empty() ? providerId : networkProviderId;
    payment.uid = parsed.uid();
    payment.mark = parsed.mark();
    payment.timestamp = parsed.timestamp();
    payment.net = parsed.net();
    payment.vat = parsed.vat();
    payment.total = parsed.total();
    payment.payable = parsed.payable();
    payment.tid = parsed.tid();
    return payment;
}

} // namespace fiscpos::signing
