#include "cli/commands/payment_context.hpp"

#include "core/errors.hpp"
#include "core/files.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fiscpos::cli {

PaymentContext::PaymentContext(const CommandContext& context, bool withService) {
    if (!context.configFile) {
        throw core::ConfigError("--config", "this command needs a configuration file (see "
                                            "samples/fiscpos.ini)");
    }
    runtime_ = std::make_unique<plugin::PaymentRuntime>(*context.configFile, withService);
    // FISCPOS_TEST_KILL_AFTER_US=N kills the process (SIGKILL) N microseconds after the journal
    // and the terminals are open, wherever it is then: the crash matrix uses seeded random values
    // to hit moments between the fixed steps (inside an HTTP exchange, between two writes).
    if (const char* after = std::getenv("FISCPOS_TEST_KILL_AFTER_US"); after != nullptr) {
        const long long micros = std::strtoll(after, nullptr, 10);
        std::thread([micros] {
            std::this_thread::sleep_for(std::chrono::microseconds(micros));
            ::kill(::getpid(), SIGKILL);
        }).detach();
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

std::string readFile(const std::string& path, const std::string& option) {
    return core::readBoundedFile(path, option);
}

int parseCount(const std::string& text, const std::string& option) {
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        throw core::InputError(option, "\"" + text + "\" is not a whole number from 0 to 999");
    }
    return std::stoi(text);
}

int exitCodeFor(plugin::EntryState state) {
    return plugin::entryStatus(state);
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
