// Issuing the invoice of an approved card payment through the provider, journaled so that it
// happens once (contract provider-invoices.md §8). The invoice is the one the ERP sent with the
// payment (kept in the journal), with every approved card payment of it.
//
// The journal holds, on the entry the ERP named:
//   invoice.issuing  the body about to be sent and the UID (written before the request leaves)
//   provider.response each exchange with the provider (headers redacted)
//   invoice.issued   the provider's record: id, UID, MARK (none while queued), receipt link
// A repeat answers from the journal; a repeat after an invoice.issuing without its answer (a lost
// answer, a killed process) asks the provider by UID before anything is sent; a queued invoice is
// read again for its MARK. Refusals by the provider are journaled (invoice.refused) and thrown.
//
// A card paid later (the ERP's invoice carries the MARK of an invoice issued earlier, and the
// payment's signature was made with it) is added to that invoice instead:
//   invoice.payment_adding  the MARK and the payment items (written before the request leaves)
//   invoice.payment_added   the provider's answer (the payment's MARK; none while queued)
// then the invoice is read (invoice.issued) for its link. A repeat after a payment_adding without
// its answer first asks whether the payment's signature is still pending at the provider (one a
// payment carries is no longer listed): only then is it sent again.
#pragma once

#include "core/config.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "signing/provider_invoices.hpp"
#include "signing/signer.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::plugin {

namespace event_kind {
inline constexpr const char* InvoicePaymentAdding = "invoice.payment_adding";
inline constexpr const char* InvoicePaymentAdded = "invoice.payment_added";
} // namespace event_kind

// The invoice the ERP sent with the payment, from the entry's opening event; InputError naming
// `field` when the entry keeps none (a void, a batch close).
einvoice::Invoice journaledInvoice(const CashJournal& journal, const JournalEntry& entry,
                                   const std::string& field);
// The approved, unvoided sales and completions of `invoice`, in the order they were taken (a
// split payment has several), `entry` among them; only `entry` when the journal links no other.
std::vector<JournalEntry> invoicePayments(const CashJournal& journal, const JournalEntry& entry,
                                          const einvoice::Invoice& invoice);

// The invoice as the provider issued it, as journaled on `entry` or on another payment of the same
// invoice (newest record: a queued invoice's MARK once read); nullopt when it was not issued.
std::optional<signing::IssuedInvoice> issuedInvoiceOf(const CashJournal& journal,
                                                      const JournalEntry& entry,
                                                      const einvoice::Invoice& invoice);

// The provider's invoices API of the [provider] section; ConfigError naming provider.kind when its
// kind has none (local and etimologiera sign only).
std::unique_ptr<signing::ProviderInvoices> makeProviderInvoices(const core::Config& config);

struct IssueOutcome {
    JournalEntry entry;            // the entry the issuance is journaled on
    signing::IssuedInvoice issued; // as the provider holds it
    bool fromJournal = false;      // answered from the journal, nothing sent
    // A card paid later: the payment added to the invoice issued earlier.
    std::optional<signing::AddedPayment> payment;
};

// {"ok": true, "entry", "state": "ISSUED" | "QUEUED", "uid", "mark" (null while queued), "url",
// "provider_id", "authentication_code"?, "from_journal", "payment"?: {"state": "ADDED" | "QUEUED",
// "payment_mark", "total_paid", "total_unpaid"}}: the answer of the CLI, the C ABI and serve.
core::Json issueOutcomeJson(const IssueOutcome& outcome);

class InvoiceIssuing {
public:
    // `signatures` (may be null) answers, after a lost answer, whether a deferred payment's
    // signature is still pending at the provider; without it such a payment stays in doubt.
    InvoiceIssuing(CashJournal& journal, signing::ProviderInvoices& provider,
                   signing::Signer* signatures = nullptr);

    // Issues the invoice of the approved payment `entryId` (InputError naming `field` when it is
    // not one). ProviderError for a refusal (journaled), TransportError with an unknown outcome
    // when it cannot be known whether the provider issued it (exit 3: run it again later).
    IssueOutcome issue(const std::string& entryId, const ProgressListener& progress = {},
                       const std::string& field = "entry");

private:
    CashJournal& journal_;
    signing::ProviderInvoices& provider_;
    signing::Signer* signatures_;
};

} // namespace fiscpos::plugin
