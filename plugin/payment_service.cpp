#include "plugin/payment_service.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "plugin/payment_signature.hpp"

#include <algorithm>
#include <vector>

namespace fiscpos::plugin {

namespace {

using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

constexpr int maxInstalments = 36;

EntryState stateOf(PaymentOutcome outcome) {
    switch (outcome) {
    case PaymentOutcome::Approved:
        return EntryState::Approved;
    case PaymentOutcome::Declined:
        return EntryState::Declined;
    case PaymentOutcome::Cancelled:
        return EntryState::Cancelled;
    case PaymentOutcome::Failed:
        return EntryState::Failed;
    case PaymentOutcome::InDoubt:
        return EntryState::InDoubt;
    }
    return EntryState::InDoubt;
}

std::string defaultMessage(EntryState state) {
    switch (state) {
    case EntryState::Approved:
        return "approved";
    case EntryState::Declined:
        return "declined by the card's issuer: nothing was charged";
    case EntryState::Cancelled:
        return "cancelled at the terminal: nothing was charged";
    case EntryState::Failed:
        return "the payment failed: nothing was charged";
    case EntryState::InDoubt:
        return "the outcome is not known yet: do not charge again; run status or reconcile";
    case EntryState::NotCharged:
        return "the network never received the payment: nothing was charged";
    default:
        return std::string(stateName(state));
    }
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
    set(changes.rrn, report.rrn);
    set(changes.authCode, report.authCode);
    set(changes.maskedPan, report.maskedPan);
    set(changes.cardType, report.cardType);
    return changes;
}

std::string describeBatch(const core::BatchTotals& batch) {
    return "batch " + (batch.batchId.empty() ? std::string("closed") : batch.batchId + " closed") +
           ": " + std::to_string(batch.saleCount) + " sales " + batch.saleTotal.toString() + ", " +
           std::to_string(batch.refundCount) + " refunds " + batch.refundTotal.toString();
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

} // namespace

// One operation on one entry: journals the network's exchanges that matter and moves the state.
class PaymentService::Run {
public:
    Run(PaymentService& service, const TerminalBinding& binding, std::string entryId,
        const ProgressListener& progress)
        : service_(service)
        , binding_(binding)
        , entryId_(std::move(entryId))
        , progress_(progress)
        , outer_(current_) {
        current_ = this;
    }
    ~Run() { current_ = outer_; }

    // The exchanges a terminal makes go to the run of the thread that called it: each call is
    // synchronous, so two runs on one terminal (a payment and its cancel, queued GP tom tasks)
    // never see each other's exchanges.
    static void collect(const core::HttpExchange& exchange) {
        if (current_ != nullptr) {
            current_->exchanges_.push_back(exchange);
        }
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    void tell(const std::string& step, const std::string& text) const {
        if (progress_) {
            progress_(entryId_, step, text);
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
        switch (report.stage) {
        case TerminalStage::NotFound:
            next = whenNotFound;
            break;
        case TerminalStage::Pending:
        case TerminalStage::OnDevice:
            next = EntryState::Sent;
            break;
        case TerminalStage::Final:
            next = stateOf(report.outcome.value_or(PaymentOutcome::InDoubt));
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
                                        ? describeBatch(*report.batch) +
                                              (report.message.empty() ? "" : "; ") + report.message
                                        : report.message;
        // A final state says why in the entry; SENT needs no words.
        if (next != current) {
            changes.state = next;
            if (next != EntryState::Sent) {
                changes.outcome = message.empty() ? defaultMessage(next) : message;
            }
        }
        tell(report.stage == TerminalStage::Final ? std::string(stateName(next))
                                                  : std::string(core::stageName(report.stage)),
             describe(report) + (message.empty() ? "" : ": " + message));
        return flushExchanges(changes, describe(report));
    }

    // Polls until the payment is final or the deadline passes (then IN_DOUBT). The schedule and
    // the deadline count from `started`, when the request left: a network that held the request
    // while the card was awaited (WebECR's long wait) has used part of both already.
    JournalEntry pollUntilFinal(const std::string& reference, JournalEntry entry,
                                core::TimePoint started) {
        const WaitingRegistration waiting(service_, reference, wakeup_);
        int failures = 0;
        while (entry.open()) {
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                service_.clock_.now() - started);
            const auto wait = service_.options_.schedule.nextWait(waited);
            if (!wait) {
                tell("in_doubt", "no final answer within the deadline: do not charge again");
                return append(
                    EventRecord::make(
                        event_kind::State,
                        "no final answer within " +
                            std::to_string(service_.options_.schedule.deadline().count() / 1000) +
                            " s"),
                    withOutcome(EntryState::InDoubt,
                                "no final answer from the terminal yet: do not charge "
                                "again; run status or reconcile"));
            }
            service_.clock_.waitFor(*wait, wakeup_);
            try {
                const TerminalReport report = binding_.terminal->query(reference);
                failures = 0;
                entry = record(report, entry.state, EntryState::InDoubt);
            } catch (const core::Error& e) {
                // A failed question changes nothing about the payment: ask again.
                if (++failures == 1) {
                    flushExchanges({}, std::string("asking the network failed: ") + e.what());
                } else {
                    dropExchanges();
                }
            }
        }
        return entry;
    }

    static EntryChanges withOutcome(EntryState state, std::string message) {
        EntryChanges changes = EntryChanges::to(state);
        changes.outcome = std::move(message);
        return changes;
    }

    const std::string& entryId() const { return entryId_; }

private:
    PaymentService& service_;
    const TerminalBinding& binding_;
    std::string entryId_;
    const ProgressListener& progress_;
    std::vector<core::HttpExchange> exchanges_;
    std::optional<TerminalStage> lastStage_;
    Run* outer_;
    core::Wakeup wakeup_;
    static thread_local Run* current_;

    // Lets nudge() find the wait of a payment in flight, for as long as it waits.
    class WaitingRegistration {
    public:
        WaitingRegistration(PaymentService& service, std::string reference, core::Wakeup& wakeup)
            : service_(service)
            , reference_(std::move(reference)) {
            std::lock_guard lock(service_.waitingMutex_);
            service_.waiting_[reference_] = &wakeup;
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

thread_local PaymentService::Run* PaymentService::Run::current_ = nullptr;

PaymentService::PaymentService(CashJournal& journal, signing::Signer& signer,
                               std::map<std::string, TerminalBinding> terminals,
                               const core::Clock& clock, PaymentServiceOptions options)
    : journal_(journal)
    , signer_(signer)
    , terminals_(std::move(terminals))
    , clock_(clock)
    , options_(options) {
    for (auto& [name, binding] : terminals_) {
        binding.terminal->observe(&Run::collect);
    }
}

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
    return it->second;
}

std::unique_lock<std::mutex> PaymentService::lockTerminal(const TerminalBinding& binding) {
    if (binding.terminal->queuesRequests()) {
        return {};
    }
    std::mutex* terminalMutex = nullptr;
    {
        std::lock_guard lock(locksMutex_);
        auto& slot = locks_[binding.name];
        if (!slot) {
            slot = std::make_unique<std::mutex>();
        }
        terminalMutex = slot.get();
    }
    return std::unique_lock(*terminalMutex);
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
    }
    entry.request = std::move(request);
    return entry;
}

std::optional<JournalEntry> PaymentService::known(const CashJournal::Opened& opened,
                                                  const ProgressListener& progress) {
    if (opened.created) {
        return std::nullopt;
    }
    // The same request again: never a second intent. Settle it first if it is still open.
    if (progress) {
        progress(opened.entry.id, "known", "this request is already in the journal");
    }
    return opened.entry.open() ? status(opened.entry.id, progress) : opened.entry;
}

JournalEntry PaymentService::pay(const PayRequest& request, const ProgressListener& progress) {
    const TerminalBinding& binding = terminal(request.terminal);
    const core::Money amount = request.amount.value_or(request.invoice.totals.gross);
    if (request.instalments < 0 || request.instalments > maxInstalments) {
        throw core::InputError("instalments", std::to_string(request.instalments) +
                                                  " is not from 0 to " +
                                                  std::to_string(maxInstalments));
    }
    const auto signatureRequest =
        signatureRequestFor(request.invoice, amount, binding.tid, binding.nsp, options_.duration);

    const auto terminalGuard = lockTerminal(binding);
    const auto opened = journal_.openEntry(
        entryFor(request.preauth ? EntryKind::Preauth : EntryKind::Sale, binding, &request.invoice,
                 amount, request.tip, request.idempotencyKey, std::nullopt, request.invoiceJson));
    if (auto existing = known(opened, progress)) {
        return *existing;
    }
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::Sale;
    intent.amount = amount;
    intent.tip = request.tip;
    intent.instalments = request.instalments;
    intent.preauth = request.preauth;
    intent.customerEmail = request.customerEmail;
    intent.customerPhone = request.customerPhone;
    Run run(*this, binding, opened.entry.id, progress);
    return signAndCharge(run, binding, request.invoice, signatureRequest, intent);
}

JournalEntry PaymentService::refund(const RefundRequest& request,
                                    const ProgressListener& progress) {
    const std::optional<JournalEntry> original =
        request.originalEntry ? std::optional(approved(*request.originalEntry, EntryKind::Sale))
                              : std::nullopt;
    if (!original && request.terminal.empty()) {
        throw core::InputError("terminal", "an unreferenced refund (no original sale) needs the "
                                           "terminal that gives the money back");
    }
    const TerminalBinding& binding =
        terminal(request.terminal.empty() ? original->terminal : request.terminal);
    const core::Money amount = request.amount.value_or(request.creditNote.totals.gross);
    if (original) {
        checkWithinOriginal(*original, EntryKind::Refund, amount, "refunding", "refunded");
    }
    // The credit document's own signature, in the layout of the network.
    const auto signatureRequest = signatureRequestFor(request.creditNote, amount, binding.tid,
                                                      binding.nsp, options_.duration);

    const auto terminalGuard = lockTerminal(binding);
    const auto opened = journal_.openEntry(
        entryFor(EntryKind::Refund, binding, &request.creditNote, amount, core::Money{},
                 request.idempotencyKey, original ? std::optional(original->id) : std::nullopt,
                 request.creditNoteJson));
    if (auto existing = known(opened, progress)) {
        return *existing;
    }
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::Refund;
    intent.amount = amount;
    if (original) {
        intent.original = networkIdsOf(*original);
    }
    Run run(*this, binding, opened.entry.id, progress);
    return signAndCharge(run, binding, request.creditNote, signatureRequest, intent);
}

JournalEntry PaymentService::voidSale(const std::string& originalEntry,
                                      std::optional<std::string> idempotencyKey,
                                      const ProgressListener& progress) {
    const JournalEntry original = approved(originalEntry, EntryKind::Sale);
    const TerminalBinding& binding = terminal(original.terminal);
    const auto terminalGuard = lockTerminal(binding);
    const auto opened =
        journal_.openEntry(entryFor(EntryKind::Void, binding, nullptr, original.amount,
                                    core::Money{}, std::move(idempotencyKey), original.id, {}));
    if (auto existing = known(opened, progress)) {
        return *existing;
    }
    Run run(*this, binding, opened.entry.id, progress);
    core::VoidRequest request;
    request.reference = core::newUuid();
    request.original = networkIdsOf(original);
    request.amount = original.amount;
    if (original.signatureInput && original.signature) {
        core::SignedPayment saleSignature;
        saleSignature.input = *original.signatureInput;
        saleSignature.signatureBase64 = *original.signature;
        saleSignature.providerId =
            binding.providerId.empty() ? original.providerId.value_or("") : binding.providerId;
        request.originalSignature = saleSignature;
    }
    JournalEntry entry = chooseReference(run, binding, request.reference);
    run.tell("sending", "asking the network to void the sale " + original.id);
    entry = send(run, binding, entry, request.reference,
                 [&] { return binding.terminal->voidPayment(request); });
    if (entry.state == EntryState::Approved) {
        journal_.append(original.id,
                        EventRecord::make(event_kind::Voided, "voided by entry " + entry.id), [] {
                            EntryChanges changes;
                            changes.voided = true;
                            return changes;
                        }());
        run.tell("voided", "the sale " + original.id + " is voided; nothing is booked");
    }
    return entry;
}

JournalEntry PaymentService::capture(const CaptureRequest& request,
                                     const ProgressListener& progress) {
    const JournalEntry preauth = approved(request.preauthEntry, EntryKind::Preauth);
    const TerminalBinding& binding = terminal(preauth.terminal);
    const core::Money amount = request.amount.value_or(request.invoice.totals.gross);
    checkWithinOriginal(preauth, EntryKind::Completion, amount, "capturing", "captured");
    const auto signatureRequest =
        signatureRequestFor(request.invoice, amount, binding.tid, binding.nsp, options_.duration);

    const auto terminalGuard = lockTerminal(binding);
    const auto opened = journal_.openEntry(
        entryFor(EntryKind::Completion, binding, &request.invoice, amount, core::Money{},
                 request.idempotencyKey, preauth.id, request.invoiceJson));
    if (auto existing = known(opened, progress)) {
        return *existing;
    }
    core::PaymentRequest intent;
    intent.kind = core::PaymentKind::PreauthCompletion;
    intent.amount = amount;
    intent.original = networkIdsOf(preauth);
    Run run(*this, binding, opened.entry.id, progress);
    return signAndCharge(run, binding, request.invoice, signatureRequest, intent);
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
        // Still with the provider: the process running it reads this before it sends anything.
        run.tell("cancelling", "the payment will stop before it reaches the terminal");
        return run.append(EventRecord::make(event_kind::CancelRequested,
                                            "the ERP cancelled the payment before it was sent"));
    }
    const core::TerminalReport report = binding.terminal->abort(*entry.networkReference);
    run.tell("cancelling", "the terminal was asked to stop the payment" +
                               (report.message.empty() ? std::string() : ": " + report.message) +
                               "; waiting for how it ends (it may still be approved)");
    entry = run.flushExchanges({}, "the ERP asked the terminal to stop the payment");
    nudge(*entry.networkReference);
    return entry;
}

JournalEntry PaymentService::closeBatch(const std::string& terminalName,
                                        std::optional<std::string> idempotencyKey,
                                        const ProgressListener& progress) {
    const TerminalBinding& binding = terminal(terminalName);
    if (!binding.terminal->closesBatchOnRequest()) {
        throw core::NotSupportedError(binding.network +
                                      " closes its terminals' batches by itself: there is "
                                      "nothing for the ERP to close on " +
                                      binding.name);
    }
    const auto terminalGuard = lockTerminal(binding);
    const auto opened =
        journal_.openEntry(entryFor(EntryKind::BatchClose, binding, nullptr, core::Money{},
                                    core::Money{}, std::move(idempotencyKey), std::nullopt, {}));
    if (auto existing = known(opened, progress)) {
        return *existing;
    }
    Run run(*this, binding, opened.entry.id, progress);
    const std::string reference = core::newUuid();
    JournalEntry entry = chooseReference(run, binding, reference);
    run.tell("sending", "asking terminal " + binding.name + " to close its batch");
    return send(run, binding, entry, reference,
                [&] { return binding.terminal->closeBatch(reference); });
}

bool PaymentService::nudge(const std::string& networkReference) {
    std::lock_guard lock(waitingMutex_);
    const auto it = waiting_.find(networkReference);
    if (it == waiting_.end()) {
        return false;
    }
    it->second->notify();
    return true;
}

JournalEntry PaymentService::approved(const std::string& entryId, EntryKind kind) const {
    const JournalEntry original = journal_.get(entryId);
    if (original.kind != kind || original.state != EntryState::Approved) {
        throw core::InputError(
            "original_entry",
            "entry " + entryId + " is a " + std::string(kindName(original.kind)) + " in state " +
                std::string(stateName(original.state)) + "; only an approved " +
                std::string(kindName(kind)) +
                (kind == EntryKind::Sale ? " can be refunded or voided" : " can be captured"));
    }
    if (original.voided()) {
        throw core::InputError("original_entry",
                               "the sale " + entryId + " was voided at " + *original.voidedAt);
    }
    return original;
}

void PaymentService::checkWithinOriginal(const JournalEntry& original, EntryKind kind,
                                         core::Money amount, const std::string& doing,
                                         const std::string& done) const {
    core::Money earlier;
    JournalFilter linked;
    linked.originalEntry = original.id;
    linked.kind = kind;
    for (const auto& entry : journal_.list(linked)) {
        if (entry.state == EntryState::Approved || entry.open()) {
            earlier = earlier + entry.amount;
        }
    }
    if (earlier + amount > original.amount) {
        throw core::InputError(
            "amount", doing + " " + amount.toString() + " would take more than the " +
                          std::string(kindName(original.kind)) + "'s " +
                          original.amount.toString() +
                          (earlier.cents() > 0
                               ? " (already " + done + " or under way: " + earlier.toString() + ")"
                               : std::string()));
    }
}

core::NetworkPaymentIds PaymentService::networkIdsOf(const JournalEntry& entry) {
    core::NetworkPaymentIds ids;
    ids.intentId = entry.networkIntentId.value_or("");
    ids.transactionId = entry.transactionId.value_or("");
    return ids;
}

JournalEntry PaymentService::signAndCharge(Run& run, const TerminalBinding& binding,
                                           const einvoice::Invoice& invoice,
                                           const signing::SignatureRequest& signatureRequest,
                                           core::PaymentRequest intent) {
    run.tell("signing", "asking the provider to sign " + signatureRequest.payment.toString() +
                            " on TID " + binding.tid);
    EventRecord asked = EventRecord::make(event_kind::ProviderRequest);
    asked.requestBody = core::dumpJson(signatureRequest.toProviderJson());
    run.append(asked);

    signing::ProviderSignature signature;
    try {
        signature = signer_.sign(signatureRequest);
    } catch (const core::Error& e) {
        run.tell("failed", std::string("the provider did not sign: ") + e.what());
        return run.append(EventRecord::make(event_kind::ProviderResponse, e.what()),
                          Run::withOutcome(EntryState::Failed,
                                           std::string("the provider did not sign, nothing was "
                                                       "charged: ") +
                                               e.what()));
    }
    EventRecord answered = EventRecord::make(event_kind::ProviderResponse);
    answered.responseBody = core::dumpJson(signature.raw);
    run.append(answered, EntryChanges::fromSignature(signature));
    run.tell("signed", "provider signature " + signature.id);

    try {
        checkSignatureMatches(signature, invoice, signatureRequest);
    } catch (const core::ResponseError& e) {
        run.tell("failed", e.what());
        return run.append(EventRecord::make(event_kind::Note, e.what()),
                          Run::withOutcome(EntryState::Failed, e.what()));
    }

    const auto events = journal_.events(run.entryId());
    if (std::any_of(events.begin(), events.end(), [](const JournalEvent& event) {
            return event.record.kind == event_kind::CancelRequested;
        })) {
        run.tell("cancelled", "cancelled by the ERP before it reached the terminal");
        return run.append(EventRecord::make(event_kind::State, "cancelled before sending"),
                          Run::withOutcome(EntryState::Cancelled,
                                           "cancelled by the ERP before it reached the terminal: "
                                           "nothing was charged"));
    }
    intent.reference = core::newUuid();
    intent.signature = signature.toSignedPayment(binding.providerId);
    JournalEntry entry = chooseReference(run, binding, intent.reference);
    run.tell("sending", "sending " + intent.amount.toString() + " to terminal " + binding.name);
    return send(run, binding, entry, intent.reference,
                [&] { return binding.terminal->start(intent); });
}

JournalEntry PaymentService::chooseReference(Run& run, const TerminalBinding& binding,
                                             const std::string& reference) {
    // Step 4: the reference is durable before the call that uses it.
    EntryChanges sending = EntryChanges::to(EntryState::Sending);
    sending.networkReference = reference;
    return run.append(
        EventRecord::make(event_kind::ReferenceChosen, binding.network + " reference " + reference),
        sending);
}

JournalEntry PaymentService::send(Run& run, const TerminalBinding& binding, JournalEntry entry,
                                  const std::string& reference,
                                  const std::function<TerminalReport()>& start) {
    TerminalReport report;
    const core::TimePoint sentAt = clock_.now();
    try {
        report = start();
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            run.tell("failed", e.what());
            return run.flushExchanges(
                Run::withOutcome(EntryState::Failed, std::string("the network could not be "
                                                                 "reached, nothing was sent: ") +
                                                         e.what()));
        }
        // The request may have arrived: ask by our reference, never send it again.
        run.flushExchanges({}, e.what());
        try {
            report = binding.terminal->query(reference);
        } catch (const core::Error& again) {
            run.tell("in_doubt", again.what());
            return run.flushExchanges(Run::withOutcome(
                EntryState::InDoubt, std::string("the answer was lost and the network could not "
                                                 "be asked: do not charge again; run status or "
                                                 "reconcile (") +
                                         again.what() + ")"));
        }
    } catch (const core::Error& e) {
        run.tell("failed", e.what());
        return run.flushExchanges(Run::withOutcome(
            EntryState::Failed,
            std::string("the network refused it, nothing was charged: ") + e.what()));
    }
    entry = run.record(report, entry.state, EntryState::InDoubt);
    return run.pollUntilFinal(reference, entry, sentAt);
}

JournalEntry PaymentService::status(const std::string& entryId, const ProgressListener& progress) {
    JournalEntry entry = journal_.get(entryId);
    const TerminalBinding& binding = terminal(entry.terminal);
    const auto terminalGuard = lockTerminal(binding);
    entry = journal_.get(entryId);
    Run run(*this, binding, entry.id, progress);
    if (!entry.networkReference) {
        // The payment stopped before its reference was written: it never reached the network.
        if (entry.state == EntryState::Signing) {
            run.tell("not_charged", "the payment stopped before it reached the terminal");
            return run.append(
                EventRecord::make(event_kind::State, "recovered: no network reference was written"),
                Run::withOutcome(EntryState::NotCharged,
                                 "the payment stopped before it reached the "
                                 "terminal: nothing was charged"));
        }
        return entry;
    }
    TerminalReport report;
    try {
        report = binding.terminal->query(*entry.networkReference);
    } catch (const core::Error& e) {
        run.tell(std::string(stateName(entry.state)),
                 std::string("could not ask the network: ") + e.what());
        run.dropExchanges();
        return entry;
    }
    // Not found under our reference: it never arrived (a SENDING or IN_DOUBT entry); an entry the
    // network had acknowledged (SENT) stays in doubt.
    const EntryState whenNotFound =
        entry.state == EntryState::Sent ? EntryState::InDoubt : EntryState::NotCharged;
    if (!entry.open() && report.stage == TerminalStage::NotFound) {
        run.dropExchanges();
        return entry;
    }
    return run.record(report, entry.state, whenNotFound);
}

std::vector<JournalEntry> PaymentService::reconcile(std::optional<core::TimePoint> since,
                                                    const ProgressListener& progress) {
    std::vector<JournalEntry> settled;
    for (const auto& entry : journal_.list(JournalFilter::openEntries(since))) {
        try {
            settled.push_back(status(entry.id, progress));
        } catch (const core::InputError& e) {
            // A terminal no longer configured: report it, settle the rest.
            if (progress) {
                progress(entry.id, "skipped", e.what());
            }
            settled.push_back(entry);
        }
    }
    return settled;
}

} // namespace fiscpos::plugin
