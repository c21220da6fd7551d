#include "cli/commands/payment_context.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace fiscpos::cli {

PaymentContext::PaymentContext(const CommandContext& context, bool withService) {
    runtime_ = std::make_unique<plugin::PaymentRuntime>(
        context.requireConfigFile("this command needs a configuration file (see "
                                  "samples/fiscpos.ini)"),
        withService);
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

Command paymentCommand(CommandSpec spec,
                       std::function<int(const CommandArgs& args, PaymentCall& call)> run) {
    return Command(std::move(spec),
                   [run = std::move(run)](const CommandArgs& args, CommandContext& context) {
                       PaymentContext payments(context);
                       PaymentCall call{payments.service(), payments.progress(context.out),
                                        context.out, payments.runtime()};
                       return run(args, call);
                   });
}

Command
entryCommand(CommandSpec spec,
             std::function<plugin::JournalEntry(const CommandArgs& args, PaymentCall& call)> run) {
    return paymentCommand(std::move(spec),
                          [run = std::move(run)](const CommandArgs& args, PaymentCall& call) {
                              return reportEntry(call.out, run(args, call));
                          });
}

std::string entryArg(const CommandArgs& args, const plugin::CashJournal& journal,
                     const std::string& name) {
    return journal.resolveId(args.require(name), "--" + name);
}

Command entryQueryCommand(CommandSpec spec, EntryQuery ask) {
    return entryCommand(std::move(spec), [ask](const CommandArgs& args, PaymentCall& call) {
        return (call.service.*ask)(entryArg(args, call.runtime.journal()), call.progress);
    });
}

Command keyedCommand(CommandSpec spec, std::string target, KeyedOperation act) {
    return entryCommand(std::move(spec), [target = std::move(target), act](const CommandArgs& args,
                                                                           PaymentCall& call) {
        return (call.service.*act)(entryArg(args, call.runtime.journal(), target), args.get("key"),
                                   call.progress);
    });
}

OptionSpec terminalOption(Need need, std::string help) {
    return {"terminal", std::move(help), "NAME", need};
}

OptionSpec entryOption(std::string help) {
    return {"entry", std::move(help), "ENTRY", Need::Required};
}

OptionSpec invoiceOption(std::string help, Need need) {
    return {"invoice", std::move(help), "FILE", need};
}

OptionSpec amountOption(std::string help) {
    return {"amount", std::move(help), "EUR"};
}

OptionSpec keyOption(const std::string& doesIt) {
    return {"key", "idempotency key: the same key never " + doesIt + " twice", "KEY"};
}

OptionSpec issuedNowOption() {
    return {"issued-now", "issue the invoice now: its issued_at becomes this moment (Athens time)"};
}

std::pair<std::string, einvoice::Invoice> invoiceFile(const CommandArgs& args) {
    std::string json = core::readBoundedFile(args.require("invoice"), "--invoice");
    if (args.has("issued-now")) {
        core::Json edited = core::parseJson(json, "--invoice", core::JsonOrigin::Input);
        if (!edited.is_object()) {
            throw core::InputError("--invoice", "is not a JSON object");
        }
        edited["issued_at"] = core::athensIso8601(std::chrono::system_clock::now());
        json = core::dumpJson(edited, 2) + "\n";
    }
    einvoice::Invoice invoice = einvoice::parseInvoice(json);
    return {std::move(json), std::move(invoice)};
}

int parseCount(const std::string& text, const std::string& option) {
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        throw core::InputError(option, "\"" + text + "\" is not a whole number from 0 to 999");
    }
    return std::stoi(text);
}

int reportEntry(Output& out, const plugin::JournalEntry& entry, const core::Json& more) {
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
    const int code = plugin::entryStatus(entry.state);
    core::Json result = plugin::entryToJson(entry);
    result["ok"] = code == ExitDone;
    result.update(more);
    out.result(result);
    return code;
}

} // namespace fiscpos::cli
