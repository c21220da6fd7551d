// Anything that produces provider signatures: the provider's API, or a local key.
#pragma once

#include "core/errors.hpp"
#include "signing/signature.hpp"

#include <string>
#include <vector>

namespace fiscpos::signing {

// The provider's API has no such call (a look-up, a cancel, a list of pending signatures): a Signer
// says so rather than pretend it asked. code(): "provider_call_missing".
class CallNotOffered : public core::Error {
public:
    explicit CallNotOffered(const std::string& message)
        : core::Error("provider_call_missing", message) {}
};

class Signer {
public:
    virtual ~Signer() = default;
    // Creates a signature. Implementations must never create a second signature for the same
    // payment after a lost answer: see MydataProviderClient.
    virtual ProviderSignature sign(const SignatureRequest& request) = 0;
    // These three throw CallNotOffered when the provider's API lacks them.
    virtual ProviderSignature find(const std::string& id) = 0;
    virtual ProviderSignature cancel(const std::string& id) = 0;
    // Unexpired, unreferenced signatures, newest first.
    virtual std::vector<ProviderSignature> listPending() = 0;
};

} // namespace fiscpos::signing
