#include "etimologiera/etimologiera_signer.hpp"

#include "core/basic_authorization.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "etimologiera/provisional_api.hpp"
#include "signing/provider_error.hpp"
#include "signing/signature_text.hpp"

#include <map>
#include <vector>

namespace fiscpos::etimologiera {

namespace {

// The answer's Input, read and checked against the request and the answer itself, as a
// ProviderSignature; core::InputError naming the field otherwise.
signing::ProviderSignature signatureOf(const provisional::SimSignAnswer& answer,
                                       const signing::SignatureRequest& request,
                                       const std::string& providerId, const core::Clock& clock) {
    signing::ProviderSignature sig;
    sig.id = provisional::recordId(answer);
    sig.uid = answer.tempUid;
    sig.input = answer.signatureMessage;
    sig.nsp = request.nsp;
    sig.terminalId = request.terminalId;
    sig.paymentAmount = request.payment;
    sig.issuedAt = request.issuedAt;
    sig.providerId = providerId;
    sig.createdAt = core::athensIso8601(clock.now());
    sig.duration = signing::SignatureDuration::Hours2;
    sig.expiresAt =
        core::athensIso8601(core::toTimePoint(core::parseIso8601(request.issuedAt, "issued_at")) +
                            provisional::signatureLifetime());

    signing::Bytes der;
    try {
        der = signing::fromBase64(answer.bSignature);
        signing::checkDerSignature(der);
    } catch (const core::CryptoError& e) {
        throw core::ResponseError("response.bSignature",
                                  std::string("expected the base64 DER signature: ") + e.what());
    }
    sig.signatureBase64 = answer.bSignature;
    sig.signatureHex = signing::toHexUpper(der);

    const signing::InputLayout layout = signing::layoutFor(request.nsp);
    std::optional<signing::InputText> input;
    try {
        input.emplace(signing::InputText::parse(sig.input, layout));
    } catch (const core::InputError& e) {
        throw core::ResponseError("response.signatureMessage",
                                  "the Input is not valid in the " +
                                      std::string(signing::layoutName(layout)) +
                                      " layout of network " +
                                      std::string(signing::nspName(request.nsp)) + ": " + e.what());
    }
    const auto mismatch = [](const std::string& what, const std::string& inInput,
                             const std::string& expected) {
        throw core::ResponseError("response.signatureMessage", "the Input's " + what + " \"" +
                                                                   inInput + "\" differs from " +
                                                                   expected);
    };
    std::string upperUid = sig.uid;
    for (char& c : upperUid) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    if (input->uid() != upperUid) {
        mismatch("uid", input->uid(), "the answer's tempUid \"" + sig.uid + "\"");
    }
    if (!input->mark().empty()) {
        mismatch("MARK", input->mark(), "the empty MARK of a payment made with its invoice");
    }
    if (input->tid() != request.terminalId) {
        mismatch("terminal id", input->tid(), "the requested \"" + request.terminalId + "\"");
    }
    if (input->payable() != request.payment) {
        mismatch("payable amount", input->payable().toString(),
                 "the requested \"" + request.payment.toString() + "\"");
    }
    sig.timestamp = input->timestamp();
    return sig;
}

std::string withDetail(const provisional::ParoxosError& error) {
    std::string text = error.description;
    if (!error.details.empty() && error.details != error.description) {
        text += (text.empty() ? "" : " (") + error.details + (text.empty() ? "" : ")");
    }
    return text;
}

} // namespace

EtimologieraSigner::EtimologieraSigner(EtimologieraOptions options, const core::Clock& clock)
    : options_(std::move(options))
    , clock_(clock)
    , authorization_(core::basicAuthorization(options_.username, options_.password))
    , http_(std::make_unique<core::HttpClient>(options_.baseUrl, options_.http, "provider.url")) {}

EtimologieraSigner::~EtimologieraSigner() = default;

void EtimologieraSigner::refuse(const core::HttpResponse& response) const {
    core::Json body;
    try {
        body = core::parseJson(response.body, "e-timologiera error", core::JsonOrigin::Response);
    } catch (const core::Error&) {
        body = nullptr;
    }
    const auto error = provisional::paroxosError(body);
    const std::string status = "HTTP " + std::to_string(response.status);
    if (response.status == 401 || response.status == 403) {
        const std::string said = error ? withDetail(*error) : response.reason;
        throw signing::ProviderError(response.status,
                                     signing::ProviderError::Worded{
                                         "e-timologiera did not accept the login (" + status +
                                         "): check provider.username and provider.password" +
                                         (said.empty() ? std::string(".") : "; it said: " + said)},
                                     said, {});
    }
    if (!error) {
        throw signing::ProviderError(
            response.status,
            signing::ProviderError::Worded{
                std::string(response.status >= 500 ? "e-timologiera failed with a server error"
                                                   : "e-timologiera refused the request") +
                " (" + status + ")" +
                (response.reason.empty() ? std::string(".") : ": " + response.reason + ".")},
            response.reason, {});
    }
    const std::string field = provisional::fieldOf(*error);
    std::map<std::string, std::vector<std::string>> fieldErrors;
    std::vector<std::string> messages;
    for (const std::string* text : {&error->description, &error->details}) {
        if (!text->empty()) {
            messages.push_back(*text);
        }
    }
    fieldErrors[field.empty() ? std::string("paroxosError") : field] = messages;
    const int treatedAs = provisional::refusalStatus(response.status);
    throw signing::ProviderError(
        treatedAs,
        signing::ProviderError::Worded{
            "e-timologiera refused the signature request (" + status + ", paroxosError " +
            (error->code.empty() ? std::string("without a code") : error->code) + ")" +
            (field.empty() ? std::string() : " about " + field) + ": " + withDetail(*error) + "."},
        withDetail(*error), std::move(fieldErrors));
}

signing::ProviderSignature EtimologieraSigner::sign(const signing::SignatureRequest& request) {
    const core::Json body = provisional::createSimSignBody(request);
    core::HttpRequest call =
        core::HttpRequest::json("POST", provisional::createSimSignPath(), body);
    call.header("Authorization", authorization_).header("Accept", "application/json");
    core::HttpResponse response;
    try {
        response = http_->send(call);
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            throw;
        }
        throw core::TransportError(
            core::TransportError::Stage::Exchange,
            std::string("e-timologiera's answer to the signature request was lost (") + e.what() +
                "); it has no call to look a signature up, so none is reused: no terminal got "
                "the one it may have made, nothing can be charged with it, and the payment can "
                "be asked for again");
    }
    core::Json answerBody;
    if (!response.ok()) {
        refuse(response);
    }
    answerBody = response.json("e-timologiera signature");
    if (provisional::paroxosError(answerBody)) {
        refuse(response);
    }
    try {
        const provisional::SimSignAnswer answer = provisional::readSimSign(answerBody);
        signing::ProviderSignature sig = signatureOf(answer, request, options_.providerId, clock_);
        sig.raw = answerBody;
        return sig;
    } catch (const core::InputError& e) {
        throw signing::RefusedProviderRecord(e.field(), e.what(), core::dumpJson(answerBody));
    }
}

signing::ProviderSignature EtimologieraSigner::find(const std::string& id) {
    throw signing::CallNotOffered("e-timologiera has no call to look signature " + id +
                                  " up (its API signs only)");
}

signing::ProviderSignature EtimologieraSigner::cancel(const std::string& id) {
    throw signing::CallNotOffered(
        "e-timologiera has no call to cancel signature " + id +
        "; it was never sent to a terminal, so nothing can be charged with it, and it lapses "
        "unused");
}

std::vector<signing::ProviderSignature> EtimologieraSigner::listPending() {
    throw signing::CallNotOffered("e-timologiera has no call to list pending signatures");
}

} // namespace fiscpos::etimologiera
