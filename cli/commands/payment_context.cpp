#include "cli/commands/payment_context.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "plugin/journal/entry_words.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace fiscpos::cli {

PaymentContext::PaymentContext(const CommandContext& context, bool withService) {
    runtime_ = std::make_unique<plugin::PaymentRuntime>(
        context.requireConfigFile("this command needs a configuration file (see "
                                  "samples/fiscpos.ini)"),
        withService, context.requestedLanguage());
    context.out.setLanguage(runtime_->language());
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

plugin::ProgressListener PaymentContext::progress(Output& out, CashierDisplay* display) const {
    // FISCPOS_TEST_KILL_AT=STEP makes the process kill itself (SIGKILL) right after that progress
    // step, the way a power cut would: the crash tests use it to prove `reconcile` recovers from
    // every step. Nothing else reads it.
    const char* killAt = std::getenv("FISCPOS_TEST_KILL_AT");
    std::string kill = killAt == nullptr ? "" : killAt;
    return [&out, display, kill](const std::string& entryId, const std::string& step,
                                 const std::string& text) {
        if (display != nullptr) {
            display->step(entryId, step, text);
        } else {
            out.progress(step + ": " + text);
        }
        if (!kill.empty() && step == kill) {
            ::kill(::getpid(), SIGKILL);
        }
    };
}

Command paymentCommand(CommandSpec spec,
                       std::function<int(const CommandArgs& args, PaymentCall& call)> run) {
    return Command(std::move(spec), [run = std::move(run)](const CommandArgs& args,
                                                           CommandContext& context) {
        PaymentContext payments(context);
        plugin::PaymentService& service = payments.service();
        plugin::CashJournal& journal = payments.journal();
        const char* term = std::getenv("TERM");
        CashierDisplay display(
            context.out, payments.runtime().language(),
            ::isatty(STDERR_FILENO) == 1 && (term == nullptr || std::string_view(term) != "dumb"),
            std::chrono::seconds(
                payments.config().getInt("payment.deadline_seconds", 240, 10, 3600)),
            [&service, &journal](const std::string& entryId) {
                try {
                    const auto& binding = service.terminal(journal.get(entryId).terminal);
                    return binding.terminal != nullptr &&
                           binding.terminal->traits().abortsOnRequest;
                } catch (const core::Error&) {
                    return false;
                }
            });
        PaymentCall call{service, payments.progress(context.out, &display), context.out,
                         payments.runtime(), display};
        return run(args, call);
    });
}

Command
entryCommand(CommandSpec spec,
             std::function<plugin::JournalEntry(const CommandArgs& args, PaymentCall& call)> run) {
    return paymentCommand(std::move(spec),
                          [run = std::move(run)](const CommandArgs& args, PaymentCall& call) {
                              const plugin::JournalEntry entry = run(args, call);
                              call.display.finish();
                              return reportEntry(call.out, entry, call.runtime.language());
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
        edited["issued_at"] = core::athensIso8601(core::systemClock().now());
        json = core::dumpJson(edited, 2) + "\n";
    }
    einvoice::Invoice invoice = einvoice::parseInvoice(json);
    return {std::move(json), std::move(invoice)};
}

int parseCount(const std::string& text, const std::string& option, int most) {
    if (text.empty() || text.size() > 6 ||
        text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) > most) {
        throw core::InputError(option, "\"" + text + "\" is not a whole number from 0 to " +
                                           std::to_string(most));
    }
    return std::stoi(text);
}

namespace {

// An amount as people read it: "1,24 EUR" in Greek, "1.24 EUR" in English.
std::string amountWords(core::Language language, const core::Money& amount,
                        const std::string& currency) {
    return core::moneyText(language, amount) + " " + currency;
}

// The first line of an outcome: what happened, to what, in plain words.
std::string headline(core::Language language, const plugin::JournalEntry& entry) {
    const std::vector<std::pair<std::string, std::string>> values{
        {"kind", kindWords(language, entry.kind)},
        {"amount", amountWords(language, entry.amount, entry.currency)},
        {"terminal", entry.terminal},
        {"tid", entry.tid},
        {"entry", entry.id}};
    if (entry.kind == plugin::EntryKind::BatchClose) {
        return entry.state == plugin::EntryState::Approved
                   ? core::tr(language, "DONE: the batch of terminal {terminal} is closed", values)
               : plugin::entryStatus(entry.state) == ExitNotCharged
                   ? core::tr(language, "NOT DONE: the batch of terminal {terminal} is not closed",
                              values)
                   : core::tr(language,
                              "NOT KNOWN YET: whether the batch of terminal {terminal} closed; "
                              "run fiscpos status --entry {entry}",
                              values);
    }
    switch (entry.state) {
    case plugin::EntryState::Approved:
        if (entry.kind == plugin::EntryKind::Refund) {
            return core::tr(language,
                            "APPROVED: {kind} of {amount} on terminal {terminal} (TID {tid}): the "
                            "money goes back to the card",
                            values);
        }
        if (entry.kind == plugin::EntryKind::Void) {
            return core::tr(language,
                            "APPROVED: {kind} of {amount} on terminal {terminal} (TID {tid}): the "
                            "sale is cancelled",
                            values);
        }
        if (entry.kind == plugin::EntryKind::Preauth) {
            return core::tr(language,
                            "APPROVED: {kind} of {amount} on terminal {terminal} (TID {tid}): "
                            "reserved on the card, capture books it",
                            values);
        }
        return core::tr(language,
                        "APPROVED: {kind} of {amount} on terminal {terminal} (TID {tid}): the "
                        "card was charged",
                        values);
    case plugin::EntryState::Declined:
        return core::tr(language,
                        "DECLINED: {kind} of {amount} on terminal {terminal}: nothing was charged",
                        values);
    case plugin::EntryState::Cancelled:
        return core::tr(language,
                        "CANCELLED: {kind} of {amount} on terminal {terminal}: nothing was charged",
                        values);
    case plugin::EntryState::Failed:
    case plugin::EntryState::NotCharged:
        return core::tr(language,
                        "NOT CHARGED: {kind} of {amount} on terminal {terminal} failed: nothing "
                        "was charged",
                        values);
    case plugin::EntryState::Sent:
        if (entry.preloaded()) {
            auto until = values;
            until.emplace_back("time", core::greekAthensTime(*entry.preloadUntil, false));
            return core::tr(language,
                            "PRELOADED: {kind} of {amount} on terminal {terminal}: the customer "
                            "can pay there until {time}; do not charge again; run fiscpos status "
                            "--entry {entry} to see whether it was paid",
                            until);
        }
        [[fallthrough]];
    default:
        return core::tr(language,
                        "IN DOUBT: {kind} of {amount} on terminal {terminal}: do not charge "
                        "again; run fiscpos status --entry {entry}",
                        values);
    }
}

} // namespace

int reportEntry(Output& out, const plugin::JournalEntry& entry, core::Language language,
                const core::Json& more) {
    out.line(headline(language, entry));
    out.field(core::tr(language, "entry"), entry.id);
    if (entry.outcome) {
        out.field(core::tr(language, "network says"), *entry.outcome);
    }
    auto optional = [&](const std::string& label, const std::optional<std::string>& value) {
        if (value) {
            out.field(label, *value);
        }
    };
    optional("transactionId", entry.transactionId);
    optional("RRN", entry.rrn);
    optional(core::tr(language, "auth code"), entry.authCode);
    optional(core::tr(language, "card"), entry.maskedPan);
    optional(core::tr(language, "reference"), entry.networkReference);
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
