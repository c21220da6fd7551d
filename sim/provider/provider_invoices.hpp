// The simulated provider's invoices API (contract provider-invoices.md §2–§6, §10), under the
// provider's prefix:
//   POST /v2/invoices                        201 {id, uid, mark, authentication_code, icode, url};
//                                            202 {id, uid, icode, url, transmission_failure: 2,
//                                            message: "queued"} while myDATA is "down"
//   GET  /v2/invoices?uid=U | ?mark=M        {"data": [...], "links", "meta"}
//   GET  /v2/invoices/{id or MARK}           the record; a queued invoice gets its MARK here once
//                                            myDATA is "up" again; 404 when unknown
//   POST /v2/invoices/{id or MARK}/payments  a card paid later: 201 {invoice_mark,
//                                            payment_method_mark, invoice_total,
//                                            total_paid_amount, total_unpaid_amount}
//   GET  /v2/company                         {"data": {"id", "vat_number"}}
//   POST /_control/mydata {"down": bool}     myDATA unreachable (202 and no MARK) or back
// Refusals: 403 for another company's VAT (or a payment without issuer_vat_number); 422 by field
// path for issued_at not today in Athens or in the future, a line whose net is not
// round(quantity × unit_price, 2), a type-7 payment without a signature, a signature the
// provider never made, made for another invoice or amount, cancelled, expired or used already;
// 422 on "uid" quoting it when the invoice was issued before.
#pragma once

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"
#include "signing/signer.hpp"
#include "sim/server/sim_party.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fiscpos::sim {

class ProviderInvoiceBook {
public:
    ProviderInvoiceBook(const core::Clock& clock, std::optional<std::string> companyVat,
                        core::UidSeriesEncoding uidEncoding, SimCounters& counters);

    // Whether `path` (the segments below the prefix) is this book's; then handle() answers it.
    static bool serves(const std::vector<std::string>& path);
    // `signatures` is the provider's signature store, where payments' signatures are looked up.
    SimResponse handle(const SimRequest& request, signing::Signer& signatures);
    void reset();
    // Whether an issued invoice or an added payment carries this signature: the provider then
    // lists it no longer among the pending ones.
    bool referenced(const std::string& signatureBase64) const;

private:
    struct Payment {
        core::Money amount;
        std::string signature;
        std::optional<std::string> mark; // the payment method's MARK
    };
    struct Record {
        std::string id;
        std::string uid;
        std::optional<std::string> mark;
        std::string authenticationCode;
        std::string icode;
        std::string url;
        core::Money total;
        std::vector<Payment> payments;
    };

    SimResponse issue(const SimRequest& request, signing::Signer& signatures);
    SimResponse list(const SimRequest& request);
    SimResponse read(const std::string& idOrMark);
    SimResponse addPayments(const SimRequest& request, const std::string& idOrMark,
                            signing::Signer& signatures);
    SimResponse company() const;
    SimResponse control(const SimRequest& request);

    core::Json recordJson(const Record& record) const;
    Record* find(const std::string& idOrMark);
    std::string nextMark();

    const core::Clock& clock_;
    std::optional<std::string> companyVat_;
    core::UidSeriesEncoding uidEncoding_;
    mutable std::mutex mutex_;
    std::vector<Record> records_;
    std::set<std::string> usedSignatures_;
    bool mydataDown_ = false;
    std::int64_t sequence_ = 0;
    SimCounter issued_, queued_, duplicates_, refused_, paymentsAdded_;
    // Card payments without a signature, accepted with transmission_failure 1.
    SimCounter unsignedPayments_;
};

} // namespace fiscpos::sim
