// The provider's API as every mydataprovider v2 call reaches it: the base URL, the bearer token
// and the client's name on each request, and the provider's refusals read into a ProviderError.
// The signing client (provider_client.hpp) and the invoices client (provider_invoices.hpp) share
// it.
#pragma once

#include "core/http_client.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace fiscpos::signing {

struct ProviderClientOptions {
    std::string baseUrl; // "https://sandbox-api.mydataprovider.gr" (the client appends /v2/...)
    std::string token;   // never logged
    core::HttpOptions http;
    std::string clientName = "fiscpos"; // X-Client header
    // SigningAuthor to report when the provider's record carries none.
    std::string providerId;
};

class ProviderApi {
public:
    // ConfigError naming provider.url or provider.token when either is unusable.
    explicit ProviderApi(const ProviderClientOptions& options);

    // Sends `request` with "Authorization: Bearer", "Accept: application/json" and "X-Client".
    core::HttpResponse send(core::HttpRequest request, const core::HttpObserver& record = {});

    // The provider's refusal, with its `message` and (on 422) its `errors` per field. The body of
    // an error need not be JSON; what can be read of it is kept, redacted.
    [[noreturn]] static void refuse(const core::HttpResponse& response);
    // One path segment of a record's id, percent-encoded; InputError naming `what` when empty.
    static std::string segment(const std::string& id, std::string_view what);

private:
    std::string token_;
    std::string client_;
    std::unique_ptr<core::HttpClient> http_;
};

} // namespace fiscpos::signing
