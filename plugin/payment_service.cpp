#include "plugin/payment_service.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/ids.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/payment_signature.hpp"
#include "signing/provider_error.hpp"

#include <algorithm>
#include <atomic>
#include <vector>

namespace fiscpos::plugin {

namespace {

using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

constexpr int maxInstalments = 36;

// The myDATA credit documents: money back, never a card charge.
bool isCreditDocument(const std::string& type) {
    return type == "5.1" || type == "5.2" || type == "11.4";
}

std::string seconds(std::chrono::milliseconds duration) {
    return std::to_string(duration.count() / 1000) + " s";
}

// The entry fields a network's report sets.
EntryChanges changesOf(const TerminalReport& report) {
    EntryChanges changes;
    auto set = [](std::optional<std::string>& field, const std::string& value) {
        if (!value.empty()) {
            field = value;
        }
    };
    set(changes.networkIntentId, report.ids.intentId);
    set(changes.transactionId, report.ids.transactionId);
    set(changes.networkTransactionRef, report.ids.networkTransactionRef);
    set(changes.rrn, report.rrn);
    set(changes.authCode, report.authCode);
    set(changes.maskedPan, report.maskedPan);
    set(changes.cardType, report.cardType);
    return changes;
}

std::string describe(const TerminalReport& report) {
    std::string text = std::string(core::stageName(report.stage));
    if (report.outcome) {
        text += "/" + std::string(core::outcomeName(*report.outcome));
    }
    if (!report.networkStatus.empty()) {
        text += " (" + report.networkStatus + ")";
    }
    return text;
}

// What the cashier reads for a report of the network: the stage (or the final state) in words,
// the network's own status and message after it.
core::Message stageText(const TerminalReport& report, EntryState next, const std::string& message) {
    std::vector<std::pair<std::string, std::string>> values{
        {"status", describe(report)}, {"message", message.empty() ? "" : ": " + message}};
    switch (report.stage) {
    case TerminalStage::NotFound:
        return core::msg("the network has nothing under our reference yet [{status}]{message}",
                         std::move(values));
    case TerminalStage::Pending:
        return core::msg(
            "the network has the payment; waiting for the terminal [{status}]{message}",
            std::move(values));
    case TerminalStage::OnDevice:
        return core::msg("on the terminal: the card is awaited [{status}]{message}",
                         std::move(values));
    case TerminalStage::Final:
        break;
    }
    switch (next) {
    case EntryState::Approved:
        return core::msg("approved [{status}]{message}", std::move(values));
    case EntryState::Declined:
        return core::msg("declined: nothing was charged [{status}]{message}", std::move(values));
    case EntryState::Cancelled:
        return core::msg("cancelled: nothing was charged [{status}]{message}", std::move(values));
    case EntryState::Failed:
    case EntryState::NotCharged:
        return core::msg("failed: nothing was charged [{status}]{message}", std::move(values));
    default:
        return core::msg("the outcome is not known: do not charge again [{status}]{message}",
                         std::move(values));
    }
}

// IRIS asked of a terminal whose network fiscpos cannot ask for it: refused before anything is
// signed or journaled.
void admitIris(const core::PaymentRequest& intent, const TerminalBinding& binding) {
    if (intent.iris && binding.terminal && !binding.terminal->traits().requestsIris) {
        throw core::InputError("iris", "fiscpos cannot ask a " + binding.network +
                                           " terminal for an IRIS payment; the customer pays by "
                                           "card, or by IRIS where the terminal offers it");
    }
}

// A refund or void of an IRIS payment goes through the terminal only where the network gives
// IRIS payments back; elsewhere the money goes back through the bank, and fiscpos refuses before
// anything is signed.
// "90 minutes", "1 hour", "60 hours".
std::string lengthText(std::chrono::minutes length) {
    const auto n = length.count();
    if (n % 60 == 0) {
        return std::to_string(n / 60) + (n == 60 ? " hour" : " hours");
    }
    return std::to_string(n) + (n == 1 ? " minute" : " minutes");
}

// Checks a preload before anything is signed or written: the network must hold a sale for the
// customer to pay later, for a whole number of its steps up to its longest, and the provider's
// signature must outlive it by `margin`. InputError naming "preload" otherwise.
void admitPreload(const core::PaymentRequest& intent, const TerminalBinding& binding,
                  signing::SignatureDuration duration, std::chrono::minutes margin) {
    if (!intent.preload) {
        return;
    }
    const std::chrono::minutes length = *intent.preload;
    if (intent.preauth) {
        throw core::InputError("preload", "a pre-authorisation cannot be preloaded");
    }
    if (intent.iris) {
        throw core::InputError("preload", "an IRIS payment cannot be preloaded: the customer pays "
                                          "by IRIS while the terminal waits");
    }
    const auto& limits = binding.terminal->traits().preload;
    if (!limits) {
        throw core::InputError("preload", "terminal " + binding.name + " (" + binding.network +
                                              ") cannot hold a payment for the customer to pay "
                                              "later: take the payment while the customer is "
                                              "there");
    }
    if (length < limits->step || length % limits->step != std::chrono::minutes(0)) {
        throw core::InputError("preload",
                               binding.network + " holds a preloaded payment for whole " +
                                   (limits->step == std::chrono::minutes(1)
                                        ? std::string("minutes")
                                        : "steps of " + lengthText(limits->step)) +
                                   ": " + std::to_string(length.count()) + " minutes is not one");
    }
    if (length > limits->longest) {
        throw core::InputError("preload", std::to_string(length.count()) +
                                              " minutes is longer than " + binding.network +
                                              " holds a preloaded payment (" +
                                              lengthText(limits->longest) + " at most)");
    }
    const std::chrono::minutes lasts = signing::signatureLifetime(duration);
    if (length + margin > lasts) {
        throw core::InputError(
            "preload", std::to_string(length.count()) + " minutes is too long: the provider's " +
                           "signature lasts " + lengthText(lasts) +
                           " ([provider] duration = " + std::to_string(static_cast<int>(duration)) +
                           ") and must outlive the " + "preload by " + lengthText(margin) +
                           ", so at most " + std::to_string((lasts - margin).count()) + " minutes" +
                           (duration == signing::SignatureDuration::Hours2
                                ? "; [provider] duration = 1 gives signatures of 60 hours"
                                : ""));
    }
}

void refuseIrisGivenBack(const JournalEntry& sale, const TerminalBinding& binding,
                         const std::string& what) {
    if (!sale.iris() || !binding.terminal || binding.terminal->traits().refundsIris) {
        return;
    }
    throw core::InputError("original_entry",
                           "entry " + sale.id + " was paid by IRIS, and " + binding.network +
                               " terminals do not " + what +
                               " IRIS payments: give the money back by bank transfer and issue "
                               "the credit note with that payment method (myDATA type 1, 2 or 6)");
}

// The earliest a request under the entry's network reference can have left: its opening (the
// reference is journaled after it, and the request after that). Terminal::query reads a "no such
// request" by it.
std::optional<core::TimePoint> sentNoEarlierThan(const JournalEntry& entry) {
    return core::timeIfReadable(entry.createdAt);
}

} // namespace

// A payment being followed to its end: what the next question needs.
struct PaymentService::Following {
    std::string reference;
    JournalEntry entry;
    core::TimePoint started; // when the request left: the schedule counts from here
    PollSchedule schedule;
    int failures = 0; // questions that failed in a row
    std::optional<core::TimePoint> abortDeadline;
};

// One operation on one entry: journals the network's exchanges that matter and moves the state.
class PaymentService::Run {
public:
    Run(PaymentService& service, const TerminalBinding& binding, std::string entryId,
        const ProgressListener& progress)
        : service_(service)
        , binding_(binding)
        , entryId_(std::move(entryId))
        , progress_(progress)
        , exchangeSink_(
              [this](const core::HttpExchange& exchange) { exchanges_.push_back(exchange); }) {}

    // Where the terminal calls of this run send their exchanges: handed to each call, so two runs
    // on one terminal (a payment and its cancel, queued GP tom tasks) never see each other's.
    const core::HttpObserver& exchangeSink() const { return exchangeSink_; }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    // A progress step for the cashier, in the service's language.
    void tell(const std::string& step, const core::Message& text) const {
        if (progress_) {
            progress_(entryId_, step, text.in(service_.options_.language));
        }
    }

    JournalEntry append(const EventRecord& event, const EntryChanges& changes = {}) {
        return service_.journal_.append(entryId_, event, changes);
    }

    // Journals the exchanges since the last call; the last one carries `changes`.
    JournalEntry flushExchanges(const EntryChanges& changes, const std::string& note = {}) {
        std::vector<core::HttpExchange> exchanges;
        exchanges.swap(exchanges_);
        if (exchanges.empty()) {
            return append(EventRecord::make(event_kind::State, note), changes);
        }
        JournalEntry entry;
        for (std::size_t i = 0; i < exchanges.size(); ++i) {
            const bool last = i + 1 == exchanges.size();
            const bool write = exchanges[i].method == "GET" ? last : true;
            if (!write) {
                continue;
            }
            EventRecord event =
                EventRecord::fromExchange(event_kind::NetworkResponse, exchanges[i]);
            if (last && !note.empty()) {
                event.note = note;
            }
            entry = append(event, last ? changes : EntryChanges{});
        }
        return entry;
    }
    void dropExchanges() { exchanges_.clear(); }

    // Records a report: the state it means and the identifiers it carries. Nothing is written when
    // nothing changed.
    JournalEntry record(const TerminalReport& report, EntryState current, EntryState whenNotFound) {
        EntryState next = current;
        if (report.stage == TerminalStage::NotFound && !acknowledged()) {
            if (notFoundAnswers_++ == 0) {
                notFoundSince_ = service_.clock_.now();
            }
        } else {
            notFoundAnswers_ = 0;
        }
        switch (report.stage) {
        case TerminalStage::NotFound:
            next = whenNotFound;
            break;
        case TerminalStage::Pending:
        case TerminalStage::OnDevice:
            // A tentative Pending is the adapter's guess, not the network's record.
            next = report.tentative ? current : EntryState::Sent;
            break;
        case TerminalStage::Final:
            next = stateOfOutcome(report.outcome.value_or(PaymentOutcome::InDoubt));
            break;
        }
        EntryChanges changes = changesOf(report);
        const bool stageChanged = report.stage != lastStage_;
        lastStage_ = report.stage;
        if (next == current && !stageChanged) {
            dropExchanges();
            return service_.journal_.get(entryId_);
        }
        const std::string message = report.batch
                                        ? batchOutcome(*report.batch) +
                                              (report.message.empty() ? "" : "; ") + report.message
                                        : report.message;
        // A final state says why in the entry; SENT needs no words.
        if (next != current) {
            changes.state = next;
            if (next != EntryState::Sent) {
                changes.outcome = message.empty() ? stateMeaning(next) : message;
            }
        }
        tell(report.stage == TerminalStage::Final ? std::string(stateName(next))
                                                  : std::string(core::stageName(report.stage)),
             stageText(report, next, message));
        if (next == EntryState::Sent) {
            acknowledged_ = true;
        }
        return settled(flushExchanges(changes, describe(report)));
    }

    // Whether the network ever acknowledged the request (answered it, or reported the payment
    // from its record): such a payment is never "never arrived", whatever the network says later.
    bool acknowledged() {
        if (!acknowledged_) {
            const auto events = service_.journal_.events(entryId_);
            acknowledged_ = std::any_of(events.begin(), events.end(), [](const JournalEvent& e) {
                return e.toState == EntryState::Sent;
            });
        }
        return *acknowledged_;
    }
    void acknowledge() { acknowledged_ = true; }

    // What follows from an entry's new state elsewhere in the journal: an approved void marks its
    // sale voided (also when the void was settled later by status or reconcile).
    JournalEntry settled(JournalEntry entry) {
        if (entry.kind == EntryKind::Void && entry.state == EntryState::Approved &&
            entry.originalEntry) {
            service_.markVoided(*entry.originalEntry, entry.id);
            tell("voided", core::msg("the sale {entry} is voided; nothing is booked",
                                     {{"entry", *entry.originalEntry}}));
        }
        return entry;
    }

    // True when the network has answered "nothing under this reference" often enough, for long
    // enough, about a request it never acknowledged.
    bool neverArrived() const {
        return notFoundAnswers_ >= service_.options_.notFoundAnswers &&
               service_.clock_.now() - notFoundSince_ >= service_.options_.notFoundFor;
    }

    // Polls until the payment is final or the deadline passes (then IN_DOUBT). The schedule and
    // the deadline count from `started`, when the request left: a network that held the request
    // while the card was awaited (WebECR's long wait) has used part of both already.
    // In a run that parks (an operation started with a completion), the payment is handed over as
    // it stands instead: the PaymentService asks its turns on timers (nextWait, ask) and this
    // returns the entry still open.
    JournalEntry pollUntilFinal(const std::string& reference, JournalEntry entry,
                                core::TimePoint started) {
        Following following{reference, std::move(entry), started, service_.scheduleFor(binding_),
                            0,         std::nullopt};
        if (park_) {
            JournalEntry open = following.entry;
            park_(std::move(following));
            return open;
        }
        const WaitingRegistration waiting(service_, reference, [this] { wakeup_.notify(); });
        while (const auto wait = nextWait(following)) {
            service_.clock_.waitFor(*wait, wakeup_);
            if (ask(following)) {
                break;
            }
        }
        return following.entry;
    }

    // The wait before the next question about a followed payment; nullopt once it has ended —
    // settled here when the network never received it or the deadline passed (IN_DOUBT).
    std::optional<std::chrono::milliseconds> nextWait(Following& f) {
        if (!f.entry.open()) {
            return std::nullopt;
        }
        if (f.entry.preloaded() && f.entry.state == EntryState::Sent) {
            // The terminal holds it for the customer: status and reconcile ask about it later.
            tell("preloaded",
                 core::msg("loaded on the terminal: the customer can pay there until {time}; run "
                           "status to see whether it was paid",
                           {{"time", core::greekAthensTime(*f.entry.preloadUntil, false)}}));
            return std::nullopt;
        }
        if (neverArrived()) {
            const std::string why = "the network has had nothing under our reference for " +
                                    seconds(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        service_.clock_.now() - notFoundSince_)) +
                                    " (" + std::to_string(notFoundAnswers_) + " answers)";
            tell("not_charged",
                 core::msg("the network has had nothing under our reference for {time}: the "
                           "request never arrived, nothing was charged",
                           {{"time", seconds(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         service_.clock_.now() - notFoundSince_))}}));
            f.entry = append(EventRecord::make(event_kind::State, why),
                             withOutcome(EntryState::NotCharged,
                                         why + ": the request never arrived, nothing was charged"));
            return std::nullopt;
        }
        const core::TimePoint now = service_.clock_.now();
        const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - f.started);
        auto wait = f.schedule.nextWait(waited);
        if (!wait && !f.abortDeadline && f.entry.state == EntryState::Sent &&
            askAbort(f.reference)) {
            f.abortDeadline = now + service_.options_.afterAbort;
        }
        if (!wait && f.abortDeadline && now < *f.abortDeadline) {
            wait = std::min(
                std::chrono::milliseconds(1000),
                std::chrono::duration_cast<std::chrono::milliseconds>(*f.abortDeadline - now));
        }
        if (!wait) {
            const auto deadline =
                service_.options_.schedule.deadline() +
                (f.abortDeadline ? service_.options_.afterAbort : std::chrono::milliseconds(0));
            tell("in_doubt",
                 core::msg("no final answer within the deadline: do not charge again; run status "
                           "or reconcile"));
            f.entry = append(EventRecord::make(event_kind::State,
                                               "no final answer within " + seconds(deadline) +
                                                   (f.abortDeadline ? " (the terminal was asked "
                                                                      "to stop the payment)"
                                                                    : "")),
                             withOutcome(EntryState::InDoubt,
                                         "no final answer from the terminal yet: do not charge "
                                         "again; run status or reconcile"));
            return std::nullopt;
        }
        return wait;
    }

    // One question about a followed payment; true when the network gave its last word.
    bool ask(Following& f) {
        try {
            const TerminalReport report =
                binding_.terminal->query(f.reference, exchangeSink_, sentNoEarlierThan(f.entry));
            f.failures = 0;
            // Nothing under our reference changes nothing here: a request the network never
            // acknowledged settles as never arrived (nextWait), one it did stays in doubt.
            f.entry = record(report, f.entry.state, f.entry.state);
            // The network's last word, IN_DOUBT included (WebECR's UNKNOWN): asking again
            // until the deadline would only keep the cashier waiting.
            return report.stage == TerminalStage::Final;
        } catch (const core::Error& e) {
            // A failed question changes nothing about the payment: ask again.
            if (++f.failures == 1) {
                flushExchanges({}, std::string("asking the network failed: ") + e.what());
            } else {
                dropExchanges();
            }
            return false;
        }
    }

    // Makes pollUntilFinal hand the payment over to `park` instead of waiting on this thread.
    void parkWith(std::function<void(Following)> park) { park_ = std::move(park); }

    // At the deadline: asks the terminal to stop the payment, where the network can. True when the
    // request was made (the payment's own answer then says how it ended).
    bool askAbort(const std::string& reference) {
        try {
            const TerminalReport report = binding_.terminal->abort(reference, exchangeSink_);
            const std::string text =
                "no final answer within " + seconds(service_.options_.schedule.deadline()) +
                ": the terminal was asked to stop the payment" +
                (report.message.empty() ? std::string() : " (" + report.message + ")");
            tell("aborting",
                 core::msg("no final answer within {time}: the terminal was asked to stop the "
                           "payment; waiting for how it ends (it may still be approved)",
                           {{"time", seconds(service_.options_.schedule.deadline())}}));
            flushExchanges({}, text);
            return true;
        } catch (const core::NotSupportedError&) {
            dropExchanges();
            return false;
        } catch (const core::Error& e) {
            tell("aborting", core::msg("asking the terminal to stop the payment failed: {reason}",
                                       {{"reason", e.what()}}));
            flushExchanges({}, std::string("asking the terminal to stop the payment failed: ") +
                                   e.what());
            return false;
        }
    }

    static EntryChanges withOutcome(EntryState state, std::string message) {
        EntryChanges changes = EntryChanges::to(state);
        changes.outcome = std::move(message);
        return changes;
    }

    const std::string& entryId() const { return entryId_; }
    const ProgressListener& progress() const { return progress_; }
    const TerminalBinding& binding() const { return binding_; }

private:
    PaymentService& service_;
    const TerminalBinding& binding_;
    std::string entryId_;
    const ProgressListener& progress_;
    std::vector<core::HttpExchange> exchanges_;
    std::optional<TerminalStage> lastStage_;
    std::optional<bool> acknowledged_;
    int notFoundAnswers_ = 0;
    core::TimePoint notFoundSince_{};
    core::HttpObserver exchangeSink_;
    core::Wakeup wakeup_;
    std::function<void(Following)> park_;

    // Lets nudge() find the wait of a payment in flight, for as long as it waits.
    class WaitingRegistration {
    public:
        WaitingRegistration(PaymentService& service, std::string reference,
                            std::function<void()> wake)
            : service_(service)
            , reference_(std::move(reference)) {
            std::lock_guard lock(service_.waitingMutex_);
            service_.waiting_[reference_] = std::move(wake);
        }
        ~WaitingRegistration() {
            std::lock_guard lock(service_.waitingMutex_);
            service_.waiting_.erase(reference_);
        }
        WaitingRegistration(const WaitingRegistration&) = delete;
        WaitingRegistration& operator=(const WaitingRegistration&) = delete;

    private:
        PaymentService& service_;
        std::string reference_;
    };
};

PaymentService::PaymentService(CashJournal& journal, signing::Signer& signer,
                               std::map<std::string, TerminalBinding> terminals,
                               const core::Clock& clock, PaymentServiceOptions options)
    : journal_(journal)
    , signer_(signer)
    , terminals_(std::move(terminals))
    , clock_(clock)
    , options_(options) {}

const TerminalBinding& PaymentService::terminal(const std::string& name) const {
    auto it = terminals_.find(name);
    if (it == terminals_.end()) {
        std::string known;
        for (const auto& [key, binding] : terminals_) {
            known += (known.empty() ? "" : ", ") + key;
        }
        throw core::InputError("terminal",
                               "\"" + name + "\" is not a configured terminal" +
                                   (known.empty() ? "" : " (configured: " + known + ")"));
    }
    it->second.requireUsable();
    return it->second;
}

// The journal's lock of a terminal that takes one request at a time.
std::string PaymentService::terminalLockName(const TerminalBinding& binding) {
    return "terminal:" + binding.name;
}

std::optional<JournalLock> PaymentService::lockTerminal(const TerminalBinding& binding,
                                                        const std::string& entryId,
                                                        const ProgressListener& progress) {
    if (binding.terminal->traits().queuesRequests) {
        return std::nullopt;
    }
    const std::string name = terminalLockName(binding);
    if (auto free = journal_.tryLock(name)) {
        return free;
    }
    // Another request of this or another process holds the terminal: say so, then wait.
    if (progress) {
        progress(entryId, "waiting",
                 core::tr(options_.language,
                          "terminal {terminal} is busy with another request; this one starts "
                          "when it ends",
                          {{"terminal", binding.name}}));
    }
    return journal_.lock(name);
}

NewEntry PaymentService::entryFor(EntryKind kind, const TerminalBinding& binding,
                                  const einvoice::Invoice* invoice, core::Money amount,
                                  core::Money tip, std::optional<std::string> idempotencyKey,
                                  std::optional<std::string> original, std::string request) const {
    NewEntry entry;
    entry.kind = kind;
    entry.terminal = binding.name;
    entry.network = binding.network;
    entry.tid = binding.tid;
    entry.amount = amount;
    entry.tip = tip;
    entry.idempotencyKey = std::move(idempotencyKey);
    entry.originalEntry = std::move(original);
    if (invoice != nullptr) {
        entry.currency = invoice->currency;
        entry.invoiceUid = invoice->uid();
        entry.invoiceSeries = invoice->series;
        entry.invoiceAa = invoice->aa;
        entry.invoiceType = invoice->type;
        entry.invoiceIssuedAt = invoice->issuedAt;
        entry.invoiceTotal = invoice->totals.gross;
    }
    entry.request = std::move(request);
    return entry;
}

JournalEntry PaymentService::operate(const TerminalBinding& binding, const NewEntry& entry,
                                     const std::function<void()>& admit,
                                     const ProgressListener& progress,
                                     const std::function<JournalEntry(Run&)>& operation,
                                     const Completion* done) {
    if (done != nullptr) {
        return operateAsync(binding, entry, admit, progress, operation, *done);
    }
    const auto terminalGuard = lockTerminal(binding, "", progress);
    const auto opened = journal_.openEntry(entry, admit);
    Run run(*this, binding, opened.entry.id, progress);
    return opened.created ? operation(run) : known(run, opened.entry);
}

JournalEntry PaymentService::known(Run& run, const JournalEntry& entry) {
    // The same request again: never a second intent. Settle it first if it is still open, and
    // when the network says the card is still awaited, wait for it as the first request would.
    run.tell("known", core::msg("this request is already in the journal"));
    return entry.open() ? statusLocked(run, true) : entry;
}

// An operation started with a completion: its entry opened on the caller's thread, the rest on
// the scheduler's workers, its waits on timers.
struct PaymentService::Async {
    ProgressListener progress; // the run's listener, owned here
    Completion done;           // called once, when the operation ends
    std::optional<JournalLock> terminal;
    std::string entryId;
    std::uint64_t serial = 0; // its key in inFlight_ (two may follow one entry)
    std::optional<Run> run;
    std::optional<Following> following; // set while the payment is parked
    // A nudge while parked: the timer of the next question is woken; one that comes while a
    // question is asked is kept for the next wait (as core::Wakeup does for a waiting thread).
    std::mutex mutex;
    bool nudged = false;
    std::optional<core::Scheduler::TimerId> timer;
    // CPU of its tasks so far; one task of an operation runs at a time, but on any worker.
    std::atomic<std::int64_t> cpuNanos{0};
    std::atomic<bool> ended{false};
    std::atomic<bool> cpuReported{false};
};

JournalEntry PaymentService::operateAsync(const TerminalBinding& binding, const NewEntry& entry,
                                          const std::function<void()>& admit,
                                          const ProgressListener& progress,
                                          const std::function<JournalEntry(Run&)>& operation,
                                          const Completion& done) {
    auto op = std::make_shared<Async>();
    op->progress = progress;
    op->done = done;
    if (auto turn = lockTerminal(binding, "", op->progress)) {
        op->terminal.emplace(std::move(*turn));
    }
    const auto opened = journal_.openEntry(entry, admit);
    op->entryId = opened.entry.id;
    op->run.emplace(*this, binding, opened.entry.id, op->progress);
    Async* self = op.get();
    op->run->parkWith([self](Following following) { self->following = std::move(following); });
    {
        std::lock_guard lock(waitingMutex_);
        op->serial = ++lastSerial_;
        inFlight_.emplace(op->serial, op);
    }
    scheduler().post([this, op, operation, created = opened.created, openedEntry = opened.entry] {
        charged(op, [&] {
            try {
                JournalEntry ended = created ? operation(*op->run) : known(*op->run, openedEntry);
                if (!op->following) { // ended without waiting on the terminal
                    finish(op, ended, nullptr);
                    return;
                }
                // Waiting on the terminal: a timer, and nudge() may wake it.
                {
                    std::lock_guard lock(waitingMutex_);
                    waiting_[op->following->reference] = [this, op] {
                        wake(op);
                    };
                }
                nextTurn(op);
            } catch (...) {
                finish(op, std::nullopt, std::current_exception());
            }
        });
    });
    return opened.entry;
}

void PaymentService::charged(const std::shared_ptr<Async>& op, const std::function<void()>& task) {
    const auto start = core::threadCpuTime();
    task();
    const auto used = (core::threadCpuTime() - start).count();
    const auto total = op->cpuNanos.fetch_add(used) + used;
    if (op->ended && options_.operationCpu && !op->cpuReported.exchange(true)) {
        options_.operationCpu(op->entryId, std::chrono::nanoseconds(total));
    }
}

core::Scheduler& PaymentService::scheduler() {
    std::lock_guard lock(schedulerMutex_);
    if (!scheduler_) {
        scheduler_ = std::make_unique<core::Scheduler>(options_.workers);
    }
    return *scheduler_;
}

void PaymentService::wake(const std::shared_ptr<Async>& op) {
    std::lock_guard lock(op->mutex);
    op->nudged = true;
    if (op->timer && scheduler().wake(*op->timer)) {
        op->timer.reset();
    }
}

void PaymentService::nextTurn(const std::shared_ptr<Async>& op) {
    const auto wait = op->run->nextWait(*op->following);
    if (!wait) {
        finish(op, op->following->entry, nullptr);
        return;
    }
    std::lock_guard lock(op->mutex);
    auto turn = [this, op] {
        {
            std::lock_guard taken(op->mutex);
            op->timer.reset();
            op->nudged = false;
        }
        charged(op, [&] {
            try {
                if (op->run->ask(*op->following)) {
                    finish(op, op->following->entry, nullptr);
                    return;
                }
                nextTurn(op);
            } catch (...) {
                finish(op, std::nullopt, std::current_exception());
            }
        });
    };
    if (op->nudged) {
        scheduler().post(std::move(turn));
    } else {
        op->timer = scheduler().after(clock_.realDelay(*wait), std::move(turn));
    }
}

void PaymentService::finish(const std::shared_ptr<Async>& op, std::optional<JournalEntry> entry,
                            std::exception_ptr error) {
    {
        std::lock_guard lock(waitingMutex_);
        if (op->following) {
            waiting_.erase(op->following->reference);
        }
    }
    op->terminal.reset(); // the terminal is free before the ERP hears the outcome
    op->ended = true;
    if (!entry) {
        try {
            entry = journal_.get(op->entryId);
        } catch (const std::exception&) {
            entry = JournalEntry{};
            entry->id = op->entryId;
        }
    }
    const Completion done = std::exchange(op->done, nullptr);
    if (done) {
        try {
            done(*entry, error);
        } catch (...) {
            // The ERP's callback is its own business; the payment has ended either way.
        }
    }
    // In flight until the ERP has heard the outcome: whoever waits for inFlight() to reach 0
    // (serve on SIGTERM) then knows every answer was delivered.
    std::lock_guard lock(waitingMutex_);
    inFlight_.erase(op->serial);
}

std::size_t PaymentService::inFlight() const {
    std::lock_guard lock(waitingMutex_);
    return inFlight_.size();
}

PaymentService::~PaymentService() {
    std::unique_ptr<core::Scheduler> scheduler;
    {
        std::lock_guard lock(schedulerMutex_);
        scheduler.swap(scheduler_);
    }
    scheduler.reset(); // the workers stop; the timers not run are dropped
    std::map<std::uint64_t, std::shared_ptr<Async>> left;
    {
        std::lock_guard lock(waitingMutex_);
        left.swap(inFlight_);
        waiting_.clear();
    }
    for (auto& [serial, op] : left) {
        // Still open in the journal: reconcile settles it.
        finish(op, std::nullopt,
               std::make_exception_ptr(
                   core::Error("closed", "fiscpos was closed while entry " + op->entryId +
                                             " was still followed: it stays open; run reconcile")));
    }
}

void PaymentService::checkCharge(const einvoice::Invoice& invoice, core::Money amount,
                                 bool credit) const {
    if (invoice.currency != "EUR") {
        throw core::InputError("invoice.currency",
                               "\"" + invoice.currency +
                                   "\": card terminals in Greece charge EUR only; issue the "
                                   "invoice in EUR");
    }
    if (!credit && isCreditDocument(invoice.type)) {
        throw core::InputError("invoice.type", "\"" + invoice.type +
                                                   "\" is a credit document: money goes back "
                                                   "with fiscpos refund, never with a charge");
    }
    if (amount > options_.maxAmount) {
        throw core::InputError("amount", amount.toString() + " is more than " +
                                             options_.maxAmount.toString() +
                                             ", the most one card payment may be");
    }
}

void PaymentService::noteContactDropped(const TerminalBinding& binding, const PayRequest& request,
                                        Run& run) {
    if ((!request.customerEmail && !request.customerPhone) ||
        binding.terminal->traits().carriesCustomerContact) {
        return;
    }
    const std::string carried = request.customerEmail && request.customerPhone ? "e-mail and phone"
                                : request.customerEmail                        ? "e-mail"
                                                                               : "phone";
    const std::string text = binding.network + " cannot carry the customer's " + carried +
                             ": not sent to the terminal; once the invoice is issued, send the "
                             "receipt link with receipt (--email / --sms)";
    run.tell("notice", core::msg("{network} cannot carry the customer's {what}: not sent to the "
                                 "terminal; once the invoice is issued, send the receipt link "
                                 "with receipt (--email / --sms)",
                                 {{"network", binding.network}, {"what", carried}}));
    run.append(EventRecord::make(event_kind::Note, text));
}

JournalEntry PaymentService::pay(const PayRequest& request, const ProgressListener& progress) {
    return payWith(request, progress, nullptr);
}

JournalEntry PaymentService::startPay(const PayRequest& request, const ProgressListener& progress,
                                      Completion done) {
    return payWith(request, progress, &done);
}

JournalEntry PaymentService::refund(const RefundRequest& request,
                                    const ProgressListener& progress) {
    return refundWith(request, progress, nullptr);
}

JournalEntry PaymentService::startRefund(const RefundRequest& request,
                                         const ProgressListener& progress, Completion done) {
    return refundWith(request, progress, &done);
}

JournalEntry PaymentService::voidSale(const std::string& originalEntry,
                                      std::optional<std::string> idempotencyKey,
                                      const ProgressListener& progress) {
    return voidWith(originalEntry, std::move(idempotencyKey), progress, nullptr);
}

JournalEntry PaymentService::startVoid(const std::string& originalEntry,
                                       std::optional<std::string> idempotencyKey,
                                       const ProgressListener& progress, Completion done) {
    return voidWith(originalEntry, std::move(idempotencyKey), progress, &done);
}

JournalEntry PaymentService::capture(const CaptureRequest& request,
                                     const ProgressListener& progress) {
    return captureWith(request, progress, nullptr);
}

JournalEntry PaymentService::startCapture(const CaptureRequest& request,
                                          const ProgressListener& progress, Completion done) {
    return captureWith(request, progress, &done);
}

JournalEntry PaymentService::closeBatch(const std::string& terminalName,
                                        std::optional<std::string> idempotencyKey,
                                        const ProgressListener& progress) {
    return closeBatchWith(terminalName, std::move(idempotencyKey), progress, nullptr);
}

JournalEntry PaymentService::startCloseBatch(const std::string& terminalName,
                                             std::optional<std::string> idempotencyKey,
                                             const ProgressListener& progress, Completion done) {
    return closeBatchWith(terminalName, std::move(idempotencyKey), progress, &done);
}

// The operations below hand operate() what the run needs by value: a started one outlives this
// call.
JournalEntry PaymentService::payWith(const PayRequest& request, const ProgressListener& progress,
                                     const Completion* done) {
    const TerminalBinding& binding = terminal(request.terminal);
    const core::Money amount = request.amount.value_or(request.invoice.totals.gross);
    if (request.instalments < 0 || request.instalments > maxInstalments) {
        throw core::InputError("instalments", std::to_string(request.instalments) +
                                                  " is not from 0 to " +
                                                  std::to_string(maxInstalments));
    }
    checkCharge(request.invoice, core::Money::add(amount, request.tip, "tip"), false);
    const auto signatureRequest =
        signatureRequestFor(request.invoice, amount, binding.tid, binding.nsp, options_.duration);
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::Sale;
    intent.amount = amount;
    intent.tip = request.tip;
    intent.instalments = request.instalments;
    intent.preauth = request.preauth;
    intent.iris = request.iris;
    intent.preload = request.preload;
    intent.autonomous = request.autonomous;
    intent.customerEmail = request.customerEmail;
    intent.customerPhone = request.customerPhone;

    return operate(
        binding,
        entryFor(request.preauth ? EntryKind::Preauth : EntryKind::Sale, binding, &request.invoice,
                 amount, request.tip, request.idempotencyKey, std::nullopt, request.invoiceJson),
        [&] {
            admitIris(intent, binding);
            binding.terminal->admit(intent);
            admitPreload(intent, binding, options_.duration, options_.preloadMargin);
            admitAutonomous(intent, binding);
        },
        progress,
        [this, b = &binding, request, signatureRequest, intent](Run& run) {
            noteContactDropped(*b, request, run);
            return signAndCharge(run, *b, request.invoice, signatureRequest, intent);
        },
        done);
}

JournalEntry PaymentService::refundWith(const RefundRequest& request,
                                        const ProgressListener& progress, const Completion* done) {
    const std::optional<JournalEntry> sale =
        request.originalEntry ? std::optional(original(*request.originalEntry, EntryKind::Sale))
                              : std::nullopt;
    if (!sale && request.terminal.empty()) {
        throw core::InputError("terminal", "an unreferenced refund (no original sale) needs the "
                                           "terminal that gives the money back");
    }
    const TerminalBinding& binding =
        terminal(request.terminal.empty() ? sale->terminal : request.terminal);
    if (sale) {
        refuseIrisGivenBack(*sale, binding, "refund");
    }
    const core::Money amount = request.amount.value_or(request.creditNote.totals.gross);
    checkCharge(request.creditNote, amount, true);
    // The credit document's own signature, in the layout of the network.
    const auto signatureRequest = signatureRequestFor(request.creditNote, amount, binding.tid,
                                                      binding.nsp, options_.duration);
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::Refund;
    intent.amount = amount;
    if (sale) {
        intent.original = networkIdsOf(*sale);
    }

    return operate(
        binding,
        entryFor(EntryKind::Refund, binding, &request.creditNote, amount, core::Money{},
                 request.idempotencyKey, sale ? std::optional(sale->id) : std::nullopt,
                 request.creditNoteJson),
        [&] { binding.terminal->admit(intent); }, progress,
        [this, b = &binding, creditNote = request.creditNote, signatureRequest, intent](Run& run) {
            return signAndCharge(run, *b, creditNote, signatureRequest, intent);
        },
        done);
}

JournalEntry PaymentService::voidWith(const std::string& originalEntry,
                                      std::optional<std::string> idempotencyKey,
                                      const ProgressListener& progress, const Completion* done) {
    const JournalEntry sale = original(originalEntry, EntryKind::Sale);
    const TerminalBinding& binding = terminal(sale.terminal);
    refuseIrisGivenBack(sale, binding, "void");
    return operate(
        binding,
        entryFor(EntryKind::Void, binding, nullptr, sale.amount, core::Money{},
                 std::move(idempotencyKey), sale.id, {}),
        {}, progress, [this, b = &binding, sale](Run& run) { return voidOn(run, *b, sale); }, done);
}

JournalEntry PaymentService::voidOn(Run& run, const TerminalBinding& binding,
                                    const JournalEntry& sale) {
    core::VoidRequest request;
    request.reference = core::newUuid();
    request.original = networkIdsOf(sale);
    request.amount = sale.amount;
    if (sale.signatureInput && sale.signature) {
        core::SignedPayment saleSignature;
        saleSignature.input = *sale.signatureInput;
        saleSignature.signatureBase64 = *sale.signature;
        saleSignature.providerId =
            binding.providerId.empty() ? sale.providerId.value_or("") : binding.providerId;
        request.originalSignature = saleSignature;
    }
    return send(run, binding, request.reference,
                core::msg("asking the network to void the sale {entry}", {{"entry", sale.id}}),
                [&] { return binding.terminal->voidPayment(request, run.exchangeSink()); });
}

JournalEntry PaymentService::captureWith(const CaptureRequest& request,
                                         const ProgressListener& progress, const Completion* done) {
    const JournalEntry preauth = original(request.preauthEntry, EntryKind::Preauth);
    const TerminalBinding& binding = terminal(preauth.terminal);
    const core::Money amount = request.amount.value_or(request.invoice.totals.gross);
    checkCharge(request.invoice, amount, false);
    const auto signatureRequest =
        signatureRequestFor(request.invoice, amount, binding.tid, binding.nsp, options_.duration);
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::PreauthCompletion;
    intent.amount = amount;
    intent.original = networkIdsOf(preauth);

    return operate(
        binding,
        entryFor(EntryKind::Completion, binding, &request.invoice, amount, core::Money{},
                 request.idempotencyKey, preauth.id, request.invoiceJson),
        [&] { binding.terminal->admit(intent); }, progress,
        [this, b = &binding, invoice = request.invoice, signatureRequest, intent](Run& run) {
            return signAndCharge(run, *b, invoice, signatureRequest, intent);
        },
        done);
}

JournalEntry PaymentService::cancel(const std::string& entryId, const ProgressListener& progress) {
    JournalEntry entry = journal_.get(entryId);
    const TerminalBinding& binding = terminal(entry.terminal);
    if (!entry.open()) {
        if (progress) {
            progress(entry.id, std::string(stateName(entry.state)),
                     "the payment has already ended: nothing to stop");
        }
        return entry;
    }
    Run run(*this, binding, entry.id, progress);
    if (!entry.networkReference) {
        // Still with the provider: the state table keeps the entry from going to the network
        // from now on, whichever process runs it. Refused when its reference was chosen
        // meanwhile: then the terminal is asked to stop it, as below.
        try {
            const JournalEntry requested = run.append(EventRecord::make(
                event_kind::CancelRequested, "the ERP cancelled the payment before it was sent"));
            run.tell("cancelling",
                     core::msg("the payment will stop before it reaches the terminal"));
            return requested;
        } catch (const MoveRefused&) {
            entry = journal_.get(entryId);
        }
        if (!entry.open() || !entry.networkReference) {
            run.tell(std::string(stateName(entry.state)),
                     core::msg("the payment is not on its way to the terminal: nothing to stop"));
            return entry;
        }
    }
    const core::TerminalReport report =
        binding.terminal->abort(*entry.networkReference, run.exchangeSink());
    run.tell("cancelling", core::msg("the terminal was asked to stop the payment; waiting for how "
                                     "it ends (it may still be approved)"));
    entry = run.flushExchanges({}, "the ERP asked the terminal to stop the payment");
    nudge(*entry.networkReference);
    return entry;
}

JournalEntry PaymentService::closeBatchWith(const std::string& terminalName,
                                            std::optional<std::string> idempotencyKey,
                                            const ProgressListener& progress,
                                            const Completion* done) {
    const TerminalBinding& binding = terminal(terminalName);
    if (!binding.terminal->traits().closesBatchOnRequest) {
        throw core::NotSupportedError(binding.network +
                                      " closes its terminals' batches by itself: there is "
                                      "nothing for the ERP to close on " +
                                      binding.name);
    }
    return operate(
        binding,
        entryFor(EntryKind::BatchClose, binding, nullptr, core::Money{}, core::Money{},
                 std::move(idempotencyKey), std::nullopt, {}),
        {}, progress,
        [this, b = &binding](Run& run) {
            const std::string reference = core::newUuid();
            return send(
                run, *b, reference,
                core::msg("asking terminal {terminal} to close its batch", {{"terminal", b->name}}),
                [&] { return b->terminal->closeBatch(reference, run.exchangeSink()); });
        },
        done);
}

bool PaymentService::nudge(const std::string& networkReference) {
    std::lock_guard lock(waitingMutex_);
    const auto it = waiting_.find(networkReference);
    if (it == waiting_.end()) {
        return false;
    }
    it->second();
    return true;
}

JournalEntry PaymentService::original(const std::string& entryId, EntryKind kind) const {
    const JournalEntry entry = journal_.get(entryId);
    if (entry.kind != kind) {
        throw core::InputError("original_entry", "entry " + entryId + " is a " +
                                                     std::string(kindName(entry.kind)) +
                                                     ", not a " + std::string(kindName(kind)));
    }
    return entry;
}

void PaymentService::markVoided(const std::string& saleId, const std::string& voidId) {
    if (journal_.get(saleId).voided()) {
        return;
    }
    EntryChanges changes;
    changes.voided = true;
    journal_.append(saleId, EventRecord::make(event_kind::Voided, "voided by entry " + voidId),
                    changes);
}

void PaymentService::releaseSignature(const JournalEntry& entry, const ProgressListener& progress) {
    if (!entry.signatureId) {
        return;
    }
    const auto events = journal_.events(entry.id);
    if (std::any_of(events.begin(), events.end(), [](const JournalEvent& event) {
            return event.record.kind == event_kind::ProviderCancelled;
        })) {
        return;
    }
    std::string note;
    try {
        signer_.cancel(*entry.signatureId);
        note = "the unused provider signature " + *entry.signatureId + " was cancelled";
    } catch (const signing::ProviderError& e) {
        if (e.retryable()) {
            return; // the provider is unwell: the next reconcile tries again
        }
        note = "the provider refused to cancel the unused signature " + *entry.signatureId + ": " +
               e.what();
    } catch (const signing::CallNotOffered& e) {
        note = e.what(); // the provider's API has no cancel: the signature lapses unused
    } catch (const core::Error& e) {
        if (progress) {
            progress(entry.id, "signature",
                     core::tr(options_.language,
                              "could not cancel the unused provider signature {id}: {reason}",
                              {{"id", *entry.signatureId}, {"reason", e.what()}}));
        }
        return;
    }
    if (progress) {
        progress(entry.id, "signature",
                 core::tr(options_.language, "the unused provider signature {id}: {what}",
                          {{"id", *entry.signatureId}, {"what", note}}));
    }
    journal_.append(entry.id, EventRecord::make(event_kind::ProviderCancelled, note));
}

core::NetworkPaymentIds PaymentService::networkIdsOf(const JournalEntry& entry) {
    core::NetworkPaymentIds ids;
    ids.intentId = entry.networkIntentId.value_or("");
    ids.transactionId = entry.transactionId.value_or("");
    ids.networkTransactionRef = entry.networkTransactionRef.value_or("");
    return ids;
}

std::optional<std::string> PaymentService::autonomousPeriodOver() const {
    // The period began at the first autonomous payment since the provider last signed one.
    const core::TimePoint now = clock_.now();
    JournalFilter recent;
    recent.since = now - 2 * options_.autonomousWindow;
    std::optional<JournalEntry> first;
    for (const auto& entry : journal_.list(recent)) {
        if (entry.signatureId) {
            first.reset();
        } else if (entry.autonomous() && !first) {
            first = entry;
        }
    }
    if (!first) {
        return std::nullopt;
    }
    const auto began = core::timeIfReadable(first->createdAt);
    if (!began || now - *began <= options_.autonomousWindow) {
        return std::nullopt;
    }
    return "the provider has signed nothing since the autonomous payment " + first->id + " at " +
           first->createdAt + ", more than " + std::to_string(options_.autonomousWindow.count()) +
           " hours ago: autonomous mode is over; take another payment method until the provider "
           "answers";
}

void PaymentService::admitAutonomous(const core::PaymentRequest& intent,
                                     const TerminalBinding& binding) const {
    if (!intent.autonomous) {
        return;
    }
    if (intent.preauth || intent.preload || intent.iris) {
        throw core::InputError("autonomous", "only a plain card sale goes ahead in autonomous "
                                             "mode, not a pre-authorisation, a preload or IRIS");
    }
    if (!binding.autonomousAllowed) {
        throw core::InputError("autonomous",
                               "terminal " + binding.name +
                                   " does not allow autonomous mode: the operator sets "
                                   "[terminal." +
                                   binding.name +
                                   "] autonomous = allow to take cards while the "
                                   "provider cannot be reached");
    }
    if (!binding.terminal->traits().autonomous) {
        throw core::InputError("autonomous",
                               binding.network +
                                   " publishes no request for a card payment without the "
                                   "provider's signature: take another payment method, or the "
                                   "card once the provider answers");
    }
}

JournalEntry PaymentService::signAndCharge(Run& run, const TerminalBinding& binding,
                                           const einvoice::Invoice& invoice,
                                           const signing::SignatureRequest& signatureRequest,
                                           core::PaymentRequest intent) {
    run.tell("signing",
             core::msg("asking the provider to sign {amount} EUR on TID {tid}",
                       {{"amount", signatureRequest.payment.toString()}, {"tid", binding.tid}}));
    EventRecord asked = EventRecord::make(event_kind::ProviderRequest);
    asked.requestBody = core::dumpJson(signatureRequest.toProviderJson());
    run.append(asked);

    signing::ProviderSignature signature;
    // Autonomous mode: why the provider could not be reached, when it could not.
    std::optional<std::string> unreachable;
    try {
        signature = signer_.sign(signatureRequest);
    } catch (const signing::RefusedProviderRecord& e) {
        // The evidence that the provider signed something else: its record, as received.
        run.tell("failed", core::msg("the provider's signature was refused: {reason}",
                                     {{"reason", e.what()}}));
        EventRecord refused = EventRecord::make(event_kind::ProviderResponse, e.what());
        refused.responseBody = e.record();
        return run.append(refused,
                          Run::withOutcome(EntryState::Failed,
                                           std::string("the provider's signature was refused, "
                                                       "nothing was charged: ") +
                                               e.what()));
    } catch (const signing::ProviderError& e) {
        if (intent.autonomous && e.status() >= 500) {
            unreachable = e.what(); // its 5xx: it cannot sign now (never after its 4xx)
        } else {
            run.tell("failed",
                     core::msg("the provider did not sign: {reason}", {{"reason", e.what()}}));
            run.append(EventRecord::make(event_kind::ProviderResponse, e.what()),
                       Run::withOutcome(EntryState::Failed,
                                        std::string("the provider did not sign, nothing was "
                                                    "charged: ") +
                                            e.what()));
            if (!e.retryable()) {
                throw; // the provider refused the request's content: bad input or configuration
            }
            return journal_.get(run.entryId());
        }
    } catch (const core::Error& e) {
        if (intent.autonomous && dynamic_cast<const core::TransportError*>(&e) != nullptr) {
            unreachable = e.what(); // it could not be reached
        } else {
            run.tell("failed",
                     core::msg("the provider did not sign: {reason}", {{"reason", e.what()}}));
            return run.append(EventRecord::make(event_kind::ProviderResponse, e.what()),
                              Run::withOutcome(EntryState::Failed,
                                               std::string("the provider did not sign, nothing "
                                                           "was charged: ") +
                                                   e.what()));
        }
    }
    if (unreachable) {
        if (const auto over = autonomousPeriodOver()) {
            const std::string why = "the provider did not sign (" + *unreachable + ") and " + *over;
            run.tell("failed", core::msg("the provider cannot be reached and autonomous mode is "
                                         "over (48 hours): nothing was charged"));
            return run.append(EventRecord::make(event_kind::ProviderResponse, *unreachable),
                              Run::withOutcome(EntryState::Failed, why));
        }
        return chargeAutonomously(run, binding, std::move(intent), *unreachable);
    }
    intent.autonomous.reset(); // the provider signed: an ordinary payment
    EventRecord answered = EventRecord::make(event_kind::ProviderResponse);
    answered.responseBody = core::dumpJson(signature.raw);
    run.append(answered, EntryChanges::fromSignature(signature));
    run.tell("signed", core::msg("provider signature {id}", {{"id", signature.id}}));

    try {
        checkSignatureMatches(signature, invoice, signatureRequest);
    } catch (const core::ResponseError& e) {
        run.tell("failed",
                 core::msg("the provider's signature does not match the invoice: {reason}",
                           {{"reason", e.what()}}));
        const JournalEntry failed = run.append(EventRecord::make(event_kind::Note, e.what()),
                                               Run::withOutcome(EntryState::Failed, e.what()));
        releaseSignature(failed, run.progress());
        return journal_.get(failed.id);
    }

    std::optional<std::string> preloadUntil;
    if (intent.preload) {
        // The signature must still be good when the customer comes to pay, with time to spare.
        const core::TimePoint until = clock_.now() + *intent.preload;
        const auto expires = core::timeIfReadable(signature.expiresAt);
        if (!expires || until + options_.preloadMargin > *expires) {
            const std::string why =
                "the provider's signature expires at " +
                (signature.expiresAt.empty() ? std::string("a time it does not say")
                                             : signature.expiresAt) +
                ", less than " + lengthText(options_.preloadMargin) +
                " after the preload would lapse (" + core::utcIso8601(until) +
                "): nothing was sent";
            run.tell("failed", core::msg("the provider's signature expires before the preload "
                                         "would end: nothing was sent"));
            const JournalEntry failed = run.append(EventRecord::make(event_kind::Note, why),
                                                   Run::withOutcome(EntryState::Failed, why));
            releaseSignature(failed, run.progress());
            return journal_.get(failed.id);
        }
        preloadUntil = core::utcIso8601(until);
    }

    intent.reference = core::newUuid();
    intent.signature = signature.toSignedPayment(binding.providerId);
    return send(
        run, binding, intent.reference,
        core::msg("sending {amount} EUR to terminal {terminal}",
                  {{"amount", intent.amount.toString()}, {"terminal", binding.name}}),
        [&] { return binding.terminal->start(intent, run.exchangeSink()); }, preloadUntil);
}

std::optional<JournalEntry>
PaymentService::chooseReference(Run& run, const TerminalBinding& binding,
                                const std::string& reference,
                                const std::optional<std::string>& preloadUntil) {
    // Step 4: the reference is durable before the call that uses it.
    EntryChanges sending = EntryChanges::to(EntryState::Sending);
    sending.networkReference = reference;
    sending.preloadUntil = preloadUntil;
    try {
        return run.append(EventRecord::make(event_kind::ReferenceChosen,
                                            binding.network + " reference " + reference),
                          sending);
    } catch (const MoveRefused&) {
        // Only the ERP's cancel request keeps a SIGNING entry from SENDING (the state table);
        // anything else moved it meanwhile and is not ours to settle here.
        if (journal_.get(run.entryId()).state != EntryState::Signing) {
            throw;
        }
    }
    run.tell("cancelled", core::msg("cancelled by the ERP before it reached the terminal"));
    const JournalEntry cancelled =
        run.append(EventRecord::make(event_kind::State, "cancelled before sending"),
                   Run::withOutcome(EntryState::Cancelled,
                                    "cancelled by the ERP before it reached the terminal: "
                                    "nothing was charged"));
    releaseSignature(cancelled, run.progress());
    return std::nullopt;
}

JournalEntry PaymentService::chargeAutonomously(Run& run, const TerminalBinding& binding,
                                                core::PaymentRequest intent,
                                                const std::string& unreachable) {
    const std::string reason(core::autonomousReasonName(*intent.autonomous));
    run.tell("autonomous",
             core::msg("the provider cannot be reached ({reason}): the payment goes ahead without "
                       "its signature (autonomous mode); the invoice goes out once the provider "
                       "answers",
                       {{"reason", unreachable}}));
    EntryChanges changes;
    changes.autonomousReason = reason;
    run.append(EventRecord::make(event_kind::ProviderResponse,
                                 "the provider could not be reached (" + unreachable +
                                     "): autonomous mode, reason " + reason),
               changes);
    intent.reference = core::newUuid();
    intent.signature = core::SignedPayment{};
    return send(run, binding, intent.reference,
                core::msg("sending {amount} EUR to terminal {terminal} without the provider's "
                          "signature (autonomous mode)",
                          {{"amount", intent.amount.toString()}, {"terminal", binding.name}}),
                [&] { return binding.terminal->start(intent, run.exchangeSink()); });
}

JournalEntry PaymentService::send(Run& run, const TerminalBinding& binding,
                                  const std::string& reference, const core::Message& sending,
                                  const std::function<TerminalReport()>& start,
                                  const std::optional<std::string>& preloadUntil) {
    const auto chosen = chooseReference(run, binding, reference, preloadUntil);
    if (!chosen) {
        return journal_.get(run.entryId());
    }
    JournalEntry entry = *chosen;
    run.tell("sending", sending);
    TerminalReport report;
    const core::TimePoint sentAt = clock_.now();
    try {
        report = start();
        // The network answered the request: it has it, whatever it says about it later.
        run.acknowledge();
        if (report.stage == TerminalStage::NotFound) {
            report.stage = TerminalStage::Pending;
        }
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            run.tell("failed", core::msg("the network could not be reached, nothing was sent: "
                                         "{reason}",
                                         {{"reason", e.what()}}));
            return run.flushExchanges(
                Run::withOutcome(EntryState::Failed, std::string("the network could not be "
                                                                 "reached, nothing was sent: ") +
                                                         e.what()));
        }
        // The request may have arrived: ask by our reference, never send it again.
        run.flushExchanges({}, e.what());
        try {
            report = binding.terminal->query(reference, run.exchangeSink());
        } catch (const core::Error& again) {
            run.tell("in_doubt", core::msg("the answer was lost and the network could not be "
                                           "asked: do not charge again; run status or reconcile "
                                           "({reason})",
                                           {{"reason", again.what()}}));
            return run.flushExchanges(Run::withOutcome(
                EntryState::InDoubt, std::string("the answer was lost and the network could not "
                                                 "be asked: do not charge again; run status or "
                                                 "reconcile (") +
                                         again.what() + ")"));
        }
    } catch (const core::Error& e) {
        run.tell("failed", core::msg("the network refused it, nothing was charged: {reason}",
                                     {{"reason", e.what()}}));
        return run.flushExchanges(Run::withOutcome(
            EntryState::Failed,
            std::string("the network refused it, nothing was charged: ") + e.what()));
    }
    entry = run.record(report, entry.state, entry.state);
    if (report.stage == TerminalStage::Final) {
        return entry; // the network's last word, IN_DOUBT included
    }
    return run.pollUntilFinal(reference, entry, sentAt);
}

JournalEntry PaymentService::status(const std::string& entryId, const ProgressListener& progress) {
    const TerminalBinding& binding = terminal(journal_.get(entryId).terminal);
    const auto terminalGuard = lockTerminal(binding, entryId, progress);
    Run run(*this, binding, entryId, progress);
    return statusLocked(run, false);
}

void PaymentService::expectNudges(const std::string& network, std::chrono::milliseconds fallback) {
    std::lock_guard lock(waitingMutex_);
    nudged_.insert_or_assign(network, PollSchedule::every(fallback, options_.schedule.deadline()));
}

PollSchedule PaymentService::scheduleFor(const TerminalBinding& binding) {
    std::lock_guard lock(waitingMutex_);
    const auto it = nudged_.find(binding.network);
    return it == nudged_.end() ? options_.schedule : it->second;
}

std::optional<JournalEntry> PaymentService::statusIfIdle(const std::string& entryId,
                                                         const ProgressListener& progress) {
    const TerminalBinding& binding = terminal(journal_.get(entryId).terminal);
    const bool takesTurns = !binding.terminal->traits().queuesRequests;
    const auto terminalGuard =
        takesTurns ? journal_.tryLock(terminalLockName(binding)) : std::nullopt;
    if (takesTurns && !terminalGuard) {
        return std::nullopt;
    }
    Run run(*this, binding, entryId, progress);
    return statusLocked(run, false);
}

JournalEntry PaymentService::statusLocked(Run& run, bool resume) {
    const ProgressListener& progress = run.progress();
    const TerminalBinding& binding = run.binding();
    JournalEntry entry = journal_.get(run.entryId());
    if (!entry.networkReference) {
        // The payment stopped before its reference was written: it never reached the network.
        if (entry.state == EntryState::Signing) {
            run.tell("not_charged",
                     core::msg("the payment stopped before it reached the terminal"));
            entry = run.append(
                EventRecord::make(event_kind::State, "recovered: no network reference was written"),
                Run::withOutcome(EntryState::NotCharged,
                                 "the payment stopped before it reached the "
                                 "terminal: nothing was charged"));
            releaseSignature(entry, progress);
            return journal_.get(entry.id);
        }
        return entry;
    }
    TerminalReport report;
    try {
        report = binding.terminal->query(*entry.networkReference, run.exchangeSink(),
                                         sentNoEarlierThan(entry));
    } catch (const core::Error& e) {
        run.tell("unreachable",
                 core::msg("could not ask the network: {reason}; the entry stays "
                           "{state}",
                           {{"reason", e.what()}, {"state", std::string(stateName(entry.state))}}));
        run.dropExchanges();
        if (!entry.open()) {
            return entry; // a final entry keeps its outcome
        }
        // The payment's outcome stays unknown: the caller says "in doubt", never "not charged".
        throw core::TransportError(core::TransportError::Stage::Exchange,
                                   "entry " + entry.id + " stays " +
                                       std::string(stateName(entry.state)) +
                                       ": the network could not be asked (" + e.what() + ")");
    }
    if (report.stage == TerminalStage::NotFound && (!entry.open() || run.acknowledged())) {
        // A final entry keeps its outcome; a request the network acknowledged is never "never
        // arrived": it stays in doubt until the network says how it ended.
        run.dropExchanges();
        if (entry.state != EntryState::Sent) {
            return entry;
        }
        return run.append(EventRecord::make(event_kind::State,
                                            "the network acknowledged the request but has "
                                            "nothing under our reference now"),
                          Run::withOutcome(EntryState::InDoubt,
                                           "the network acknowledged the payment but cannot "
                                           "find it now: do not charge again; run status later"));
    }
    if (!entry.open() && report.stage == TerminalStage::Final &&
        report.outcome.value_or(PaymentOutcome::InDoubt) == PaymentOutcome::InDoubt) {
        // A final entry asked again (a decline the network may still turn) keeps the outcome the
        // network gave: its later "cannot tell" (a terminal that forgot the session) is no news.
        run.dropExchanges();
        return entry;
    }
    entry = run.record(report, entry.state, EntryState::NotCharged);
    // A preload that lapsed or was refused at the terminal leaves a signature nobody will use.
    if (entry.state == EntryState::NotCharged ||
        (entry.preloaded() && !entry.open() && entry.state != EntryState::Approved)) {
        releaseSignature(entry, progress);
        return journal_.get(entry.id);
    }
    if (entry.preloaded() && entry.state == EntryState::Sent) {
        const auto until = core::timeIfReadable(*entry.preloadUntil);
        if (until && clock_.now() > *until + options_.preloadMargin) {
            run.tell("in_doubt",
                     core::msg("the preload lapsed at {time} but the network still "
                               "holds it open: do not charge again; run status later",
                               {{"time", core::greekAthensTime(*entry.preloadUntil, false)}}));
            return run.append(EventRecord::make(event_kind::State,
                                                "the preload lapsed at " + *entry.preloadUntil +
                                                    " but the network still holds it open"),
                              Run::withOutcome(EntryState::InDoubt,
                                               "the preload lapsed at " + *entry.preloadUntil +
                                                   " but the network still holds it open: do "
                                                   "not charge again; run status later"));
        }
    }
    if (resume && entry.state == EntryState::Sent) {
        // A repeated request finds the card still awaited: wait for it like the first one.
        return run.pollUntilFinal(*entry.networkReference, entry, clock_.now());
    }
    return entry;
}

std::vector<JournalEntry> PaymentService::reconcile(std::optional<core::TimePoint> since,
                                                    const ProgressListener& progress) {
    std::vector<JournalEntry> settled;
    const auto each = [&](const JournalEntry& entry, const auto& settle) {
        try {
            settled.push_back(settle(entry));
        } catch (const core::Error& e) {
            // A terminal no longer configured, a network out of reach: report it, settle the rest.
            if (progress) {
                progress(entry.id, "skipped",
                         core::tr(options_.language, "not settled now: {reason}",
                                  {{"reason", e.what()}}));
            }
            settled.push_back(journal_.get(entry.id));
        }
    };
    // An entry whose terminal another payment, process or instance is working on is left to it:
    // two never settle the same entry, and reconcile does not wait for a card.
    const auto refresh = [&](const JournalEntry& entry) {
        if (auto asked = statusIfIdle(entry.id, progress)) {
            return *asked;
        }
        if (progress) {
            progress(entry.id, "skipped",
                     core::tr(options_.language,
                              "terminal {terminal} is busy with another request (in this or "
                              "another fiscpos process); reconcile again once it is done",
                              {{"terminal", entry.terminal}}));
        }
        return journal_.get(entry.id);
    };
    for (const auto& entry : journal_.list(JournalFilter::openEntries(since))) {
        each(entry, refresh);
    }

    const core::TimePoint now = clock_.now();
    // Declines a network may still turn into approvals (a PIN retry after a reported failure).
    for (const auto& [name, binding] : terminals_) {
        if (!binding.terminal) {
            continue;
        }
        const auto window = binding.terminal->traits().declineMayTurnWithin;
        if (window.count() <= 0) {
            continue;
        }
        JournalFilter declined;
        declined.states = {EntryState::Declined};
        declined.terminal = name;
        declined.since = now - window;
        for (const auto& entry : journal_.list(declined)) {
            each(entry, refresh);
        }
    }

    // What a process killed at the wrong moment left behind: an approved void whose sale is not
    // marked voided, a provider signature of a payment that never reached the network.
    JournalFilter approvedVoids;
    approvedVoids.states = {EntryState::Approved};
    approvedVoids.kind = EntryKind::Void;
    approvedVoids.since = since;
    for (const auto& entry : journal_.list(approvedVoids)) {
        if (entry.originalEntry) {
            markVoided(*entry.originalEntry, entry.id);
        }
    }
    JournalFilter unused;
    unused.states = {EntryState::Failed, EntryState::NotCharged, EntryState::Cancelled};
    // Signatures last 60 hours at most: older ones can no longer be used by anyone.
    unused.since = now - std::chrono::hours(61);
    for (const auto& entry : journal_.list(unused)) {
        if (entry.signatureId) {
            each(entry, [&](const JournalEntry& e) {
                releaseSignature(e, progress);
                return journal_.get(e.id);
            });
        }
    }
    return settled;
}

} // namespace fiscpos::plugin
