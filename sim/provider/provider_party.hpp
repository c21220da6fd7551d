// The simulated e-invoicing provider: the mydataprovider v2 signing API under /provider, and its
// invoices API (sim/provider/provider_invoices.hpp).
//   POST   /provider/v2/signatures                       201 with the record
//   GET    /provider/v2/signatures/{id}                  200 with the record, 404 when unknown
//   DELETE /provider/v2/signatures/{id}                  200 with cancelled_at set; 404 unknown,
//                                                        409 when already cancelled
//   GET    /provider/v2/signatures?status=pending&page=N {"data": [...], "links", "meta"}
// Every call needs "Authorization: Bearer <token>" (401 {"message": "Unauthenticated."}). A create
// for another company's VAT is refused with 403 before its fields are validated; invalid fields
// give 422 {"message": ..., "errors": {"<field>": [...]}}. Signatures are made with the private key
// it is given (Mellon's published test key works) in the Input layout of the requested network.
#pragma once

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"
#include "signing/ecdsa.hpp"
#include "signing/local_signer.hpp"
#include "sim/provider/provider_invoices.hpp"
#include "sim/server/sim_party.hpp"

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::sim {

struct ProviderPartyOptions {
    std::string prefix = "/provider";
    std::string token = "sim-token";
    std::string providerId = "999"; // the signing_author of every record
    // When set, creates for any other issuer_vat_number are refused with 403.
    std::optional<std::string> companyVat;
    std::size_t pageSize = 100; // records per page of the pending list
    core::UidSeriesEncoding uidEncoding = core::UidSeriesEncoding::Iso8859_7;
};

class ProviderParty final : public SimPartyBase {
public:
    // ConfigError naming "provider.token" / "provider.page_size" on an empty token or page size 0.
    ProviderParty(signing::PrivateKey key, ProviderPartyOptions options, const core::Clock& clock);

    SimResponse handle(const SimRequest& request) override;

private:
    void resetRecords() override;

    SimResponse create(const SimRequest& request);
    SimResponse find(const std::string& id);
    SimResponse cancel(const std::string& id);
    SimResponse listPending(const SimRequest& request);

    signing::PrivateKey key_;
    ProviderPartyOptions options_;
    const core::Clock& clock_;
    mutable std::mutex mutex_; // guards signer_ (replaced on reset) and cancellations
    std::unique_ptr<signing::LocalSigner> signer_;
    // stats(): signatures_created, signatures_cancelled, unauthenticated, forbidden, invalid
    SimCounter created_{counters_, "signatures_created"},
        cancelled_{counters_, "signatures_cancelled"},
        unauthenticated_{counters_, "unauthenticated"}, forbidden_{counters_, "forbidden"},
        invalid_{counters_, "invalid"};
    ProviderInvoiceBook invoices_{clock_, options_.companyVat, options_.uidEncoding, counters_};
};

} // namespace fiscpos::sim
