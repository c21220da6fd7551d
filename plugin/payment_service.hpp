// The PaymentService: one card payment from the ERP's request to its recorded outcome, in one
// place (the state machine of the design):
//   1 journal: open the entry (SIGNING); a known idempotency key returns the existing entry
//   2 the provider signs; the journal keeps its answer
//   3 the Input is checked against the charge; a mismatch stops here (FAILED, nothing sent)
//   4 our network reference is chosen and journaled (SENDING) before the call that uses it
//   5 terminal.start (SENT)
//   6 terminal.query until final, quickly at first, then slower, up to a deadline (IN_DOUBT)
//   7 the entry, with the outcome and the network's identifiers, goes back to the ERP
// It speaks to networks only through core::Terminal and parses none of their JSON.
#pragma once

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/scheduler.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/poll_schedule.hpp"
#include "plugin/terminal_binding.hpp"
#include "signing/signer.hpp"

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::plugin {

struct PayRequest {
    std::string terminal; // [terminal.NAME]
    einvoice::Invoice invoice;
    std::string invoiceJson;           // as the ERP sent it, kept in the journal
    std::optional<core::Money> amount; // the card's share; the invoice's gross by default
    core::Money tip;
    std::optional<std::string> idempotencyKey;
    std::optional<std::string> customerEmail;
    std::optional<std::string> customerPhone;
    int instalments = 0;  // the most instalments the cardholder may choose (0: none, up to 36)
    bool preauth = false; // reserve the amount only (a "preauth" entry); capture() books it
    // Ask the terminal for an IRIS payment (core::PaymentRequest::iris); the journal and myDATA
    // record IRIS only when the network reports it.
    bool iris = false;
    // Preload the sale for this long (core::PaymentRequest::preload): the terminal holds it for
    // the customer to pay later, and pay() returns the entry SENT once the network has it.
    std::optional<std::chrono::minutes> preload;
    // Autonomous mode (core::PaymentRequest::autonomous): when the provider cannot be reached
    // (a transport failure or its 5xx; never its refusal), the sale goes ahead without its
    // signature, for this reason. Only where the terminal allows it and the network has the form.
    std::optional<core::AutonomousReason> autonomous;
};

struct RefundRequest {
    // The approved sale being refunded; empty for an unreferenced refund (money back without a
    // sale in this journal), which needs `terminal`.
    std::optional<std::string> originalEntry;
    std::string terminal; // empty: the sale's terminal
    einvoice::Invoice creditNote;
    std::string creditNoteJson;
    std::optional<core::Money> amount; // the credit note's gross by default
    std::optional<std::string> idempotencyKey;
};

struct CaptureRequest {
    std::string preauthEntry; // the approved pre-authorisation being captured
    einvoice::Invoice invoice;
    std::string invoiceJson;
    std::optional<core::Money>
        amount; // the invoice's gross by default; at most the reserved amount
    std::optional<std::string> idempotencyKey;
};

// A step the cashier may want to see: ("signing", "asking the provider..."), ("sent", ...),
// ("on_device", ...), ("approved", ...).
using ProgressListener = std::function<void(const std::string& entryId, const std::string& step,
                                            const std::string& text)>;

// How an operation started with a completion ended: its entry as the synchronous call would
// return it, or the error it would throw (then `entry` is the entry as the journal has it). Called
// once, on one of the PaymentService's workers.
using Completion = std::function<void(const JournalEntry& entry, std::exception_ptr error)>;

// How long a shop may take cards without its provider (autonomous mode) before the invoices are
// late: 48 hours (contract aade-autonomous-iris-preload.md §A.1, secondary; PROVISIONAL).
inline constexpr std::chrono::hours autonomousPeriod{48};

struct PaymentServiceOptions {
    PollSchedule schedule{std::chrono::minutes(4)};
    signing::SignatureDuration duration = signing::SignatureDuration::Hours2;
    // A payment still open at the schedule's deadline is aborted where the network can abort, and
    // followed this much longer to its final answer (aborted, or approved if the card got through
    // first) before it is left IN_DOUBT.
    std::chrono::milliseconds afterAbort{std::chrono::seconds(60)};
    // A request whose answer was lost and which the network never acknowledged: when the network
    // still has nothing under our reference after this many questions over at least this long,
    // it never arrived (NOT_CHARGED) instead of being polled until the deadline.
    int notFoundAnswers = 3;
    std::chrono::milliseconds notFoundFor{std::chrono::seconds(3)};
    // The most one card payment may be: beyond it an amount is a typing error, refused before the
    // provider is asked.
    core::Money maxAmount = core::Money::fromCents(99'999'999);
    // How long a preloaded payment's signature must outlive it: a preload is refused (before
    // anything is signed, and again before it is sent) when the provider's signature would lapse
    // sooner, and a preload the network still holds open this long after it lapsed is IN_DOUBT.
    std::chrono::minutes preloadMargin{10};
    // How long an autonomous period may last: a payment in autonomous mode is refused once the
    // first autonomous payment since the provider last signed one is older than this.
    std::chrono::hours autonomousWindow = autonomousPeriod;
    // The threads that run operations started with a completion (startPay, ...) and ask the
    // networks about their payments; made at the first such operation. Waiting payments hold
    // timers, not threads.
    int workers = 8;
    // The language of the progress texts (the cashier's screen); the journal stays in English.
    core::Language language = core::Language::Greek;
    // When a started operation ends: the CPU its work on the workers used (for fiscpos-bench).
    std::function<void(const std::string& entryId, std::chrono::nanoseconds cpu)> operationCpu;
};

class PaymentService {
public:
    PaymentService(CashJournal& journal, signing::Signer& signer,
                   std::map<std::string, TerminalBinding> terminals, const core::Clock& clock,
                   PaymentServiceOptions options = PaymentServiceOptions{});
    // Operations still followed are left open in the journal (reconcile settles them); their
    // completions hear a core::Error "closed".
    ~PaymentService();
    PaymentService(const PaymentService&) = delete;
    PaymentService& operator=(const PaymentService&) = delete;

    // Takes a card payment. Bad input (unknown terminal, amount) is an InputError before anything
    // is written. Everything after that ends in the returned entry's state, never in an exception
    // that leaves the entry open without a reason.
    JournalEntry pay(const PayRequest& request, const ProgressListener& progress = {});

    // Gives money back for an approved sale: a new entry linked to it, with the credit document's
    // own signature. InputError when the sale is not an approved, unvoided sale or the refunds
    // would exceed it.
    JournalEntry refund(const RefundRequest& request, const ProgressListener& progress = {});

    // Voids (reverses) an approved sale through its network: a void entry linked to it; the sale
    // is marked voided and nothing is booked.
    JournalEntry voidSale(const std::string& originalEntry,
                          std::optional<std::string> idempotencyKey = std::nullopt,
                          const ProgressListener& progress = {});

    // Captures an approved pre-authorisation: a "completion" entry linked to it, with the
    // invoice's signature, that books the amount.
    JournalEntry capture(const CaptureRequest& request, const ProgressListener& progress = {});

    // The cashier or the ERP stops a payment that is still open: the terminal is asked to abort
    // it, and the payment's own loop (or a later status) records how it really ended, which can
    // still be approved. A payment that has not reached the network yet is stopped before it is
    // sent. NotSupportedError when the network cannot abort from the ERP; the entry as it stands
    // when the request was made otherwise.
    JournalEntry cancel(const std::string& entryId, const ProgressListener& progress = {});

    // Closes the batch (the day) of a terminal whose network lets the ERP do it: a "batch_close"
    // entry with the network's totals. NotSupportedError, before anything is written, for a
    // network that closes batches by itself.
    JournalEntry closeBatch(const std::string& terminal,
                            std::optional<std::string> idempotencyKey = std::nullopt,
                            const ProgressListener& progress = {});

    // The same operations without holding the caller's thread for the wait: each checks its
    // input (InputError, nothing written) and opens its entry on the caller's thread — after the
    // terminal's turn has come, when another request holds it — and returns the entry as opened
    // (or as known, for a repeated idempotency key). The rest (the provider's signature, the
    // request to the network, the questions until the payment ends) runs on the service's
    // workers, its waits on timers; `done` hears the outcome. `progress` is called on the
    // workers.
    JournalEntry startPay(const PayRequest& request, const ProgressListener& progress,
                          Completion done);
    JournalEntry startRefund(const RefundRequest& request, const ProgressListener& progress,
                             Completion done);
    JournalEntry startVoid(const std::string& originalEntry,
                           std::optional<std::string> idempotencyKey,
                           const ProgressListener& progress, Completion done);
    JournalEntry startCapture(const CaptureRequest& request, const ProgressListener& progress,
                              Completion done);
    JournalEntry startCloseBatch(const std::string& terminal,
                                 std::optional<std::string> idempotencyKey,
                                 const ProgressListener& progress, Completion done);
    // Operations started with a completion that have not ended yet, or whose completion has not
    // returned.
    std::size_t inFlight() const;

    // A network's event (a webhook) says that the payment under `networkReference` moved: the
    // loop waiting on it in this process asks at once instead of at its next poll. False when no
    // payment under that reference is waiting here (then status() records the news).
    bool nudge(const std::string& networkReference);

    // From now on this process hears the webhooks of `network` (fiscpos serve's endpoint, or
    // another instance passing them on): its payments are asked about every `fallback` only, as
    // a fallback for a lost webhook, and a webhook's nudge() asks at once. Without this the
    // adaptive schedule runs.
    void expectNudges(const std::string& network, std::chrono::milliseconds fallback);

    // Asks the network again about one entry and records what changed (a status refresh).
    JournalEntry status(const std::string& entryId, const ProgressListener& progress = {});
    // status() for work found outside a payment (reconcile, a webhook): nullopt, having done
    // nothing, while the entry's terminal is busy with another request — of this process or of
    // another process or instance on the journal, which follows the entry itself. Never waits for
    // a card.
    std::optional<JournalEntry> statusIfIdle(const std::string& entryId,
                                             const ProgressListener& progress = {});

    // Settles every open entry (SIGNING, SENDING, SENT, IN_DOUBT) created since `since`: one the
    // network never received is closed NOT_CHARGED, one it received gets its real outcome. Never
    // starts a second payment.
    std::vector<JournalEntry> reconcile(std::optional<core::TimePoint> since = std::nullopt,
                                        const ProgressListener& progress = {});

    const TerminalBinding& terminal(const std::string& name) const;

private:
    class Run;
    struct Following;
    struct Async;
    // The operations, run on the caller's thread (done == nullptr) or started (operateAsync).
    JournalEntry payWith(const PayRequest& request, const ProgressListener& progress,
                         const Completion* done);
    JournalEntry refundWith(const RefundRequest& request, const ProgressListener& progress,
                            const Completion* done);
    JournalEntry voidWith(const std::string& originalEntry,
                          std::optional<std::string> idempotencyKey,
                          const ProgressListener& progress, const Completion* done);
    JournalEntry captureWith(const CaptureRequest& request, const ProgressListener& progress,
                             const Completion* done);
    JournalEntry closeBatchWith(const std::string& terminal,
                                std::optional<std::string> idempotencyKey,
                                const ProgressListener& progress, const Completion* done);
    // Held while a request runs on a terminal that takes one at a time — by every process and
    // instance on the journal ("terminal:NAME", CashJournal::lock); empty for a network that
    // queues requests (several may run on one terminal at once).
    // While it waits for another request, `progress` hears "waiting" (under `entryId`, empty
    // before the entry is opened).
    static std::string terminalLockName(const TerminalBinding& binding);
    std::optional<JournalLock> lockTerminal(const TerminalBinding& binding,
                                            const std::string& entryId,
                                            const ProgressListener& progress);
    NewEntry entryFor(EntryKind kind, const TerminalBinding& binding,
                      const einvoice::Invoice* invoice, core::Money amount, core::Money tip,
                      std::optional<std::string> idempotencyKey,
                      std::optional<std::string> original, std::string request) const;
    // A repeated request's entry: settled first while open, followed like the first request
    // while the card is still awaited.
    JournalEntry known(Run& run, const JournalEntry& entry);
    // How every operation starts: under the terminal's lock, the entry is opened (the terminal's
    // admit() and the journal's money rules checked in the same transaction) and `operation`
    // runs it; an idempotency key already known returns its entry instead, settled first.
    // The void of `sale` on its terminal, once its entry is open.
    JournalEntry voidOn(Run& run, const TerminalBinding& binding, const JournalEntry& sale);
    JournalEntry operate(const TerminalBinding& binding, const NewEntry& entry,
                         const std::function<void()>& admit, const ProgressListener& progress,
                         const std::function<JournalEntry(Run&)>& operation,
                         const Completion* done = nullptr);
    // operate() for a start...(): the terminal's turn and the entry on this thread, `operation`
    // on a worker; a payment it leaves waiting is parked (Run::pollUntilFinal) and asked about by
    // nextTurn() on timers until it ends, then finish() calls `done`.
    JournalEntry operateAsync(const TerminalBinding& binding, const NewEntry& entry,
                              const std::function<void()>& admit, const ProgressListener& progress,
                              const std::function<JournalEntry(Run&)>& operation,
                              const Completion& done);
    core::Scheduler& scheduler();
    // Runs one task of a started operation, counting its CPU (options_.operationCpu).
    void charged(const std::shared_ptr<Async>& op, const std::function<void()>& task);
    void nextTurn(const std::shared_ptr<Async>& op);
    void wake(const std::shared_ptr<Async>& op);
    void finish(const std::shared_ptr<Async>& op, std::optional<JournalEntry> entry,
                std::exception_ptr error);
    // status() with the terminal's lock held by the caller.
    JournalEntry statusLocked(Run& run, bool resume);
    // The entry `entryId` names, when it is of `kind`; InputError otherwise. Whether it may still
    // be refunded, voided or captured is the journal's to say, when the new entry is opened.
    JournalEntry original(const std::string& entryId, EntryKind kind) const;
    // InputError naming the field when a payment of `amount` in the invoice's terms cannot be a
    // card charge: not EUR, a credit document, more than maxAmount.
    void checkCharge(const einvoice::Invoice& invoice, core::Money amount, bool credit) const;
    // Tells the cashier (and the journal) that the customer's e-mail or phone cannot go to this
    // network.
    static void noteContactDropped(const TerminalBinding& binding, const PayRequest& request,
                                   Run& run);
    // The provider signature of a payment that ended before it reached the network is cancelled
    // at the provider, so that it can never be used; the cancellation is journaled once.
    void releaseSignature(const JournalEntry& entry, const ProgressListener& progress);
    // Marks the sale voided by an approved void, once.
    void markVoided(const std::string& saleId, const std::string& voidId);
    static core::NetworkPaymentIds networkIdsOf(const JournalEntry& entry);
    // Why autonomous mode is over (the first autonomous payment since the provider last signed
    // one is older than the window), or nullopt.
    std::optional<std::string> autonomousPeriodOver() const;
    // Refuses autonomous mode before anything is written: InputError naming "autonomous".
    void admitAutonomous(const core::PaymentRequest& intent, const TerminalBinding& binding) const;
    JournalEntry signAndCharge(Run& run, const TerminalBinding& binding,
                               const einvoice::Invoice& invoice,
                               const signing::SignatureRequest& signatureRequest,
                               core::PaymentRequest intent);
    // Autonomous mode after the provider could not be reached (`unreachable` says how): journals
    // the reason and sends the sale without a signature.
    JournalEntry chargeAutonomously(Run& run, const TerminalBinding& binding,
                                    core::PaymentRequest intent, const std::string& unreachable);
    // Moves the entry to SENDING with `reference`, durable before the call that uses it. When the
    // ERP cancelled it meanwhile (the state table refuses the move), closes it CANCELLED,
    // releases its signature and returns nullopt: nothing goes to the network.
    // A preloaded sale's `preloadUntil` is written with it.
    std::optional<JournalEntry> chooseReference(Run& run, const TerminalBinding& binding,
                                                const std::string& reference,
                                                const std::optional<std::string>& preloadUntil);
    // Chooses `reference` (chooseReference: nothing is sent when the ERP cancelled), tells the
    // cashier `sending`, makes the request (`start`) and follows it to its end; a preloaded sale
    // only until the network has it (SENT).
    JournalEntry send(Run& run, const TerminalBinding& binding, const std::string& reference,
                      const core::Message& sending,
                      const std::function<core::TerminalReport()>& start,
                      const std::optional<std::string>& preloadUntil = std::nullopt);

    CashJournal& journal_;
    signing::Signer& signer_;
    std::map<std::string, TerminalBinding> terminals_;
    const core::Clock& clock_;
    PaymentServiceOptions options_;
    // The payments waiting on a network, by our reference, with what wakes each (nudge()).
    mutable std::mutex waitingMutex_;
    // The networks whose webhooks this process hears, with the fallback schedule of each.
    std::map<std::string, PollSchedule> nudged_;
    PollSchedule scheduleFor(const TerminalBinding& binding);
    std::map<std::string, std::function<void()>> waiting_;
    // Started operations until they end, by the order they started in.
    std::map<std::uint64_t, std::shared_ptr<Async>> inFlight_;
    std::uint64_t lastSerial_ = 0;
    std::mutex schedulerMutex_;
    std::unique_ptr<core::Scheduler> scheduler_; // made at the first start...()
};

} // namespace fiscpos::plugin
