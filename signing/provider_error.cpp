#include "signing/provider_error.hpp"

namespace fiscpos::signing {

namespace {

std::string codeFor(int status) {
    switch (status) {
    case 401:
    case 403:
        return "provider_auth";
    case 404:
        return "provider_not_found";
    case 422:
        return "provider_validation";
    default:
        return "provider_status";
    }
}

std::string leadFor(int status) {
    switch (status) {
    case 401:
        return "The provider did not accept the API token (check provider.token; it may be wrong "
               "or expired)";
    case 403:
        return "The provider refused the request for this company (the token may not sign for "
               "that issuer VAT number)";
    case 404:
        return "The provider has no such record";
    case 422:
        return "The provider rejected the request as invalid";
    default:
        if (status >= 500) {
            return "The provider failed with a server error";
        }
        return "The provider refused the request";
    }
}

std::string describe(int status, const std::string& providerMessage,
                     const std::map<std::string, std::vector<std::string>>& fieldErrors) {
    std::string text = leadFor(status) + " (HTTP " + std::to_string(status) + ")";
    if (!providerMessage.empty()) {
        text += ": " + providerMessage;
    }
    if (!fieldErrors.empty()) {
        text += providerMessage.empty() ? ": " : " ";
        text += "Field errors: ";
        bool firstField = true;
        for (const auto& [field, messages] : fieldErrors) {
            text += firstField ? "" : "; ";
            firstField = false;
            text += field + ": ";
            bool firstMessage = true;
            for (const auto& message : messages) {
                text += firstMessage ? "" : ", ";
                firstMessage = false;
                text += message;
            }
        }
    }
    if (!text.ends_with('.')) {
        text += '.';
    }
    return text;
}

} // namespace

ProviderError::ProviderError(int status, std::string providerMessage,
                             std::map<std::string, std::vector<std::string>> fieldErrors)
    : core::Error(codeFor(status), describe(status, providerMessage, fieldErrors))
    , status_(status)
    , providerMessage_(std::move(providerMessage))
    , fieldErrors_(std::move(fieldErrors)) {}

ProviderError::ProviderError(int status, Worded sentence, std::string providerMessage,
                             std::map<std::string, std::vector<std::string>> fieldErrors)
    : core::Error(codeFor(status), sentence.sentence)
    , status_(status)
    , providerMessage_(std::move(providerMessage))
    , fieldErrors_(std::move(fieldErrors)) {}

} // namespace fiscpos::signing
