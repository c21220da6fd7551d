// What the payment commands (pay, status, reconcile, journal) open from the configuration: the
// cash journal ([journal] url), the provider ([provider]), the terminals ([terminal.NAME]) and
// the PaymentService over them; the options they share and how they print an entry.
#pragma once

#include "cli/cashier_display.hpp"
#include "cli/command.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/payment_runtime.hpp"

#include <memory>
#include <string>
#include <utility>

namespace fiscpos::cli {

class PaymentContext {
public:
    // ConfigError when there is no --config or a section is unusable.
    explicit PaymentContext(const CommandContext& context, bool withService = true);

    plugin::CashJournal& journal() { return runtime_->journal(); }
    const core::Config& config() const { return runtime_->config(); }
    plugin::PaymentService& service() { return runtime_->service(); }
    plugin::PaymentRuntime& runtime() { return *runtime_; }
    // Progress lines on stderr for the cashier, or the cashier's status line when `display` is
    // given (it must outlive the listener).
    plugin::ProgressListener progress(Output& out, CashierDisplay* display = nullptr) const;

private:
    std::unique_ptr<plugin::PaymentRuntime> runtime_;
};

// What a payment command works with once the configuration is open: the PaymentService, the
// progress lines for the cashier and the output.
// The entry a person named with --NAME: its id, or the first characters of it (at least 6) that
// begin one entry only (CashJournal::resolveId).
std::string entryArg(const CommandArgs& args, const plugin::CashJournal& journal,
                     const std::string& name = "entry");

struct PaymentCall {
    plugin::PaymentService& service;
    plugin::ProgressListener progress;
    Output& out;
    plugin::PaymentRuntime& runtime;
    CashierDisplay& display; // finish() it before the outcome is printed
};

// A command that opens the PaymentService from --config and runs `run` with it (reconcile).
Command paymentCommand(CommandSpec spec,
                       std::function<int(const CommandArgs& args, PaymentCall& call)> run);
// A command that asks the PaymentService for one journal entry (pay, refund, void, status,
// capture, cancel, batch-close) and prints it with reportEntry: its exit status is the entry's.
Command
entryCommand(CommandSpec spec,
             std::function<plugin::JournalEntry(const CommandArgs& args, PaymentCall& call)> run);

// A command that asks the PaymentService about the entry named by --entry (status, cancel):
// `ask` is the service's call.
using EntryQuery = plugin::JournalEntry (plugin::PaymentService::*)(
    const std::string& entryId, const plugin::ProgressListener& progress);
Command entryQueryCommand(CommandSpec spec, EntryQuery ask);
// A command that asks the PaymentService to act on what `--target` names (void: --entry,
// batch-close: --terminal) once for its idempotency key (--key): `act` is the service's call.
using KeyedOperation = plugin::JournalEntry (plugin::PaymentService::*)(
    const std::string& target, std::optional<std::string> idempotencyKey,
    const plugin::ProgressListener& progress);
Command keyedCommand(CommandSpec spec, std::string target, KeyedOperation act);

// The options the payment commands share.
// --terminal=NAME, a [terminal.NAME] section.
OptionSpec terminalOption(Need need,
                          std::string help = "a [terminal.NAME] section of the configuration");
// --entry=ENTRY, the journal entry the command is about; required.
OptionSpec entryOption(std::string help);
// --invoice=FILE, an invoice as JSON.
OptionSpec invoiceOption(std::string help, Need need = Need::Required);
// --amount=EUR, how much of the invoice.
OptionSpec amountOption(std::string help);
// --key=KEY, the idempotency key: "the same key never `doesIt` twice".
OptionSpec keyOption(const std::string& doesIt);

// --issued-now: the invoice is issued at this moment (its issued_at replaced by the time now, in
// Athens), as the provider issues only today's invoices; for the sample invoices.
OptionSpec issuedNowOption();

// The --invoice file as given (the journal keeps it; with --issued-now its issued_at made now) and
// the invoice it holds.
std::pair<std::string, einvoice::Invoice> invoiceFile(const CommandArgs& args);

// Prints an entry for people (and as JSON with --json) and returns the exit status its state
// means: 0 approved/done, 2 not charged, 3 in doubt or still open.
// `more` adds members to the JSON answer (pay's "invoice" with [provider] issue = on_approval).
int reportEntry(Output& out, const plugin::JournalEntry& entry, core::Language language,
                const core::Json& more = core::Json::object());

// A whole number from 0 to `most`; InputError naming `option` otherwise.
int parseCount(const std::string& text, const std::string& option, int most = 999);

} // namespace fiscpos::cli
