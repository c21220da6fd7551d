#include "viva/viva_requests.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::viva {

namespace {

using core::Json;

constexpr std::string_view referencePrefix = "fiscpos:";
constexpr std::size_t maxSessionId = 64;

using core::allDigits;

std::string currencyText(int code) {
    std::string text = std::to_string(code);
    while (text.size() < 3) {
        text.insert(text.begin(), '0');
    }
    return text;
}

// What every transaction body carries.
Json commonBody(const TransactionRequest& request, const VivaSettings& settings) {
    requireSessionId(request.sessionId, "sessionId");
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    Json body{{"sessionId", request.sessionId},
              {"terminalId", settings.deviceTerminalId()},
              {"cashRegisterId", settings.cashRegister},
              {"amount", request.amount.cents()},
              {"currencyCode", currencyText(settings.currencyCode)},
              {"merchantReference", request.merchantReference.empty()
                                        ? merchantReferenceFor(request.sessionId)
                                        : request.merchantReference}};
    const std::string& customerTrns =
        request.customerTrns.empty() ? settings.customerText : request.customerTrns;
    if (!customerTrns.empty()) {
        body["customerTrns"] = customerTrns;
    }
    return body;
}

void addParent(Json& body, const TransactionRequest& request) {
    requireSessionId(request.parentSessionId, "parentSessionId");
    body["parentSessionId"] = request.parentSessionId;
}

void addAade(Json& body, const TransactionRequest& request) {
    if (!request.aade) {
        return;
    }
    const AadeSignature& aade = *request.aade;
    if (!allDigits(aade.providerId)) {
        throw core::InputError("aadeProviderId",
                               "\"" + aade.providerId +
                                   "\" is not the provider's numeric id on Viva (provider_id)");
    }
    if (aade.signatureData.empty()) {
        throw core::InputError("aadeProviderSignatureData", "the provider's Input is missing");
    }
    if (aade.signature.empty()) {
        throw core::InputError("aadeProviderSignature", "the provider's signature is missing");
    }
    body["aadeProviderId"] = aade.providerId;
    body["aadeProviderSignatureData"] = aade.signatureData;
    body["aadeProviderSignature"] = aade.signature;
}

} // namespace

std::string merchantReferenceFor(const std::string& reference) {
    return std::string(referencePrefix) + reference;
}

std::optional<std::string> referenceFromMerchantReference(std::string_view merchantReference) {
    if (!merchantReference.starts_with(referencePrefix)) {
        return std::nullopt;
    }
    const std::string_view reference = merchantReference.substr(referencePrefix.size());
    if (!isSessionId(reference)) {
        return std::nullopt;
    }
    return std::string(reference);
}

void requireSessionId(const std::string& reference, const std::string& field) {
    if (!isSessionId(reference)) {
        throw core::InputError(field, "\"" + reference +
                                          "\" cannot be a Viva sessionId or reference (1 to 64 "
                                          "letters, digits, '-', '_' or '.')");
    }
}

bool isSessionId(std::string_view reference) {
    return !reference.empty() && reference.size() <= maxSessionId &&
           std::all_of(reference.begin(), reference.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
           });
}

Json saleBody(const TransactionRequest& request, const VivaSettings& settings) {
    Json body = commonBody(request, settings);
    if (request.tip.cents() < 0) {
        throw core::InputError("tip", request.tip.toString() + " is negative");
    }
    if (request.preauth && request.tip.cents() != 0) {
        throw core::InputError("tip", "a pre-authorisation cannot carry a tip (Viva refuses it)");
    }
    if (request.maxInstalments < 0 || request.maxInstalments > 99) {
        throw core::InputError("instalments", std::to_string(request.maxInstalments) +
                                                  " is not a number of instalments (0 to 99)");
    }
    body["tipAmount"] = request.tip.cents();
    body["preauth"] = request.preauth;
    body["maxInstalments"] = request.maxInstalments;
    if (request.iris) {
        if (request.preauth) {
            throw core::InputError("iris", "an IRIS payment cannot be a pre-authorisation");
        }
        body["paymentMethod"] = "IRIS";
    }
    if (request.preloadHours) {
        // Load now, pay later (contract viva-cloud-terminal.md §6; aade-autonomous-iris-preload.md
        // §C): the duration counts in hours.
        body["aadePreloaded"] = true;
        body["aadePreloadedDuration"] = *request.preloadHours;
    }
    addAade(body, request);
    return body;
}

Json refundBody(const TransactionRequest& request, const VivaSettings& settings) {
    Json body = commonBody(request, settings);
    addParent(body, request);
    addAade(body, request);
    return body;
}

Json unreferencedRefundBody(const TransactionRequest& request, const VivaSettings& settings) {
    if (!request.parentSessionId.empty()) {
        throw core::InputError("parentSessionId", "an unreferenced refund names no sale");
    }
    Json body = commonBody(request, settings);
    addAade(body, request);
    return body;
}

Json preauthCompletionBody(const TransactionRequest& request, const VivaSettings& settings) {
    // The refund's fields: the parent, and the signature when given.
    return refundBody(request, settings);
}

} // namespace fiscpos::viva
