#include "cli/commands/signature_view.hpp"

namespace fiscpos::cli {

void showSignature(Output& out, const signing::ProviderSignature& signature) {
    out.field("record", signature.id);
    out.field("Input", signature.input);
    out.field("Signature", signature.signatureBase64);
    out.field("hex", signature.signatureHex);
    out.field("provider id", signature.providerId.empty() ? "(not given)" : signature.providerId);
    out.field("expires", signature.expiresAt);
}

core::Json signatureJson(const signing::ProviderSignature& signature) {
    return {{"id", signature.id},
            {"uid", signature.uid},
            {"input", signature.input},
            {"signature", signature.signatureBase64},
            {"signature_hex", signature.signatureHex},
            {"provider_id", signature.providerId},
            {"terminal_id", signature.terminalId},
            {"nsp", std::string(signing::nspName(signature.nsp))},
            {"payment_amount", signature.paymentAmount.toString()},
            {"expires_at", signature.expiresAt}};
}

} // namespace fiscpos::cli
