#include "mellon/webecr_terminal.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <charconv>

namespace fiscpos::mellon {

namespace {

using core::Json;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

// The transaction list is read from this long before the intent was created.
constexpr auto lookBack = std::chrono::minutes(10);
// Without a creation time, this far back from now.
constexpr auto lookBackUnknown = std::chrono::hours(24);
constexpr std::size_t maxReferenceLength = 50;
constexpr int resultApproved = 1;
constexpr int resultUnknown = 5;
// How the transaction record is asked about an UNKNOWN intent: a few questions, seconds apart.
constexpr int unknownQuestions = 3;
constexpr auto unknownQuestionInterval = std::chrono::milliseconds(2000);

using core::allDigits;

using core::allHex;

void requireCents(core::Money amount, const char* field) {
    if (amount.cents() < 0) {
        throw core::InputError(field, amount.toString() + " is negative");
    }
}

std::string outcomeMessage(int result) {
    switch (result) {
    case 1:
        return "approved";
    case 2:
        return "declined by the card issuer; nothing was charged";
    case 3:
        return "cancelled on the terminal; nothing was charged";
    case 4:
        return "the terminal could not complete the payment (or refused the provider's "
               "signature); nothing was charged";
    case 5:
        return "the terminal did not report a result: the payment is in doubt; do not charge "
               "again until it is settled (run status or reconcile later)";
    case 6:
        return "terminal busy: it is processing another transaction or in maintenance; nothing "
               "was charged";
    case 7:
        return "batch full: close the batch on the terminal, then try again; nothing was charged";
    default:
        return "the terminal finished with a result fiscpos does not know (" +
               std::to_string(result) + "): treat the payment as in doubt";
    }
}

PaymentOutcome outcomeOf(int result) {
    switch (result) {
    case 1:
        return PaymentOutcome::Approved;
    case 2:
        return PaymentOutcome::Declined;
    case 3:
        return PaymentOutcome::Cancelled;
    case 4:
    case 6:
    case 7:
        return PaymentOutcome::Failed;
    default:
        return PaymentOutcome::InDoubt;
    }
}

void takeCardDetails(TerminalReport& report, const Transaction& transaction) {
    if (!transaction.tid.empty()) {
        report.tid = transaction.tid;
    }
    report.rrn = transaction.rrn;
    report.authCode = transaction.authCode;
    report.maskedPan = transaction.cardPan;
    report.cardType = core::asciiUpper(transaction.cardType) == core::irisCardType
                          ? std::string(core::irisCardType)
                          : transaction.cardType;
    if (!transaction.id.empty()) {
        report.ids.networkTransactionRef = transaction.id;
    }
    if (report.ids.transactionId.empty() && !transaction.externalId.empty()) {
        report.ids.transactionId = transaction.externalId;
    }
}

} // namespace

Json providerData(const core::SignedPayment& signature, const std::string& providerId) {
    if (signature.uid.size() != 40 || !allHex(signature.uid)) {
        throw core::InputError("signature.uid",
                               "\"" + signature.uid + "\" is not the 40-hex invoice UID");
    }
    Json mark = nullptr;
    if (!signature.mark.empty()) {
        std::int64_t value = 0;
        const char* end = signature.mark.data() + signature.mark.size();
        const auto [ptr, ec] = std::from_chars(signature.mark.data(), end, value);
        if (!allDigits(signature.mark) || ec != std::errc() || ptr != end || value <= 0) {
            throw core::InputError("signature.mark",
                                   "\"" + signature.mark + "\" is not a MARK (a positive integer)");
        }
        mark = value;
    }
    if (signature.timestamp.size() != 14 || !allDigits(signature.timestamp)) {
        throw core::InputError("signature.timestamp",
                               "\"" + signature.timestamp + "\" is not YYYYMMDDhhmmss");
    }
    requireCents(signature.net, "signature.net");
    requireCents(signature.vat, "signature.vat");
    requireCents(signature.total, "signature.total");
    if (signature.signatureBase64.empty()) {
        throw core::InputError("signature.signatureBase64", "the provider's signature is missing");
    }
    if (providerId.empty()) {
        throw core::InputError("provider_id", "the provider's id on this network is missing");
    }
    return Json{{"Uid", signature.uid},
                {"Mark", mark},
                {"SignatureTimestamp", signature.timestamp},
                {"NetAmount", signature.net.cents()},
                {"VatAmount", signature.vat.cents()},
                {"TotalAmount", signature.total.cents()},
                {"ProviderId", providerId},
                {"Signature", signature.signatureBase64}};
}

void admitPaymentRequest(const core::PaymentRequest& request, const WebEcrSettings& settings) {
    if (request.preauth || request.kind == core::PaymentKind::PreauthCompletion) {
        // WebECR names pre-authorisation (TxnType 2) and its completion (3), but what a
        // completion's InitialTransaction holds is unresolved (contract mellon-webecr.md §13
        // item 4) and no pre-authorisation has been seen through the API: sending one as a sale
        // would charge the card twice once it is captured.
        throw core::NotSupportedError(
            std::string(request.preauth ? "preauth" : "kind") + ": " + settings.section +
            " is a Mellon WebECR terminal; fiscpos does not send pre-authorisations or their "
            "completions over WebECR (how a completion names its pre-authorisation is not "
            "settled); take a sale instead");
    }
    if (request.instalments > 0) {
        throw core::NotSupportedError(
            "instalments: WebECR's Instalments is the number the cardholder pays in, not the "
            "most they may choose; fiscpos sends none over WebECR");
    }
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    requireCents(request.tip, "tip");
    if (request.kind == core::PaymentKind::Refund &&
        (!request.original || (request.original->networkTransactionRef.empty() &&
                               request.original->transactionId.empty()))) {
        throw core::InputError("original", "a refund names the sale's transaction (its Id or "
                                           "TransactionId)");
    }
}

void checkPaymentRequest(const core::PaymentRequest& request, const WebEcrSettings& settings) {
    admitPaymentRequest(request, settings);
    if (request.reference.empty() || request.reference.size() > maxReferenceLength) {
        throw core::InputError("reference", "the CustomerReference must have 1 to " +
                                                std::to_string(maxReferenceLength) +
                                                " characters, got " +
                                                std::to_string(request.reference.size()));
    }
    core::checkSignedCharge(request, settings.tid, settings.section);
}

TerminalReport reportOf(const Intent& intent) {
    TerminalReport report;
    report.ids.intentId = intent.id;
    report.ids.transactionId = intent.transactionId;
    report.ids.networkTransactionRef = intent.transactionRef;
    report.amount = intent.amount;
    report.tip = intent.tip;
    switch (intent.status) {
    case 1:
        report.stage = TerminalStage::Pending;
        report.networkStatus = "PENDING";
        report.message = "waiting to be sent to the terminal";
        return report;
    case 2:
        report.stage = TerminalStage::OnDevice;
        report.networkStatus = "SENT";
        report.message = "on the terminal: waiting for the card";
        return report;
    case 3:
        break;
    default:
        throw core::ResponseError("intent.Status", "unknown status " +
                                                       std::to_string(intent.status) +
                                                       " (expected 1, 2 or 3)");
    }
    report.stage = TerminalStage::Final;
    if (!intent.result) {
        report.outcome = PaymentOutcome::InDoubt;
        report.networkStatus = "COMPLETED";
        report.message = "the network says the intent completed but gives no result: the payment "
                         "is in doubt; do not charge again until it is settled";
        return report;
    }
    report.outcome = outcomeOf(*intent.result);
    report.networkStatus = "COMPLETED/" + std::string(resultName(*intent.result));
    report.message = outcomeMessage(*intent.result);
    if (intent.transaction) {
        takeCardDetails(report, *intent.transaction);
    }
    return report;
}

// CustomerEmail and CustomerPhone travel in txninit (contract mellon-webecr.md §4); a decline is
// final. A preload (PreloadTransaction, PreloadExpiration in minutes, §4) has no documented
// maximum: the provider's signature bounds it (60 hours at most).
WebEcrTerminal::WebEcrTerminal(WebEcrSettings settings, const core::Clock& clock)
    : core::Terminal({.network = "mellon",
                      .carriesCustomerContact = true,
                      .requestsIris = true,
                      .refundsIris = false,
                      .preload = core::PreloadLimits{.step = std::chrono::minutes(1),
                                                     .longest = std::chrono::hours(60)}})
    , clock_(clock)
    , client_(settings.validate(WebEcrSettings::Need::Account), clock) {}

std::optional<Transaction>
WebEcrTerminal::findTransaction(const Intent& intent, const std::string& reference,
                                const std::function<bool(const Transaction&)>& wanted,
                                bool wholePeriodToo, const core::HttpObserver& record) {
    const core::TimePoint since =
        intent.createdAt ? *intent.createdAt - lookBack : clock_.now() - lookBackUnknown;
    const std::string tid = client_.settings().tid;
    const auto first = [&wanted](const std::vector<Transaction>& transactions) {
        const auto found = std::find_if(transactions.begin(), transactions.end(), wanted);
        return found == transactions.end() ? std::nullopt : std::optional(*found);
    };
    if (!reference.empty()) {
        if (auto found = first(client_.transactionsByReference(tid, reference, since, record))) {
            return found;
        }
        if (!wholePeriodToo) {
            return std::nullopt;
        }
    }
    return first(client_.transactions(tid, since, std::nullopt, record));
}

TerminalReport WebEcrTerminal::describe(const Intent& intent, const std::string& reference,
                                        const core::HttpObserver& record) {
    TerminalReport report = reportOf(intent);
    if (report.tid.empty()) {
        report.tid = client_.settings().tid;
    }
    if (report.stage != TerminalStage::Final || !intent.result) {
        return report;
    }
    const int result = *intent.result;
    if (result == resultApproved && !intent.transaction && !intent.transactionRef.empty()) {
        // The card details are in the transaction record the intent names.
        try {
            const auto transaction = findTransaction(
                intent, reference,
                [&intent](const Transaction& candidate) {
                    return candidate.id == intent.transactionRef;
                },
                true, record);
            if (transaction) {
                takeCardDetails(report, *transaction);
                return report;
            }
            report.message += "; the card details are not in the transaction list yet";
        } catch (const core::TransportError& e) {
            report.message += std::string("; the card details could not be read: ") + e.what();
        } catch (const core::HttpStatusError& e) {
            report.message += std::string("; the card details could not be read: ") + e.what();
        } catch (const core::ResponseError& e) {
            report.message += std::string("; the card details could not be read: ") + e.what();
        }
        return report;
    }
    if (result == resultUnknown && !reference.empty()) {
        return settleUnknown(intent, reference, std::move(report), record);
    }
    return report;
}

TerminalReport WebEcrTerminal::settleUnknown(const Intent& intent, const std::string& reference,
                                             TerminalReport report,
                                             const core::HttpObserver& record) {
    // UNKNOWN is final at the network: the terminal never reported. The network's own record of
    // the card may show the charge a moment later, so it is asked a few times over a few
    // seconds; anything short of an approval there leaves the payment in doubt, reported at
    // once so the cashier is not kept waiting.
    std::string failure;
    for (int question = 1; question <= unknownQuestions; ++question) {
        if (question > 1) {
            clock_.waitFor(unknownQuestionInterval);
        }
        try {
            const auto transaction = findTransaction(
                intent, reference,
                [&reference](const Transaction& candidate) {
                    return candidate.customerReference == reference &&
                           candidate.approved.value_or(false) && !candidate.voided;
                },
                false, record);
            if (transaction) {
                report.outcome = PaymentOutcome::Approved;
                report.message = "approved: the terminal did not report it, but the network's "
                                 "transaction record shows the card was charged";
                takeCardDetails(report, *transaction);
                if (transaction->amount) {
                    report.amount = transaction->amount;
                }
                return report;
            }
            failure.clear();
        } catch (const core::TransportError& e) {
            failure = e.what();
        } catch (const core::HttpStatusError& e) {
            failure = e.what();
        } catch (const core::ResponseError& e) {
            failure = e.what();
        }
    }
    report.message = "the terminal did not report a result and the network's transaction record "
                     "does not show the charge yet: the payment is in doubt; do not charge "
                     "again; run status later to settle it";
    if (!failure.empty()) {
        report.message += " (the transaction record could not be read: " + failure + ")";
    }
    return report;
}

void WebEcrTerminal::admit(const core::PaymentRequest& request) const {
    admitPaymentRequest(request, client_.settings());
}

TerminalReport WebEcrTerminal::doStart(const core::PaymentRequest& request,
                                       const core::HttpObserver& record) {
    const WebEcrSettings settings = client_.settings();
    settings.validate(WebEcrSettings::Need::Payments);
    checkPaymentRequest(request, settings);

    TxnInit body;
    body.txnType = request.kind == core::PaymentKind::Refund ? 1 : 0;
    body.paymentType = request.iris ? 1 : 0;
    body.amount = request.amount;
    body.tip = request.tip;
    body.customerReference = request.reference;
    body.customerEmail = request.customerEmail;
    body.customerPhone = request.customerPhone;
    if (request.kind == core::PaymentKind::Refund) {
        const auto& original = *request.original;
        body.initialTransaction = original.networkTransactionRef.empty()
                                      ? original.transactionId
                                      : original.networkTransactionRef;
    }
    // A preloaded sale waits for the customer, not for this answer.
    body.timeoutSeconds = request.preload ? 0 : settings.waitSeconds;
    if (request.preload) {
        body.preloadMinutes = static_cast<int>(request.preload->count());
    }
    body.providerData = providerData(request.signature, settings.providerId);
    return core::reportUnlessRefused(
        [&] { return describe(client_.txninit(body, record), request.reference, record); });
}

// sentNoEarlierThan is not needed: WebECR keeps every intent, so when it was sent does not change
// the answer.
TerminalReport WebEcrTerminal::doQuery(const std::string& reference,
                                       std::optional<core::TimePoint> /*sentNoEarlierThan*/,
                                       const core::HttpObserver& record) {
    const auto intent = client_.intentByReference(reference, record);
    if (!intent) {
        TerminalReport report;
        report.stage = TerminalStage::NotFound;
        report.networkStatus = "NOT_FOUND";
        report.message = "the network has no intent under this reference: it never received the "
                         "request, nothing was charged";
        report.tid = client_.settings().tid;
        return report;
    }
    return describe(*intent, reference, record);
}

TerminalReport WebEcrTerminal::doVoid(const core::VoidRequest& request,
                                      const core::HttpObserver& record) {
    client_.settings().validate(WebEcrSettings::Need::Payments);
    if (request.reference.empty() || request.reference.size() > maxReferenceLength) {
        throw core::InputError("reference", "the void's reference must have 1 to " +
                                                std::to_string(maxReferenceLength) + " characters");
    }
    TxnVoid body;
    body.customerReference = request.reference;
    body.timeoutSeconds = client_.settings().waitSeconds;
    if (!request.original.intentId.empty()) {
        body.originalIdentifier = request.original.intentId;
        body.by = TxnVoid::By::IntentId;
    } else if (!request.original.transactionId.empty()) {
        body.originalIdentifier = request.original.transactionId;
        body.by = TxnVoid::By::TransactionId;
    } else {
        throw core::InputError("original",
                               "the payment to void has neither an intent Id nor a TransactionId");
    }
    return core::reportUnlessRefused(
        [&] { return describe(client_.txnvoid(body, record), request.reference, record); });
}

std::vector<core::TerminalDevice> WebEcrTerminal::doDevices(const core::HttpObserver& record) {
    std::vector<core::TerminalDevice> devices;
    for (const auto& terminal : client_.terminals(record)) {
        core::TerminalDevice device;
        device.id = terminal.id;
        device.tid = terminal.tid;
        device.name = terminal.friendlyName;
        device.status = terminal.locked ? "locked" : "available";
        device.details = {{"merchant", terminal.merchant}, {"locked", terminal.locked}};
        devices.push_back(std::move(device));
    }
    return devices;
}

} // namespace fiscpos::mellon
