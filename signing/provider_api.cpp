#include "signing/provider_api.hpp"

#include "core/body_quote.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/url_encoding.hpp"
#include "signing/provider_error.hpp"

#include <map>
#include <vector>

namespace fiscpos::signing {

namespace {

std::string messageText(const core::Json& message) {
    return core::redactSecrets(message.is_string() ? message.get<std::string>()
                                                   : core::dumpJson(message));
}

} // namespace

ProviderApi::ProviderApi(const ProviderClientOptions& options)
    : token_(options.token)
    , client_(options.clientName)
    , http_(std::make_unique<core::HttpClient>(options.baseUrl, options.http, "provider.url")) {
    if (token_.empty()) {
        throw core::ConfigError("provider.token", "the provider's API token is empty");
    }
    if (client_.find('/') == std::string::npos) {
        client_ += "/" FISCPOS_VERSION;
    }
}

core::HttpResponse ProviderApi::send(core::HttpRequest request, const core::HttpObserver& record) {
    request.header("Authorization", "Bearer " + token_)
        .header("Accept", "application/json")
        .header("X-Client", client_);
    return http_->send(request, record);
}

void ProviderApi::refuse(const core::HttpResponse& response) {
    std::string message;
    std::map<std::string, std::vector<std::string>> fieldErrors;
    core::Json body;
    try {
        body = core::parseJson(response.body, "provider error", core::JsonOrigin::Response);
    } catch (const core::Error&) {
        body = nullptr;
    }
    if (body.is_object()) {
        if (auto it = body.find("message"); it != body.end() && it->is_string()) {
            message = core::redactSecrets(it->get<std::string>());
        }
        if (auto it = body.find("errors"); it != body.end() && it->is_object()) {
            for (const auto& [field, messages] : it->items()) {
                auto& list = fieldErrors[field];
                if (messages.is_array()) {
                    for (const auto& m : messages) {
                        list.push_back(messageText(m));
                    }
                } else {
                    list.push_back(messageText(messages));
                }
            }
        }
    }
    if (message.empty() && !response.reason.empty()) {
        message = response.reason;
    }
    throw ProviderError(response.status, message, std::move(fieldErrors));
}

std::string ProviderApi::segment(const std::string& id, std::string_view what) {
    if (id.empty()) {
        throw core::InputError(std::string(what), "the provider's record id is empty");
    }
    return core::percentEncoded(id);
}

} // namespace fiscpos::signing
