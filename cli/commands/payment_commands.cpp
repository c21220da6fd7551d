// fiscpos pay | status | reconcile: a card payment through the PaymentService, and the recovery
// of payments whose outcome is not known yet.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;

// While it lives, Ctrl-C (SIGINT) asks the terminal to stop the payment instead of ending
// fiscpos: the payment then goes on to its real outcome, which is recorded and printed.
class CtrlCCancels {
public:
    CtrlCCancels(plugin::PaymentService& service, Output& out)
        : service_(service)
        , out_(out) {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
        watcher_ = std::thread([this] { watch(); });
    }
    ~CtrlCCancels() {
        stop_ = true;
        watcher_.join();
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    CtrlCCancels(const CtrlCCancels&) = delete;
    CtrlCCancels& operator=(const CtrlCCancels&) = delete;

    // The entry being paid, once the journal has opened it.
    void entry(const std::string& id) {
        std::lock_guard lock(mutex_);
        entryId_ = id;
    }

private:
    void watch() {
        const timespec slice{0, 100'000'000};
        while (!stop_) {
            if (sigtimedwait(&signals_, nullptr, &slice) != SIGINT) {
                continue;
            }
            std::string id;
            {
                std::lock_guard lock(mutex_);
                id = entryId_;
            }
            if (id.empty()) {
                out_.progress("cancel: nothing to stop yet");
                continue;
            }
            try {
                out_.progress("cancel: asking the terminal to stop the payment (Ctrl-C)");
                service_.cancel(id);
            } catch (const core::Error& e) {
                out_.progress(std::string("cancel: ") + e.what());
            }
        }
    }

    plugin::PaymentService& service_;
    Output& out_;
    sigset_t signals_{};
    sigset_t previous_{};
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::string entryId_;
    std::thread watcher_;
};

class PayCommand final : public Command {
public:
    std::string name() const override { return "pay"; }
    std::string summary() const override {
        return "take a card payment of an invoice on a terminal";
    }
    std::string details() const override {
        return "Signs with the provider, checks the Input, sends the intent with its signature to "
               "the terminal and waits for the outcome; every step is in the cash journal.\n"
               "Exit status 0 approved, 2 not charged, 3 in doubt (do not charge again; run "
               "fiscpos status --entry ID or fiscpos reconcile). Repeat a payment with the same "
               "--key to get its entry back: never a second charge. Ctrl-C while the card is "
               "awaited asks the terminal to stop the payment (where the network allows it) and "
               "waits for how it really ended.\n"
               "Example:\n  fiscpos --config fiscpos.ini pay --terminal A3 --invoice sale.json "
               "--key A-7";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("terminal", "", "a [terminal.NAME] section of the configuration")
                              .required(true)
                              .argument("NAME"));
        options.addOption(
            Option("invoice", "", "the invoice (JSON)").required(true).argument("FILE"));
        options.addOption(Option("amount", "", "the card's share (default: the invoice's gross)")
                              .argument("EUR"));
        options.addOption(Option("tip", "", "a tip on top of the amount").argument("EUR"));
        options.addOption(
            Option("key", "", "idempotency key: the same key never charges twice").argument("KEY"));
        options.addOption(
            Option("email", "", "the customer's e-mail for the receipt").argument("ADDR"));
        options.addOption(
            Option("phone", "", "the customer's phone for the receipt").argument("NUMBER"));
        options.addOption(
            Option("instalments", "", "the most instalments the cardholder may choose (0-36)")
                .argument("N"));
        options.addOption(Option("preauth", "",
                                 "only reserve the amount (a pre-authorisation); fiscpos capture "
                                 "books it later"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        plugin::PayRequest request;
        request.terminal = args.require("terminal");
        request.invoiceJson = readFile(args.require("invoice"), "--invoice");
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        if (auto amount = args.get("amount")) {
            request.amount = core::Money::parse(*amount, "--amount");
        }
        if (auto tip = args.get("tip")) {
            request.tip = core::Money::parse(*tip, "--tip");
        }
        request.idempotencyKey = args.get("key");
        request.customerEmail = args.get("email");
        request.customerPhone = args.get("phone");
        if (auto instalments = args.get("instalments")) {
            request.instalments = parseCount(*instalments, "--instalments");
        }
        request.preauth = args.has("preauth");
        CtrlCCancels ctrlC(payments.service(), context.out);
        const auto progress = payments.progress(context.out);
        const auto entry = payments.service().pay(
            request, [&](const std::string& id, const std::string& step, const std::string& text) {
                ctrlC.entry(id);
                progress(id, step, text);
            });
        return reportEntry(context.out, entry);
    }
};

class RefundCommand final : public Command {
public:
    std::string name() const override { return "refund"; }
    std::string summary() const override {
        return "give money back for an approved sale, with the credit note's own signature";
    }
    std::string details() const override {
        return "A new journal entry linked to the sale (or, without --original, an unreferenced "
               "refund on --terminal where the network allows it). Exit status as for pay.\n"
               "Example:\n  fiscpos --config fiscpos.ini refund --original ENTRY --invoice "
               "credit.json";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("original", "",
                                 "the approved sale's entry (without it: an unreferenced refund "
                                 "on --terminal)")
                              .argument("ENTRY"));
        options.addOption(
            Option("invoice", "", "the credit note (JSON)").required(true).argument("FILE"));
        options.addOption(
            Option("terminal", "", "a terminal (default: the sale's)").argument("NAME"));
        options.addOption(
            Option("amount", "", "how much (default: the credit note's gross)").argument("EUR"));
        options.addOption(
            Option("key", "", "idempotency key: the same key never refunds twice").argument("KEY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        plugin::RefundRequest request;
        request.originalEntry = args.get("original");
        request.terminal = args.get("terminal").value_or("");
        request.creditNoteJson = readFile(args.require("invoice"), "--invoice");
        request.creditNote = einvoice::parseInvoice(request.creditNoteJson);
        if (auto amount = args.get("amount")) {
            request.amount = core::Money::parse(*amount, "--amount");
        }
        request.idempotencyKey = args.get("key");
        const auto entry = payments.service().refund(request, payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

class VoidCommand final : public Command {
public:
    std::string name() const override { return "void"; }
    std::string summary() const override {
        return "void an approved sale through its network (marks it, books nothing)";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(
            Option("entry", "", "the approved sale's entry").required(true).argument("ENTRY"));
        options.addOption(
            Option("key", "", "idempotency key: the same key never voids twice").argument("KEY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        const auto entry = payments.service().voidSale(args.require("entry"), args.get("key"),
                                                       payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

class StatusCommand final : public Command {
public:
    std::string name() const override { return "status"; }
    std::string summary() const override {
        return "ask the network again about a payment and record the answer";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("entry", "", "the journal entry (from pay or journal list)")
                              .required(true)
                              .argument("ENTRY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        const auto entry =
            payments.service().status(args.require("entry"), payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

class ReconcileCommand final : public Command {
public:
    std::string name() const override { return "reconcile"; }
    std::string summary() const override {
        return "settle every open or in-doubt payment (after a crash, a lost answer, a deadline)";
    }
    std::string details() const override {
        return "A payment the network never received is closed NOT_CHARGED; one it received gets "
               "its real outcome. Nothing is ever sent twice. Exit status 0 when every entry is "
               "settled, 3 when some are still open.";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(
            Option("since", "", "only entries created since (e.g. 2024-05-10T00:00:00+03:00)")
                .argument("TIME"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        std::optional<core::TimePoint> since;
        if (auto text = args.get("since")) {
            since = core::toTimePoint(core::parseIso8601(*text, "--since"));
        }
        const auto settled = payments.service().reconcile(since, payments.progress(context.out));
        core::Json list = core::Json::array();
        bool allSettled = true;
        for (const auto& entry : settled) {
            context.out.line(std::string(plugin::stateName(entry.state)) + "  " + entry.id + "  " +
                             entry.amount.toString() + " " + entry.currency + "  " +
                             entry.terminal);
            allSettled = allSettled && !entry.open();
            list.push_back(plugin::entryToJson(entry));
        }
        if (settled.empty()) {
            context.out.line("nothing to settle: no open entries");
        }
        context.out.result({{"ok", allSettled}, {"entries", list}});
        return allSettled ? ExitDone : ExitInDoubt;
    }
};

} // namespace

std::unique_ptr<Command> makePayCommand() {
    return std::make_unique<PayCommand>();
}
std::unique_ptr<Command> makeRefundCommand() {
    return std::make_unique<RefundCommand>();
}
std::unique_ptr<Command> makeVoidCommand() {
    return std::make_unique<VoidCommand>();
}
std::unique_ptr<Command> makeStatusCommand() {
    return std::make_unique<StatusCommand>();
}
std::unique_ptr<Command> makeReconcileCommand() {
    return std::make_unique<ReconcileCommand>();
}

} // namespace fiscpos::cli
