// fiscpos pay | status | reconcile: a card payment through the PaymentService, and the recovery
// of payments whose outcome is not known yet.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "cli/commands/signals.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <tuple>

namespace fiscpos::cli {

namespace {

// While it lives, Ctrl-C (SIGINT) asks the terminal to stop the payment instead of ending
// fiscpos: the payment then goes on to its real outcome, which is recorded and printed.
class CtrlCCancels {
public:
    CtrlCCancels(plugin::PaymentService& service, Output& out)
        : service_(service)
        , out_(out)
        , signals_(blockSignals({SIGINT}, &previous_)) {
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
            if (awaitSignal(signals_, slice) != SIGINT) {
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
    sigset_t previous_{};
    sigset_t signals_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::string entryId_;
    std::thread watcher_;
};

} // namespace

Command makePayCommand() {
    return paymentCommand(
        {"pay",
         "take a card payment of an invoice on a terminal",
         "Signs with the provider, checks the Input, sends the intent with its signature to the "
         "terminal and waits for the outcome; every step is in the cash journal.\n"
         "Exit status 0 approved, 2 not charged, 3 in doubt (do not charge again; run fiscpos "
         "status --entry ID or fiscpos reconcile). Repeat a payment with the same --key to get its "
         "entry back: never a second charge. Ctrl-C while the card is awaited asks the terminal to "
         "stop the payment (where the network allows it) and waits for how it really ended.\n"
         "With --preload the terminal holds the sale for the customer to pay there later: pay "
         "returns once the network has it (exit status 3, state SENT, preload_until in the "
         "answer), and fiscpos status --entry ID or reconcile tells whether it was paid.\n"
         "Example:\n  fiscpos --config fiscpos.ini pay --terminal A3 --invoice sale.json --key A-7",
         {terminalOption(Need::Required),
          invoiceOption("the invoice (JSON)"),
          issuedNowOption(),
          amountOption("the card's share (default: the invoice's gross)"),
          {"tip", "a tip on top of the amount", "EUR"},
          keyOption("charges"),
          {"email", "the customer's e-mail for the receipt", "ADDR"},
          {"phone", "the customer's phone for the receipt", "NUMBER"},
          {"instalments", "the most instalments the cardholder may choose (0-36)", "N"},
          {"preauth", "only reserve the amount (a pre-authorisation); fiscpos capture books it "
                      "later"},
          {"iris", "ask the terminal for an IRIS instant payment instead of a card (Mellon, "
                   "Viva); myDATA gets type 8 when the network reports IRIS"},
          {"autonomous",
           "when the provider cannot be reached, take the card without its signature "
           "(autonomous mode: interconnection_loss, replacement_cash_system or lock); needs "
           "autonomous = allow and a network that has the mode",
           "REASON"},
          {"preload",
           "preload the sale for the customer to pay at the terminal within this many "
           "minutes (Mellon: any; Viva: whole hours, at most 24); the provider's "
           "signature must outlive it by 10 minutes",
           "MINUTES"}}},
        [](const CommandArgs& args, PaymentCall& call) {
            plugin::PayRequest request;
            request.terminal = args.require("terminal");
            std::tie(request.invoiceJson, request.invoice) = invoiceFile(args);
            request.amount = args.money("amount");
            request.tip = args.money("tip").value_or(core::Money());
            request.idempotencyKey = args.get("key");
            request.customerEmail = args.get("email");
            request.customerPhone = args.get("phone");
            if (auto instalments = args.get("instalments")) {
                request.instalments = parseCount(*instalments, "--instalments");
            }
            request.preauth = args.has("preauth");
            request.iris = args.has("iris");
            if (auto autonomous = args.get("autonomous")) {
                request.autonomous = core::parseAutonomousReason(*autonomous, "--autonomous");
            }
            if (auto preload = args.get("preload")) {
                request.preload = std::chrono::minutes(parseCount(*preload, "--preload", 60 * 60));
            }
            CtrlCCancels ctrlC(call.service, call.out);
            const auto entry =
                call.service.pay(request, [&](const std::string& id, const std::string& step,
                                              const std::string& text) {
                    ctrlC.entry(id);
                    call.progress(id, step, text);
                });
            // [provider] issue = on_approval: the invoice goes to the provider now; its MARK and
            // link are progress lines and the answer's "invoice" (fiscpos issue --entry prints
            // them again).
            core::Json more = core::Json::object();
            if (auto issued = call.runtime.issueOnApproval(entry, call.progress)) {
                more["invoice"] = *issued;
            }
            call.display.finish();
            return reportEntry(call.out, entry, call.runtime.language(), more);
        });
}

Command makeRefundCommand() {
    return entryCommand(
        {"refund",
         "give money back for an approved sale, with the credit note's own signature",
         "A new journal entry linked to the sale (or, without --original, an unreferenced refund "
         "on --terminal where the network allows it). Exit status as for pay.\n"
         "Example:\n  fiscpos --config fiscpos.ini refund --original ENTRY --invoice credit.json",
         {{"original",
           "the approved sale's entry (without it: an unreferenced refund on --terminal)", "ENTRY"},
          invoiceOption("the credit note (JSON)"),
          issuedNowOption(),
          terminalOption(Need::Optional, "a terminal (default: the sale's)"),
          amountOption("how much (default: the credit note's gross)"),
          keyOption("refunds")}},
        [](const CommandArgs& args, PaymentCall& call) {
            plugin::RefundRequest request;
            if (args.has("original")) {
                request.originalEntry = entryArg(args, call.runtime.journal(), "original");
            }
            request.terminal = args.get("terminal").value_or("");
            std::tie(request.creditNoteJson, request.creditNote) = invoiceFile(args);
            request.amount = args.money("amount");
            request.idempotencyKey = args.get("key");
            return call.service.refund(request, call.progress);
        });
}

Command makeVoidCommand() {
    return keyedCommand({"void",
                         "void an approved sale through its network (marks it, books nothing)",
                         "",
                         {entryOption("the approved sale's entry"), keyOption("voids")}},
                        "entry", &plugin::PaymentService::voidSale);
}

Command makeStatusCommand() {
    return entryQueryCommand({"status",
                              "ask the network again about a payment and record the answer",
                              "",
                              {entryOption("the journal entry (from pay or journal list)")}},
                             &plugin::PaymentService::status);
}

Command makeReconcileCommand() {
    return paymentCommand(
        {"reconcile",
         "settle every open or in-doubt payment (after a crash, a lost answer, a deadline)",
         "A payment the network never received is closed NOT_CHARGED; one it received gets its "
         "real outcome. Nothing is ever sent twice. The invoices of payments taken in autonomous "
         "mode go to the provider (transmissionFailure 1) within 48 hours; later ones are listed "
         "OVERDUE for the accountant. Exit status 0 when every entry is settled, 3 when some are "
         "still open or an autonomous payment's invoice could not be issued yet.",
         {{"since", "only entries created since (e.g. 2024-05-10T00:00:00+03:00)", "TIME"}}},
        [](const CommandArgs& args, PaymentCall& call) {
            std::optional<core::TimePoint> since;
            if (auto text = args.get("since")) {
                since = core::toTimePoint(core::parseIso8601(*text, "--since"));
            }
            const auto settled = call.service.reconcile(since, call.progress);
            core::Json list = core::Json::array();
            bool allSettled = true;
            for (const auto& entry : settled) {
                call.out.line(std::string(plugin::stateName(entry.state)) + "  " + entry.id + "  " +
                              entry.amount.toString() + " " + entry.currency + "  " +
                              entry.terminal);
                allSettled = allSettled && !entry.open();
                list.push_back(plugin::entryToJson(entry));
            }
            if (settled.empty()) {
                call.out.line("nothing to settle: no open entries");
            }
            // Payments taken without the provider: their invoices, now that it may answer.
            core::Json autonomous = core::Json::array();
            for (const auto& done : call.runtime.completeAutonomous(call.progress)) {
                call.out.line(done["state"].get<std::string>() + "  " +
                              done["entry"].get<std::string>() + "  " +
                              core::tr(call.runtime.language(), "invoice of a payment taken "
                                                                "without the provider"));
                allSettled = allSettled && done["state"] != "NOT_ISSUED";
                autonomous.push_back(done);
            }
            call.out.result({{"ok", allSettled}, {"entries", list}, {"autonomous", autonomous}});
            return allSettled ? ExitDone : ExitInDoubt;
        });
}

} // namespace fiscpos::cli
