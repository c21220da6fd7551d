#include "signing/local_signer.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "signing/signature_text.hpp"

#include <algorithm>
#include <chrono>

namespace fiscpos::signing {

namespace {

void requireNonEmpty(const std::string& value, const char* field, const char* what) {
    if (value.empty()) {
        throw core::InputError(field, std::string(what) + " is empty");
    }
}

// Checks the request the way the provider would before signing; errors name the field.
core::CivilTime validate(const SignatureRequest& request) {
    if (request.issuerVat.size() != 9 || !core::allDigits(request.issuerVat)) {
        throw core::InputError("issuer_vat", "\"" + request.issuerVat +
                                                 "\" is not a Greek VAT number (9 digits)");
    }
    if (request.branch < 0) {
        throw core::InputError("branch", "the branch number must not be negative");
    }
    requireNonEmpty(request.invoiceType, "invoice_type", "the invoice type");
    requireNonEmpty(request.series, "series", "the invoice series");
    requireNonEmpty(request.number, "number", "the invoice number (aa)");
    const core::CivilTime issued = core::parseIso8601(request.issuedAt, "issued_at");
    requireNonEmpty(request.terminalId, "terminal_id", "the terminal id");
    for (char c : request.terminalId) {
        if (c == ';' || c < 0x21 || c > 0x7E) {
            throw core::InputError("terminal_id",
                                   "\"" + request.terminalId +
                                       "\" must be printable ASCII without spaces or ';'");
        }
    }
    if (request.mark && !request.mark->empty() && !core::allDigits(*request.mark)) {
        throw core::InputError("mark", "\"" + *request.mark + "\" is not a MARK (digits only)");
    }
    const std::pair<core::Money, const char*> totals[] = {
        {request.net, "net"}, {request.vat, "vat"}, {request.total, "total"}};
    for (const auto& [amount, field] : totals) {
        if (amount.cents() < 0) {
            throw core::InputError(field, "the amount " + amount.toString() + " is negative");
        }
    }
    if (request.payment.cents() <= 0) {
        throw core::InputError("payment", "the payment amount " + request.payment.toString() +
                                              " must be greater than zero");
    }
    return issued;
}

std::string newSignatureId() {
    std::string id = "SIG";
    for (char c : core::newUuid()) {
        if (c != '-') {
            id += static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
        }
    }
    return id;
}

// Brings `expired`, `seconds_until_expiration` and the record JSON up to `now`.
void refresh(ProviderSignature& sig, core::TimePoint now) {
    const core::TimePoint expiry =
        core::toTimePoint(core::parseIso8601(sig.expiresAt, "expires_at"));
    sig.expired = now >= expiry;
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(expiry - now).count();
    sig.raw["seconds_until_expiration"] = std::max<std::int64_t>(0, left);
    sig.raw = sig.toProviderJson();
}

ProviderSignature& lookup(std::map<std::string, ProviderSignature>& records,
                          const std::string& id) {
    auto it = records.find(id);
    if (it == records.end()) {
        throw core::InputError("id", "no provider signature with id \"" + id + "\"");
    }
    return it->second;
}

} // namespace

LocalSigner::LocalSigner(PrivateKey key, std::string providerId, const core::Clock& clock,
                         core::UidSeriesEncoding uidEncoding)
    : key_(std::move(key))
    , publicKey_(key_.publicKey())
    , providerId_(std::move(providerId))
    , clock_(clock)
    , uidEncoding_(uidEncoding) {}

ProviderSignature LocalSigner::sign(const SignatureRequest& request) {
    const core::CivilTime issued = validate(request);
    const core::TimePoint issuedAt = core::toTimePoint(issued);
    const std::string uid =
        core::invoiceUid({request.issuerVat, core::isoDate(issued), request.branch,
                          request.invoiceType, request.series, request.number},
                         uidEncoding_);
    const std::string mark = request.mark.value_or("");
    const InputText input({uid, mark, core::athensTimestamp(issuedAt), request.net, request.vat,
                           request.total, request.payment, request.terminalId},
                          layoutFor(request.nsp));

    ProviderSignature sig;
    sig.input = input.toString();
    const Bytes der = key_.sign(sig.input);
    sig.id = newSignatureId();
    sig.uid = uid;
    if (!mark.empty()) {
        sig.mark = mark;
    }
    sig.signatureBase64 = toBase64(der);
    sig.signatureHex = toHexUpper(der);
    sig.providerId = providerId_;
    sig.timestamp = input.timestamp();
    sig.terminalId = request.terminalId;
    sig.paymentAmount = request.payment;
    sig.nsp = request.nsp;
    sig.issuedAt = request.issuedAt;
    sig.duration = request.duration;
    sig.expiresAt = core::athensIso8601(issuedAt + signatureLifetime(request.duration));
    const core::TimePoint now = clock_.now();
    sig.createdAt = core::athensIso8601(now);
    sig.raw = core::Json{{"branch_code", request.branch},
                         {"invoice_series", request.series},
                         {"invoice_number", request.number},
                         {"invoice_type", request.invoiceType}};
    refresh(sig, now);

    std::lock_guard lock(mutex_);
    records_.emplace(sig.id, sig);
    order_.push_back(sig.id);
    return sig;
}

ProviderSignature LocalSigner::find(const std::string& id) {
    std::lock_guard lock(mutex_);
    ProviderSignature& sig = lookup(records_, id);
    refresh(sig, clock_.now());
    return sig;
}

ProviderSignature LocalSigner::cancel(const std::string& id) {
    std::lock_guard lock(mutex_);
    ProviderSignature& sig = lookup(records_, id);
    const core::TimePoint now = clock_.now();
    if (!sig.cancelledAt) {
        sig.cancelledAt = core::athensIso8601(now);
    }
    refresh(sig, now);
    return sig;
}

std::vector<ProviderSignature> LocalSigner::listPending() {
    std::lock_guard lock(mutex_);
    const core::TimePoint now = clock_.now();
    std::vector<ProviderSignature> out;
    for (auto id = order_.rbegin(); id != order_.rend(); ++id) {
        ProviderSignature& sig = records_.at(*id);
        refresh(sig, now);
        if (!sig.cancelledAt && !sig.expired) {
            out.push_back(sig);
        }
    }
    return out;
}

} // namespace fiscpos::signing
