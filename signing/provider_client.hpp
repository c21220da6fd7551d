// Client for the provider's signing API in the mydataprovider v2 shape:
//   POST /v2/signatures, GET /v2/signatures/{id}, DELETE /v2/signatures/{id},
//   GET /v2/signatures?status=pending&page=N, with "Authorization: Bearer <token>".
#pragma once

#include "core/http_client.hpp"
#include "signing/provider_api.hpp"
#include "signing/provider_error.hpp"
#include "signing/signer.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fiscpos::signing {

class MydataProviderClient final : public Signer {
public:
    explicit MydataProviderClient(ProviderClientOptions options);

    // Errors: ProviderError for a refusal (4xx, or 5xx once recovery is over), ResponseError for a
    // 2xx that cannot be read, TransportError when no answer came (Connect: nothing was sent;
    // Exchange: the outcome is unknown, look for the signature before asking again).
    //
    // Create. When the answer is lost (TransportError with an unknown outcome, or a 5xx), it first
    // looks through the pending signatures for one with the same uid, terminal, payment amount and
    // nsp, and returns that one if found; only when none exists does it create again (once).
    ProviderSignature sign(const SignatureRequest& request) override;
    ProviderSignature find(const std::string& id) override;
    ProviderSignature cancel(const std::string& id) override;
    std::vector<ProviderSignature> listPending() override;

    // Called with a short line before each remote call ("create", "look for a lost signature"),
    // for progress and logs. Never carries the token.
    void onEvent(std::function<void(const std::string&)> listener);

private:
    core::HttpResponse send(core::HttpRequest request);
    // The record of a 2xx answer; a ProviderError for any other status.
    ProviderSignature accept(const core::HttpResponse& response) const;
    ProviderSignature withProviderId(ProviderSignature sig) const;
    // The pending signature made for this request (same uid, terminal, payment amount and nsp).
    std::optional<ProviderSignature> findLost(const SignatureRequest& request);
    // Reads the pending signatures page by page until `visit` returns true or the pages run out.
    void forEachPending(const std::function<bool(ProviderSignature&)>& visit);
    void notify(const std::string& line) const;

    ProviderClientOptions options_;
    ProviderApi api_;
    std::function<void(const std::string&)> listener_;
};

} // namespace fiscpos::signing
