#include "sim/viva/viva_aade.hpp"

#include "core/errors.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"
#include "sim/viva/viva_records.hpp"

namespace fiscpos::sim::viva {

using core::Json;

int checkAade(const Json& body, core::Money amount, const std::string& terminalId, bool required,
              const AadeTrust& trust, std::string& why) {
    const auto text = [&body](const char* key) {
        const auto it = body.find(key);
        if (it == body.end() || it->is_null()) {
            return std::string();
        }
        return it->is_string() ? it->get<std::string>() : core::dumpJson(*it);
    };
    std::string missing;
    bool any = false;
    for (const char* key : aadeKeys) {
        if (text(key).empty()) {
            missing += missing.empty() ? key : std::string(", ") + key;
        } else {
            any = true;
        }
    }
    if (!any && !required) {
        return events::ok;
    }
    if (!missing.empty()) {
        why = "missing " + missing;
        return events::aadeMissing;
    }
    const std::string providerId = text("aadeProviderId");
    const std::string data = text("aadeProviderSignatureData");
    if (!trust.providerIds.empty() && trust.providerIds.count(providerId) == 0) {
        why = "aadeProviderId " + providerId + " is not a provider this account accepts";
        return events::signatureFailed;
    }
    signing::Bytes der;
    try {
        der = signing::fromBase64(text("aadeProviderSignature"));
        signing::checkDerSignature(der);
    } catch (const core::CryptoError& e) {
        why = std::string("aadeProviderSignature is not a base64 DER ECDSA signature: ") + e.what();
        return events::signatureFailed;
    }
    if (!trust.providerKey.verify(data, der)) {
        why = "aadeProviderSignature does not verify over aadeProviderSignatureData \"" + data +
              "\" with the provider's public key";
        return events::signatureFailed;
    }
    try {
        const auto input = signing::InputText::parse(data, signing::InputLayout::Viva);
        if (input.payable() != amount) {
            why = "the Input's Payable " + std::to_string(input.payable().cents()) +
                  " is not the amount " + std::to_string(amount.cents());
            return events::aadeMismatch;
        }
        if (input.tid() != terminalId) {
            why = "the Input's TID " + input.tid() + " is not the terminal " + terminalId;
            return events::aadeMismatch;
        }
    } catch (const core::InputError& e) {
        why = std::string("aadeProviderSignatureData is not a Viva-layout Input "
                          "(UID;MARK;YYYYMMDDhhmmss;Payable;Net;VAT;Total;TID): ") +
              e.what();
        return events::aadeMismatch;
    }
    return events::ok;
}

} // namespace fiscpos::sim::viva
