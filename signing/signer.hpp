// Anything that produces provider signatures: the provider's API, or a local key.
#pragma once

#include "signing/signature.hpp"

#include <string>
#include <vector>

namespace fiscpos::signing {

class Signer {
public:
    virtual ~Signer() = default;
    // Creates a signature. Implementations must never create a second signature for the same
    // payment after a lost answer: see MydataProviderClient.
    virtual ProviderSignature sign(const SignatureRequest& request) = 0;
    virtual ProviderSignature find(const std::string& id) = 0;
    virtual ProviderSignature cancel(const std::string& id) = 0;
    // Unexpired, unreferenced signatures, newest first.
    virtual std::vector<ProviderSignature> listPending() = 0;
};

} // namespace fiscpos::signing
