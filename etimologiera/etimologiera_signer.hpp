// The e-timologiera.gr provider's signing API (kind = etimologiera): createSimSign with HTTP Basic
// auth. Every wire detail the contract does not fix is in provisional_api.hpp.
#pragma once

#include "core/clock.hpp"
#include "core/http_client.hpp"
#include "signing/signer.hpp"

#include <memory>
#include <string>

namespace fiscpos::etimologiera {

struct EtimologieraOptions {
    std::string baseUrl;  // "https://einvoicing-dev-api.etimologiera.gr" (the client adds /v4/...)
    std::string username; // HTTP Basic; never logged
    std::string password; // HTTP Basic; never logged
    // SigningAuthor: the answer carries none, so it comes from the settings.
    std::string providerId;
    core::HttpOptions http;
};

class EtimologieraSigner final : public signing::Signer {
public:
    // ConfigError naming provider.url when the URL is unusable.
    EtimologieraSigner(EtimologieraOptions options, const core::Clock& clock);
    ~EtimologieraSigner() override;

    // One createSimSign. Errors: InputError naming the field fiscpos cannot send (nspCode, mark);
    // signing::ProviderError for a refusal (401/403: the login; a paroxosError: naming the request
    // field it is about when it names one); RefusedProviderRecord (with the answer) when the
    // Input is unreadable or disagrees with the request or the answer; ResponseError for an
    // answer that cannot be read; TransportError when no answer came. A lost answer is never
    // looked for (there is no look-up call) and the request is not sent again: no terminal got
    // the signature it may have made, so nothing can be charged with it, and the payment fails
    // saying nothing was charged.
    signing::ProviderSignature sign(const signing::SignatureRequest& request) override;
    // The API has no look-up, cancel or pending list: signing::CallNotOffered, saying so.
    signing::ProviderSignature find(const std::string& id) override;
    signing::ProviderSignature cancel(const std::string& id) override;
    std::vector<signing::ProviderSignature> listPending() override;

private:
    [[noreturn]] void refuse(const core::HttpResponse& response) const;

    EtimologieraOptions options_;
    const core::Clock& clock_;
    std::string authorization_;
    std::unique_ptr<core::HttpClient> http_;
};

} // namespace fiscpos::etimologiera
