#include "plugin/payment_runtime.hpp"

#include "core/errors.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/provider_settings.hpp"
#include "plugin/terminal_settings.hpp"

namespace fiscpos::plugin {

PaymentRuntime::PaymentRuntime(const std::filesystem::path& configFile, bool withService,
                               std::optional<core::Language> language)
    : configFile_(configFile) {
    config_ = core::Config::load(configFile);
    language_ = language ? *language
                         : core::parseLanguage(config_->getOr("display.language", "el"),
                                               "display.language");
    std::string url = config_->getOr("journal.url", "sqlite:fiscpos.db");
    if (url.starts_with("sqlite:")) {
        std::filesystem::path file(url.substr(7));
        // ":memory:" and "file:..." are SQLite's own names, refused by the journal (it must be
        // durable); only a plain path is taken relative to the configuration file.
        const std::string name = file.string();
        if (file.is_relative() && !name.starts_with(":") && !name.starts_with("file:") &&
            !name.starts_with("//")) {
            const auto base = configFile.parent_path();
            url = "sqlite:" + (base.empty() ? file : base / file).string();
        }
    }
    journal_ = std::make_unique<CashJournal>(CashJournal::open(url, clock_));
    if (withService) {
        signer_ = makeSigner(*config_, clock_);
        PaymentServiceOptions options;
        options.duration = signatureDuration(*config_);
        options.schedule = PollSchedule(
            std::chrono::seconds(config_->getInt("payment.deadline_seconds", 240, 10, 3600)));
        options.afterAbort =
            std::chrono::seconds(config_->getInt("payment.after_abort_seconds", 60, 0, 600));
        options.workers = static_cast<int>(config_->getInt("payment.workers", 8, 1, 64));
        options.language = language_;
        service_ = std::make_unique<PaymentService>(
            *journal_, *signer_, terminalsFromConfig(*config_, clock_), clock_, options);
        const std::string issue = config_->getOr("provider.issue", "manual");
        if (issue == "on_approval") {
            invoices_ = makeProviderInvoices(*config_);
            issueOnApproval_ = true;
        } else if (issue != "manual") {
            throw core::ConfigError("provider.issue",
                                    "\"" + issue + "\" is not manual or on_approval");
        }
    }
}

std::optional<core::Json> PaymentRuntime::issueOnApproval(const JournalEntry& entry,
                                                          const ProgressListener& progress) {
    if (!issueOnApproval_ || entry.state != EntryState::Approved ||
        (entry.kind != EntryKind::Sale && entry.kind != EntryKind::Completion)) {
        return std::nullopt;
    }
    try {
        return issueOutcomeJson(issue(entry.id, progress, "entry"));
    } catch (const core::Error& e) {
        if (progress) {
            progress(entry.id, "issue",
                     std::string("the invoice was not issued: ") + e.what() +
                         "; the payment stands, run fiscpos issue --entry " + entry.id);
        }
        return core::Json{{"ok", false}, {"error", {{"code", e.code()}, {"message", e.what()}}}};
    }
}

std::vector<core::Json> PaymentRuntime::completeAutonomous(const ProgressListener& progress) {
    std::vector<core::Json> done;
    JournalFilter approved;
    approved.states = {EntryState::Approved};
    const core::TimePoint now = clock_.now();
    const auto window = autonomousPeriod;
    // Older ones were listed for the accountant by the reconciles of their days.
    approved.since = now - 30 * std::chrono::hours(24);
    for (const auto& entry : journal_->list(approved)) {
        if (!entry.autonomous() || entry.voided() ||
            (entry.kind != EntryKind::Sale && entry.kind != EntryKind::Completion)) {
            continue;
        }
        const einvoice::Invoice invoice = journaledInvoice(*journal_, entry, "entry");
        if (issuedInvoiceOf(*journal_, entry, invoice)) {
            continue;
        }
        core::Json result{{"entry", entry.id}};
        const auto taken = core::timeIfReadable(entry.createdAt);
        if (taken && now - *taken > window) {
            result["state"] = "OVERDUE";
            result["reason"] = "taken in autonomous mode at " + entry.createdAt +
                               ", more than 48 hours ago, and its invoice is not issued: for the "
                               "accountant";
            if (progress) {
                progress(entry.id, "overdue",
                         core::tr(language_,
                                  "the invoice of the payment taken without the provider at {time} "
                                  "is not issued and the 48 hours have passed: the accountant "
                                  "must see to it",
                                  {{"time", core::greekAthensTime(entry.createdAt, false)}}));
            }
            done.push_back(result);
            continue;
        }
        try {
            const IssueOutcome outcome = issue(entry.id, progress, "entry");
            result["state"] = outcome.issued.mark ? "ISSUED" : "QUEUED";
            if (outcome.issued.mark) {
                result["mark"] = *outcome.issued.mark;
            }
        } catch (const core::Error& e) {
            result["state"] = "NOT_ISSUED";
            result["reason"] = e.what();
            if (progress) {
                progress(entry.id, "issue",
                         std::string("the invoice was not issued: ") + e.what() +
                             "; reconcile tries again");
            }
        }
        done.push_back(result);
    }
    return done;
}

IssueOutcome PaymentRuntime::issue(const std::string& entryId, const ProgressListener& progress,
                                   const std::string& field) {
    if (!invoices_) {
        invoices_ = makeProviderInvoices(*config_);
    }
    signing::Signer* signatures = signer_.get();
    if (signatures == nullptr) {
        if (!signatures_) {
            signatures_ = makeSigner(*config_, clock_);
        }
        signatures = signatures_.get();
    }
    InvoiceIssuing issuing(*journal_, *invoices_, signatures);
    return issuing.issue(entryId, progress, field);
}

PaymentRuntime::~PaymentRuntime() {
    // The payment service first: its workers may be issuing an invoice (invoices_) or writing
    // to the journal when it stops them.
    service_.reset();
}

} // namespace fiscpos::plugin

namespace fiscpos::plugin {

int entryStatus(EntryState state) {
    switch (state) {
    case EntryState::Approved:
        return 0;
    case EntryState::Declined:
    case EntryState::Cancelled:
    case EntryState::Failed:
    case EntryState::NotCharged:
        return 2;
    default:
        return 3;
    }
}

} // namespace fiscpos::plugin
