// Client for the provider's invoices API in the mydataprovider v2 shape (contract
// provider-invoices.md): the provider transmits the invoice to myDATA and answers with its MARK,
// UID, authentication code and the receipt link.
//   POST /v2/invoices                      issue: 201 transmitted, 202 issued and queued (no MARK)
//   GET  /v2/invoices?uid=UID              look up by the invoice UID
//   GET  /v2/invoices/{id or MARK}         read one (a queued invoice's MARK arrives here)
//   POST /v2/invoices/{id or MARK}/payments  a card paid later, added to an issued invoice
//   GET  /v2/company                       the token's company (its VAT number)
// Errors: ProviderError for a refusal (4xx; 423/429/5xx are retryable()), ResponseError for a 2xx
// that cannot be read, TransportError when no answer came (Exchange: the outcome is unknown).
#pragma once

#include "core/http_client.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "signing/provider_api.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::signing {

// The provider's record of an issued invoice.
struct IssuedInvoice {
    std::string id;                                // the provider's record id
    std::string uid;                               // the myDATA invoice UID
    std::optional<std::string> mark;               // myDATA MARK; none while queued
    std::optional<std::string> authenticationCode; // myDATA's authentication code
    std::optional<std::string> icode;              // kept as the provider gives it
    std::string url;                               // the receipt link (downloadingInvoiceUrl)
    std::optional<int> transmissionFailure;        // 2: the provider could not reach myDATA yet
    core::Json raw;                                // the record as received, for the journal

    // Issued and transmitted (a MARK), or issued and queued at the provider (link, no MARK yet).
    bool queued() const { return !mark.has_value(); }

    // Reads a record (201, 202 or GET). id, uid and url are required; mark, authentication_code
    // and icode are strings or numbers when present. A ResponseError naming "<context>.<key>"
    // otherwise; never a half-read record.
    static IssuedInvoice fromProviderJson(const core::Json& record,
                                          std::string_view context = "invoice");
};

// What the provider answers when a payment is added to an issued invoice.
struct AddedPayment {
    std::optional<std::string> invoiceMark;
    std::optional<std::string> paymentMethodMark; // none while myDATA's transmission is queued
    std::optional<core::Money> invoiceTotal, totalPaid, totalUnpaid;
    core::Json raw;

    bool queued() const { return !paymentMethodMark.has_value(); }
    static AddedPayment fromProviderJson(const core::Json& record,
                                         std::string_view context = "payments");
};

class ProviderInvoices {
public:
    explicit ProviderInvoices(const ProviderClientOptions& options);

    // Issues the invoice whose UID is `uid` with `body` (the provider's JSON shape, built from the
    // ERP's invoice). Never issues twice:
    //   - `mayHaveBeenSent` (a request with this body may have left before: a rerun after a lost
    //     answer or a killed process): the invoice is looked up by its UID first and returned
    //     when the provider holds it;
    //   - when this request's answer is lost (no answer, 5xx, 423), it is looked up by UID; only
    //     when the provider holds none is the identical body sent again, once;
    //   - a 422 that says the UID was already submitted is answered by the record under it.
    IssuedInvoice issue(const core::Json& body, const std::string& uid, bool mayHaveBeenSent,
                        const core::HttpObserver& record = {});
    // The invoice under `uid`, nullopt when the provider holds none.
    std::optional<IssuedInvoice> findByUid(const std::string& uid,
                                           const core::HttpObserver& record = {});
    // One invoice by the provider's id or its MARK (404: ProviderError).
    IssuedInvoice read(const std::string& idOrMark, const core::HttpObserver& record = {});
    // Adds `payments` (items of the payment_methods shape, each with the signature made with the
    // invoice's MARK) to the invoice `idOrMark`; the issuer's VAT is the token's company's.
    AddedPayment addPayments(const std::string& idOrMark, const core::Json& payments,
                             const core::HttpObserver& record = {});
    // The VAT number of the token's company (read once).
    std::string companyVat(const core::HttpObserver& record = {});

    // Called with a short line before each remote call, for progress and logs.
    void onEvent(std::function<void(const std::string&)> listener);

private:
    // The record of a 2xx answer; ProviderError for any other status.
    IssuedInvoice accept(const core::HttpResponse& response, std::string_view context) const;
    void notify(const std::string& line) const;

    ProviderApi api_;
    std::optional<std::string> companyVat_;
    std::function<void(const std::string&)> listener_;
};

} // namespace fiscpos::signing
