// What a payment needs, opened from one configuration file: the cash journal ([journal] url,
// a relative sqlite path taken from the configuration's folder), the provider ([provider]), the
// terminals ([terminal.NAME]) and the PaymentService over them. The fiscpos command and the C ABI
// (libfiscpos) open their payments through it.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "signing/provider_invoices.hpp"
#include "signing/signer.hpp"

#include <filesystem>
#include <memory>
#include <optional>

namespace fiscpos::plugin {

class PaymentRuntime {
public:
    // ConfigError when the file or a section is unusable. withService = false opens the journal
    // only (no provider, no terminals): enough to list, show, export or verify it.
    // `language` overrides [display] language (el by default): the language of what people read
    // (progress texts; the CLI's words).
    explicit PaymentRuntime(const std::filesystem::path& configFile, bool withService = true,
                            std::optional<core::Language> language = std::nullopt);
    ~PaymentRuntime();
    PaymentRuntime(const PaymentRuntime&) = delete;
    PaymentRuntime& operator=(const PaymentRuntime&) = delete;

    const core::Config& config() const { return *config_; }
    const std::filesystem::path& configFile() const { return configFile_; }
    const core::Clock& clock() const { return clock_; }
    CashJournal& journal() { return *journal_; }
    bool hasService() const { return service_ != nullptr; }
    core::Language language() const { return language_; }
    // Only when opened withService.
    PaymentService& service() { return *service_; }
    // With [provider] issue = on_approval: the invoice of `entry`, an approved sale or completion,
    // issued through the provider (plugin/invoice_issuing.hpp) as issueOutcomeJson describes it,
    // or {"ok": false, "error": {...}} when it could not be issued now (the payment stands; run
    // issue again). nullopt when the setting is off or the entry is no approved sale.
    std::optional<core::Json> issueOnApproval(const JournalEntry& entry,
                                              const ProgressListener& progress);
    // The invoice of the approved payment `entryId` issued through the provider's API (or, for a
    // card paid later, the payment added to it): InvoiceIssuing with the provider's signatures
    // to ask after a lost answer. ConfigError naming provider.kind without the provider's API.
    IssueOutcome issue(const std::string& entryId, const ProgressListener& progress,
                       const std::string& field);
    // What reconcile does for payments taken in autonomous mode: the invoice of each approved one
    // not issued yet goes to the provider now (transmissionFailure 1), while the autonomous
    // window lasts; one past the window is only listed, for the accountant. One JSON per such
    // payment: {"entry", "state": "ISSUED" | "QUEUED" | "NOT_ISSUED" | "OVERDUE", "reason"?,
    // "mark"?}.
    std::vector<core::Json> completeAutonomous(const ProgressListener& progress);

private:
    core::SystemClock clock_;
    core::Language language_ = core::Language::Greek;
    std::filesystem::path configFile_;
    std::optional<core::Config> config_;
    std::unique_ptr<CashJournal> journal_;
    std::unique_ptr<signing::Signer> signer_;
    std::unique_ptr<PaymentService> service_;
    std::unique_ptr<signing::ProviderInvoices> invoices_; // made when first needed
    std::unique_ptr<signing::Signer> signatures_;         // the same, when opened without service
    bool issueOnApproval_ = false;
};

} // namespace fiscpos::plugin

namespace fiscpos::plugin {

// The status a settled or open entry means to the ERP, as the fiscpos command's exit status and
// the C ABI's return code: 0 approved, 2 not charged (declined, cancelled, failed), 3 in doubt or
// still open (do not charge again).
int entryStatus(EntryState state);

} // namespace fiscpos::plugin
