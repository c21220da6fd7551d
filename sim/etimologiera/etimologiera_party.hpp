// The simulated e-timologiera.gr provider: its createSimSign under /etimologiera.
//   POST /etimologiera/v4/createSimSign   200 {"response": {"tempUid", "signatureMessage",
//                                         "bSignature", "hSignature", "paroxosError": null}}
// Every call needs "Authorization: Basic base64(user:password)" (401 with a paroxosError
// otherwise). A field that is missing or wrong is answered 200 with response.paroxosError
// {code "102", description, details "<field>: <reason>"}, the first such field only. The
// signature is made like /provider's (signing::LocalSigner with the simulated provider's key): the
// invoice's UID from the fields, with externalSystemId as the invoice's number, as tempUid, and
// the Input in the layout of the network nspCode names (01 webecr, 02 viva, 03 epay-softpos).
//   POST /etimologiera/_control/skew      {"payment_cents": N, "external_system_id": "X"}: the
//                                         signatures made from now on sign N cents more (or less)
//                                         than asked and/or the UID of invoice number X; {} undoes
//                                         it (so does POST /_sim/reset)
// /_sim/stats "etimologiera": signatures_created, unauthenticated, invalid, and "received": the
// createSimSign bodies received, oldest first (the last 100).
#pragma once

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"
#include "core/json.hpp"
#include "signing/ecdsa.hpp"
#include "signing/local_signer.hpp"
#include "sim/server/sim_party.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::sim {

struct EtimologieraPartyOptions {
    std::string prefix = "/etimologiera";
    std::string username = "sim-etimologiera";
    std::string password = "sim-etimologiera-password";
    core::UidSeriesEncoding uidEncoding = core::UidSeriesEncoding::Iso8859_7;
};

class EtimologieraParty final : public SimPartyBase {
public:
    // ConfigError naming etimologiera.username / etimologiera.password when either is empty.
    EtimologieraParty(signing::PrivateKey key, EtimologieraPartyOptions options,
                      const core::Clock& clock);

    SimResponse handle(const SimRequest& request) override;

private:
    struct Skew {
        std::int64_t paymentCents = 0;
        std::optional<std::string> number;
    };

    void resetRecords() override;
    core::Json recordStats() const override;
    SimResponse createSimSign(const SimRequest& request);
    SimResponse skew(const SimRequest& request);

    signing::PrivateKey key_;
    EtimologieraPartyOptions options_;
    const core::Clock& clock_;
    mutable std::mutex mutex_; // guards signer_, requests_ and skew_
    std::unique_ptr<signing::LocalSigner> signer_;
    std::deque<core::Json> requests_;
    Skew skew_;
    SimCounter created_{counters_, "signatures_created"},
        unauthenticated_{counters_, "unauthenticated"}, invalid_{counters_, "invalid"};
};

} // namespace fiscpos::sim
