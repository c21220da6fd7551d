#include "cli/commands/payment_context.hpp"

#include "core/errors.hpp"
#include "plugin/provider_settings.hpp"
#include "plugin/terminal_settings.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace fiscpos::cli {

PaymentContext::PaymentContext(const CommandContext& context, bool withService) {
    if (!context.configFile) {
        throw core::ConfigError("--config", "this command needs a configuration file (see "
                                            "samples/fiscpos.ini)");
    }
    config_ = plugin::Config::load(*context.configFile);
    std::string url = config_->getOr("journal.url", "sqlite:fiscpos.db");
    if (url.starts_with("sqlite:")) {
        std::filesystem::path file(url.substr(7));
        if (file.is_relative()) {
            const auto base = std::filesystem::path(*context.configFile).parent_path();
            url = "sqlite:" + (base.empty() ? file : base / file).string();
        }
    }
    journal_ = std::make_unique<plugin::CashJournal>(plugin::CashJournal::open(url, clock_));
    if (withService) {
        signer_ = plugin::makeSigner(*config_, clock_);
        plugin::PaymentServiceOptions options;
        options.duration = plugin::signatureDuration(*config_);
        options.schedule = plugin::PollSchedule(
            std::chrono::seconds(config_->getInt("payment.deadline_seconds", 240, 10, 3600)));
        service_ = std::make_unique<plugin::PaymentService>(
            *journal_, *signer_, plugin::terminalsFromConfig(*config_, clock_), clock_, options);
    }
}

plugin::ProgressListener PaymentContext::progress(Output& out) const {
    // FISCPOS_TEST_KILL_AT=STEP makes the process kill itself (SIGKILL) right after that progress
    // step, the way a power cut would: the crash tests use it to prove `reconcile` recovers from
    // every step. Nothing else reads it.
    const char* killAt = std::getenv("FISCPOS_TEST_KILL_AT");
    std::string kill = killAt == nullptr ? "" : killAt;
    return [&out, kill](const std::string&, const std::string& step, const std::string& text) {
        out.progress(step + ": " + text);
        if (!kill.empty() && step == kill) {
            ::kill(::getpid(), SIGKILL);
        }
    };
}

int exitCodeFor(plugin::EntryState state) {
    switch (state) {
    case plugin::EntryState::Approved:
        return ExitDone;
    case plugin::EntryState::Declined:
    case plugin::EntryState::Cancelled:
    case plugin::EntryState::Failed:
    case plugin::EntryState::NotCharged:
        return ExitNotCharged;
    default:
        return ExitInDoubt;
    }
}

int reportEntry(Output& out, const plugin::JournalEntry& entry) {
    out.line(std::string(plugin::stateName(entry.state)) + "  " + entry.amount.toString() + " " +
             entry.currency + " on terminal " + entry.terminal + " (TID " + entry.tid + ")");
    out.field("entry", entry.id);
    if (entry.outcome) {
        out.field("message", *entry.outcome);
    }
    auto optional = [&](const char* label, const std::optional<std::string>& value) {
        if (value) {
            out.field(label, *value);
        }
    };
    optional("transactionId", entry.transactionId);
    optional("RRN", entry.rrn);
    optional("auth code", entry.authCode);
    optional("card", entry.maskedPan);
    optional("reference", entry.networkReference);
    optional("Input", entry.signatureInput);
    optional("Signature", entry.signature);
    const int code = exitCodeFor(entry.state);
    core::Json result = plugin::entryToJson(entry);
    result["ok"] = code == ExitDone;
    out.result(result);
    return code;
}

} // namespace fiscpos::cli
