// What the payment commands (pay, status, reconcile, journal) open from the configuration: the
// cash journal ([journal] url), the provider ([provider]), the terminals ([terminal.NAME]) and
// the PaymentService over them.
#pragma once

#include "cli/command.hpp"
#include "plugin/payment_runtime.hpp"

#include <memory>
#include <string>

namespace fiscpos::cli {

class PaymentContext {
public:
    // ConfigError when there is no --config or a section is unusable.
    explicit PaymentContext(const CommandContext& context, bool withService = true);

    plugin::CashJournal& journal() { return runtime_->journal(); }
    const core::Config& config() const { return runtime_->config(); }
    plugin::PaymentService& service() { return runtime_->service(); }
    // Progress lines on stderr for the cashier.
    plugin::ProgressListener progress(Output& out) const;

private:
    std::unique_ptr<plugin::PaymentRuntime> runtime_;
};

// Prints an entry for people (and as JSON with --json) and returns the exit status its state
// means: 0 approved/done, 2 not charged, 3 in doubt or still open.
int reportEntry(Output& out, const plugin::JournalEntry& entry);
int exitCodeFor(plugin::EntryState state);

// The text of a file named on the command line (an invoice); InputError naming `option`.
std::string readFile(const std::string& path, const std::string& option);
// A whole number from 0 to 999; InputError naming `option` otherwise.
int parseCount(const std::string& text, const std::string& option);

} // namespace fiscpos::cli
