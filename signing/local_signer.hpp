// Signs with the provider's own private key: for providers themselves, for UAT with test keys, and
// for the simulator. Gives the same result shape as the provider's API.
#pragma once

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"
#include "signing/ecdsa.hpp"
#include "signing/signer.hpp"

#include <map>
#include <mutex>
#include <string>

namespace fiscpos::signing {

class LocalSigner final : public Signer {
public:
    LocalSigner(PrivateKey key, std::string providerId, const core::Clock& clock,
                core::UidSeriesEncoding uidEncoding = core::UidSeriesEncoding::Iso8859_7);

    // Validates the request (InputError naming the field), computes the UID, builds the Input in
    // the layout of request.nsp with the invoice's issue instant as the signed timestamp (Athens
    // local), signs it and keeps the record in memory.
    ProviderSignature sign(const SignatureRequest& request) override;
    ProviderSignature find(const std::string& id) override;   // InputError "id" when unknown
    ProviderSignature cancel(const std::string& id) override; // sets cancelledAt
    std::vector<ProviderSignature> listPending() override;    // not cancelled, not expired

    const PublicKey& publicKey() const { return publicKey_; }

private:
    PrivateKey key_;
    PublicKey publicKey_;
    std::string providerId_;
    const core::Clock& clock_;
    core::UidSeriesEncoding uidEncoding_;
    std::mutex mutex_;
    std::map<std::string, ProviderSignature> records_; // by id
    std::vector<std::string> order_;                   // creation order
};

} // namespace fiscpos::signing
