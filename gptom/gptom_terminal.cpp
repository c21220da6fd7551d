#include "gptom/gptom_terminal.hpp"

#include "core/errors.hpp"
#include "gptom/provisional_api.hpp"

#include <algorithm>

namespace fiscpos::gptom {

namespace {

using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

const std::string notSettled = "do not charge again until it is settled (run status or "
                               "reconcile, or look at the device's history)";

PaymentOutcome paymentOutcome(TxnOutcome outcome) {
    switch (outcome) {
    case TxnOutcome::Approved:
        return PaymentOutcome::Approved;
    case TxnOutcome::Declined:
        return PaymentOutcome::Declined;
    case TxnOutcome::Cancelled:
        return PaymentOutcome::Cancelled;
    case TxnOutcome::Error:
        return PaymentOutcome::Failed;
    case TxnOutcome::Unknown:
        break;
    }
    return PaymentOutcome::InDoubt;
}

std::string outcomeMessage(const TxnDetail& detail) {
    switch (detail.outcome) {
    case TxnOutcome::Approved:
        return "approved";
    case TxnOutcome::Declined:
        return "declined by the card issuer; nothing was charged";
    case TxnOutcome::Cancelled:
        return "cancelled on the device; nothing was charged";
    case TxnOutcome::Error:
        return "the transaction failed on the device (result " + detail.result +
               "); nothing was charged";
    case TxnOutcome::Unknown:
        break;
    }
    return "GP reports the result \"" + detail.result +
           "\", which fiscpos does not know: the payment is in doubt; " + notSettled;
}

void takeDetails(TerminalReport& report, const TxnDetail& detail) {
    if (!detail.terminalId.empty()) {
        report.tid = detail.terminalId;
    }
    report.ids.networkTransactionRef = detail.amsId;
    report.ids.transactionId = detail.transactionId;
    report.rrn = detail.referenceNumber;
    report.authCode = detail.authorizationCode;
    report.maskedPan = detail.cardNumber;
    report.cardType = detail.cardType;
    if (detail.amount) {
        report.amount = detail.amount;
    }
    if (detail.tip) {
        report.tip = detail.tip;
    }
}

std::string taskTrouble(const TaskView& task) {
    return task.error ? " (" + task.error->describe() + ")" : std::string();
}

TerminalReport finalReport(TerminalReport report, PaymentOutcome outcome, std::string message) {
    report.stage = TerminalStage::Final;
    report.outcome = outcome;
    report.message = std::move(message);
    return report;
}

// The newest of several tasks (by creation time, else the last listed).
const TaskView& newest(const std::vector<TaskView>& tasks) {
    return *std::max_element(tasks.begin(), tasks.end(), [](const TaskView& a, const TaskView& b) {
        return a.created && b.created && *a.created < *b.created;
    });
}

} // namespace

void admitSaleRequest(const core::PaymentRequest& request, const GptomSettings& settings) {
    switch (request.kind) {
    case core::PaymentKind::Sale:
        break;
    case core::PaymentKind::Refund:
        throw core::NotSupportedError(
            "kind: GP tom's Cloud API takes no refunds (only sales, cancellations and batch "
            "closes): cancel the sale within 93 days with void, or refund on the device itself");
    case core::PaymentKind::PreauthCompletion:
        throw core::NotSupportedError(
            "kind: GP tom's Cloud API has no pre-authorisation to complete");
    }
    if (request.preauth) {
        throw core::NotSupportedError("preauth: GP tom's Cloud API takes no pre-authorisation");
    }
    if (request.instalments > 0) {
        throw core::NotSupportedError("instalments: GP tom's Cloud API takes no instalments");
    }
    if (request.tip.cents() != 0) {
        throw core::NotSupportedError("tip: GP tom's Cloud API takes no tip with a sale: charge "
                                      "the tip in the amount");
    }
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    // A terminal GP has not confirmed for A.1155 (and one missing provider_id) takes no sale:
    // refused here, before the provider signs or the journal records anything.
    settings.validate(GptomSettings::Need::Payments);
}

void checkSaleRequest(const core::PaymentRequest& request, const GptomSettings& settings) {
    admitSaleRequest(request, settings);
    if (provisional::originReference(request.reference).empty()) {
        throw core::InputError("reference", "\"" + request.reference +
                                                "\" has no letters or digits to travel as the "
                                                "task's reference");
    }
    core::checkSignedCharge(request, settings.tid, settings.section);
}

TaskSignature taskSignature(const core::SignedPayment& signature, const std::string& providerId) {
    if (signature.input.empty()) {
        throw core::InputError("signature.input", "the provider's Input is missing");
    }
    if (signature.signatureBase64.empty()) {
        throw core::InputError("signature.signatureBase64", "the provider's signature is missing");
    }
    if (providerId.empty()) {
        throw core::InputError("provider_id", "the provider's id is missing");
    }
    return TaskSignature{signature.input, signature.signatureBase64, providerId};
}

// The (provisional) sale task has no field for the customer's e-mail or phone (contract
// gptom-cloud.md §5.1): a receipt option exists only on the device (§3). Tasks queue on a
// terminal and finish in any order; batches close on request. No preload: the task has no field
// for one.
GptomTerminal::GptomTerminal(GptomSettings settings, const core::Clock& clock)
    : core::Terminal({.network = "gptom", .closesBatchOnRequest = true, .queuesRequests = true})
    , clock_(clock)
    , client_(settings.validate(GptomSettings::Need::Account), clock) {}

std::string GptomTerminal::wireReference(const std::string& reference,
                                         const std::string& field) const {
    std::string wire = provisional::originReference(reference);
    if (wire.empty()) {
        throw core::InputError(field, "\"" + reference +
                                          "\" has no letters or digits to travel as the task's "
                                          "reference");
    }
    return wire;
}

void GptomTerminal::remember(const std::string& wire, const std::string& taskId) {
    std::lock_guard lock(tasksMutex_);
    if (taskIds_.insert_or_assign(wire, taskId).second) {
        taskOrder_.push_back(wire);
        if (taskOrder_.size() > rememberedTasks) {
            taskIds_.erase(taskOrder_.front());
            taskOrder_.pop_front();
        }
    }
}

std::string GptomTerminal::rememberedTask(const std::string& wire) {
    std::lock_guard lock(tasksMutex_);
    const auto it = taskIds_.find(wire);
    return it == taskIds_.end() ? std::string() : it->second;
}

TerminalReport GptomTerminal::transactionReport(const TaskView& task, TerminalReport report,
                                                const core::HttpObserver& record) {
    std::optional<TxnDetail> detail = task.transaction;
    if (!detail) {
        detail = client_.transactionOf(task.taskId, record);
    }
    if (detail) {
        takeDetails(report, *detail);
        report.networkStatus += "/" + (detail->result.empty() ? "NO RESULT" : detail->result);
        PaymentOutcome outcome = paymentOutcome(detail->outcome);
        std::string message = outcomeMessage(*detail);
        if (task.state != TaskState::Done && outcome == PaymentOutcome::Approved) {
            message = "approved: the task ended " + task.stateText + taskTrouble(task) +
                      ", but GP's transaction shows the card was charged";
        }
        return finalReport(std::move(report), outcome, std::move(message));
    }
    switch (task.state) {
    case TaskState::Failed:
        return finalReport(std::move(report), PaymentOutcome::Failed,
                           "the device could not carry out the task" + taskTrouble(task) +
                               " and GP holds no transaction for it: nothing was charged");
    case TaskState::Cancelled:
        return finalReport(std::move(report), PaymentOutcome::Cancelled,
                           "the task was removed from the device's queue before a card was "
                           "read; nothing was charged");
    default:
        // Finished without a transaction yet: keep asking; past the deadline it is in doubt.
        report.stage = TerminalStage::OnDevice;
        report.message =
            "the device finished the task but GP shows no transaction for it yet; " + notSettled;
        return report;
    }
}

TerminalReport GptomTerminal::batchReport(const TaskView& task, TerminalReport report,
                                          const core::HttpObserver& record) {
    if (task.state != TaskState::Done) {
        return finalReport(std::move(report), PaymentOutcome::Failed,
                           "the batch was not closed: the task ended " + task.stateText +
                               taskTrouble(task) + "; close it again later");
    }
    std::optional<BatchResult> batch = task.batch;
    if (!batch) {
        batch = client_.batchOf(task.taskId, record);
    }
    if (!batch) {
        report.stage = TerminalStage::OnDevice;
        report.message = "the device finished the batch close but GP gives no totals for it yet";
        return report;
    }
    core::BatchTotals totals;
    totals.batchId = batch->batchNumber.empty() ? batch->amsId : batch->batchNumber;
    totals.saleCount = batch->saleCount;
    totals.saleTotal = batch->saleAmount;
    totals.refundCount = batch->voidCount;
    totals.refundTotal = batch->voidAmount;
    report.batch = totals;
    report.networkStatus += "/CLOSED";
    return finalReport(std::move(report), PaymentOutcome::Approved,
                       "batch " + totals.batchId + " closed: " + std::to_string(totals.saleCount) +
                           " sales for " + totals.saleTotal.toString() + ", " +
                           std::to_string(totals.refundCount) + " cancellations for " +
                           totals.refundTotal.toString());
}

TerminalReport GptomTerminal::describe(const TaskView& task, const core::HttpObserver& record) {
    TerminalReport report;
    report.ids.intentId = task.taskId;
    report.tid = task.tid.empty() ? client_.settings().tid : task.tid;
    report.networkStatus = task.stateText;
    switch (task.state) {
    case TaskState::Pending:
        report.stage = task.running ? TerminalStage::OnDevice : TerminalStage::Pending;
        report.message = task.running ? "on the device: waiting for the card"
                                      : "queued on the device: waiting for its turn (or for the "
                                        "cashier to start it)";
        return report;
    case TaskState::Unknown:
        report.stage = TerminalStage::OnDevice;
        report.message = "GP reports the task as \"" + task.stateText +
                         "\", a state fiscpos does not know: it keeps asking; " + notSettled;
        return report;
    case TaskState::Done:
    case TaskState::Failed:
    case TaskState::Cancelled:
        break;
    }
    const bool closesBatch =
        task.kind == TaskKind::CloseBatch || (task.kind == TaskKind::Unknown && task.batch);
    return closesBatch ? batchReport(task, std::move(report), record)
                       : transactionReport(task, std::move(report), record);
}

TerminalReport GptomTerminal::describeCreated(const TaskView& task, const std::string& reference,
                                              const core::HttpObserver& record) {
    remember(provisional::originReference(reference), task.taskId);
    try {
        return describe(task, record);
    } catch (const core::Error& e) {
        TerminalReport report;
        report.stage = TerminalStage::OnDevice;
        report.ids.intentId = task.taskId;
        report.tid = client_.settings().tid;
        report.networkStatus = task.stateText;
        report.message = std::string("the task was created; its result could not be read yet (") +
                         e.what() + ")";
        return report;
    }
}

void GptomTerminal::admit(const core::PaymentRequest& request) const {
    admitSaleRequest(request, client_.settings());
}

TerminalReport GptomTerminal::doStart(const core::PaymentRequest& request,
                                      const core::HttpObserver& record) {
    const GptomSettings& settings = client_.settings();
    checkSaleRequest(request, settings);

    SaleTask task;
    task.amount = request.amount;
    task.currency = settings.currency;
    task.reference = wireReference(request.reference, "reference");
    task.printReceipt = settings.printReceipt;
    task.signature = taskSignature(request.signature, settings.providerId);
    return core::reportUnlessRefused([&] {
        return describeCreated(client_.createSale(task, record), request.reference, record);
    });
}

// sentNoEarlierThan is not needed: GP keeps every task, so when it was sent does not change the
// answer.
TerminalReport GptomTerminal::doQuery(const std::string& reference,
                                      std::optional<core::TimePoint> /*sentNoEarlierThan*/,
                                      const core::HttpObserver& record) {
    const std::string wire = wireReference(reference, "reference");
    if (const std::string taskId = rememberedTask(wire); !taskId.empty()) {
        if (const auto task = client_.task(taskId, record)) {
            return describe(*task, record);
        }
        // GP no longer knows the id: look for the reference instead.
    }
    const auto found = client_.tasksByReference(wire, record);
    TerminalReport report;
    report.tid = client_.settings().tid;
    if (!found) {
        return finalReport(std::move(report), PaymentOutcome::InDoubt,
                           "GP's API cannot be searched by our reference " + wire +
                               " and this process does not know the task: the payment is in "
                               "doubt; look for the reference in the device's task list; " +
                               notSettled);
    }
    if (found->empty()) {
        report.stage = TerminalStage::NotFound;
        report.networkStatus = "NOT_FOUND";
        report.message = "GP has no task under this reference: it never received the request, "
                         "nothing was charged";
        return report;
    }
    const TaskView& task = newest(*found);
    remember(wire, task.taskId);
    report = describe(task, record);
    if (found->size() > 1) {
        report.message += " (GP holds " + std::to_string(found->size()) +
                          " tasks under this reference; this is the newest)";
    }
    return report;
}

std::string GptomTerminal::checkOriginal(const core::NetworkPaymentIds& original,
                                         const core::HttpObserver& record) {
    std::string amsId = original.networkTransactionRef;
    if (original.intentId.empty()) {
        return amsId; // nothing to read: GP judges the cancellation itself
    }
    const auto task = client_.task(original.intentId, record);
    if (!task) {
        return amsId; // GP no longer lists the task: it judges the cancellation itself
    }
    const std::string& tid = client_.settings().tid;
    if (!task->tid.empty() && task->tid != tid) {
        throw core::InputError("original.tid",
                               "the sale was made on terminal " + task->tid +
                                   ", and GP cancels a "
                                   "payment only on the terminal that took it, not on " +
                                   tid);
    }
    std::optional<TxnDetail> detail = task->transaction;
    if (!detail && task->state != TaskState::Pending) {
        detail = client_.transactionOf(task->taskId, record);
    }
    if (detail) {
        if (!detail->terminalId.empty() && detail->terminalId != tid) {
            throw core::InputError("original.tid", "the sale was made on terminal " +
                                                       detail->terminalId +
                                                       ", and GP cancels a payment only on the "
                                                       "terminal that took it, not on " +
                                                       tid);
        }
        if (amsId.empty()) {
            amsId = detail->amsId;
        }
    }
    const auto madeAt = detail && detail->at ? detail->at : task->created;
    if (madeAt && clock_.now() - *madeAt > cancellationWindow) {
        throw core::InputError("original.date",
                               "the sale was made on " + core::utcIso8601(*madeAt) +
                                   ", more than 93 days ago: GP cancels a payment only within 93 "
                                   "days; give the money back another way");
    }
    return amsId;
}

TerminalReport GptomTerminal::doVoid(const core::VoidRequest& request,
                                     const core::HttpObserver& record) {
    CancelTask task;
    task.reference = wireReference(request.reference, "reference");
    task.printReceipt = client_.settings().printReceipt;
    task.amsId = checkOriginal(request.original, record);
    if (task.amsId.empty()) {
        throw core::InputError("original", "the payment to cancel names no GP transaction "
                                           "(amsID) and GP no longer shows its task");
    }
    return core::reportUnlessRefused([&] {
        return describeCreated(client_.createCancel(task, record), request.reference, record);
    });
}

TerminalReport GptomTerminal::doCloseBatch(const std::string& reference,
                                           const core::HttpObserver& record) {
    CloseBatchTask task;
    task.reference = wireReference(reference, "reference");
    return core::reportUnlessRefused(
        [&] { return describeCreated(client_.createCloseBatch(task, record), reference, record); });
}

std::vector<core::TerminalDevice> GptomTerminal::doDevices(const core::HttpObserver& record) {
    (void)record;
    const GptomSettings& settings = client_.settings();
    core::TerminalDevice device;
    device.id = settings.tid;
    device.tid = settings.tid;
    device.name = settings.section;
    device.status = "configured (GP tom's Cloud API lists no devices)";
    return {device};
}

} // namespace fiscpos::gptom
