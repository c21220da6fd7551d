// What the ERP asks the provider to sign, and what the provider gives back.
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"
#include "core/terminal.hpp"
#include "signing/input_text.hpp"
#include "signing/nsp.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::signing {

// Signature lifetime of mydataprovider v2: 1 = 60 hours, 2 = 2 hours.
enum class SignatureDuration { Hours60 = 1, Hours2 = 2 };
// 60 or 2 hours.
inline std::chrono::hours signatureLifetime(SignatureDuration duration) {
    return duration == SignatureDuration::Hours60 ? std::chrono::hours(60) : std::chrono::hours(2);
}

struct SignatureRequest {
    Nsp nsp = Nsp::WebEcr;
    std::optional<std::string> mark; // only for a payment on an already transmitted invoice
    std::string issuerVat;
    int branch = 0;
    std::string series;
    std::string number;   // myDATA aa
    std::string issuedAt; // ISO-8601 with offset, the instant the invoice carries
    std::string invoiceType;
    core::Money net, vat, total; // the document's totals
    core::Money payment;         // this card payment
    SignatureDuration duration = SignatureDuration::Hours2;
    std::string terminalId; // the TID the network knows

    // The mydataprovider v2 create body (amounts as exact decimal numbers, absent keys omitted).
    core::Json toProviderJson() const;
};

// The provider answered with a signature record that fiscpos refuses (a required field missing,
// an Input that disagrees with the record): the record itself is the evidence that the provider
// signed something else, and the journal keeps it.
class RefusedProviderRecord : public core::ResponseError {
public:
    RefusedProviderRecord(std::string field, const std::string& message, std::string record)
        : core::ResponseError(Verbatim{}, std::move(field), message)
        , record_(std::move(record)) {}
    // The record as received (JSON text).
    const std::string& record() const noexcept { return record_; }

private:
    std::string record_;
};

struct ProviderSignature {
    std::string id;                  // the provider's record id
    std::string uid;                 // the invoice UID the signature was made for
    std::optional<std::string> mark; // the invoice MARK in the deferred flow
    std::string input;               // the signed clear text, verbatim
    std::string signatureBase64;     // DER, base64: what myDATA and Viva take
    std::string signatureHex;        // DER, uppercase hex
    std::string providerId;          // SigningAuthor (may be empty when the provider does not say)
    std::string timestamp;           // YYYYMMDDhhmmss of the Input
    std::string terminalId;
    core::Money paymentAmount;
    Nsp nsp = Nsp::WebEcr;
    std::string issuedAt; // ISO-8601 with offset: the invoice issue instant it was made for
    SignatureDuration duration = SignatureDuration::Hours2;
    std::string expiresAt; // ISO-8601 with offset
    bool expired = false;
    std::string createdAt; // ISO-8601 with offset; empty when the provider does not say
    std::optional<std::string> cancelledAt;
    core::Json raw; // the provider's record as received, for the journal

    // Reads a mydataprovider v2 record. Every field the contract requires must be there with its
    // type, the Input must parse in the layout of its nsp and agree with the record (uid, mark,
    // timestamp, payment amount, terminal), and signed_text (base64) and signature_hex must be the
    // same DER signature; otherwise a RefusedProviderRecord (a ResponseError's field and message,
    // with the record) naming the field ("<context>.<key>"). Never a half-built signature. The
    // provider id is read from "signing_author" or "provider_id" when the record has one.
    static ProviderSignature fromProviderJson(const core::Json& record,
                                              std::string_view context = "signature");
    // fromProviderJson without the record in the error.
    static ProviderSignature parseRecord(const core::Json& record, std::string_view context);
    // The record in the mydataprovider v2 shape (what the simulator serves): the fields above,
    // over any other fields of `raw` (branch_code, invoice_series, ... echoes), plus
    // "signing_author" when providerId is set.
    core::Json toProviderJson() const;
    // The Input parsed in the layout of nsp.
    InputText inputText() const;
    // The signature as a network carries it (core::SignedPayment): the Input verbatim and its
    // parts. `networkProviderId` is the provider's id on that network; empty keeps providerId.
    core::SignedPayment toSignedPayment(const std::string& networkProviderId) const;
};

} // namespace fiscpos::signing
