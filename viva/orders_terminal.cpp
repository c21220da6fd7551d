#include "viva/orders_terminal.hpp"

#include "core/errors.hpp"
#include "viva/viva_requests.hpp"
#include "viva/viva_terminal.hpp"

#include <algorithm>
#include <set>

namespace fiscpos::viva {

namespace {

using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

// Time allowed beyond PaymentTimeOut for a payment made at its last moment to show up.
constexpr auto payableMargin = std::chrono::seconds(30);
constexpr auto rememberFor = std::chrono::hours(24);

// When an order nobody here created stops being payable: PaymentTimeOut after its newest attempt
// (the order was created before that). nullopt when no attempt has a readable time.
std::optional<core::TimePoint>
payableUntilFromAttempts(const std::vector<LegacyTransaction>& transactions,
                         std::chrono::seconds timeout) {
    std::optional<core::TimePoint> newest;
    for (const auto& transaction : transactions) {
        const auto at = core::timeIfReadable(transaction.insDate);
        if (at && (!newest || *at > *newest)) {
            newest = at;
        }
    }
    if (!newest) {
        return std::nullopt;
    }
    return *newest + timeout + payableMargin;
}

} // namespace

TerminalReport reportOfOrder(const std::vector<LegacyTransaction>& transactions,
                             const std::string& orderCode, core::TimePoint now,
                             std::optional<core::TimePoint> payableUntil) {
    TerminalReport report;
    report.ids.intentId = orderCode;
    const auto paid = std::find_if(transactions.begin(), transactions.end(),
                                   [](const LegacyTransaction& t) { return t.paid(); });
    if (paid != transactions.end()) {
        report.stage = TerminalStage::Final;
        report.outcome = PaymentOutcome::Approved;
        report.networkStatus = "StatusId " + paid->statusId;
        report.message = "approved";
        report.ids.networkTransactionRef = paid->transactionId;
        if (!paid->orderCode.empty()) {
            report.ids.intentId = paid->orderCode;
        }
        report.tid = paid->terminalId;
        report.rrn = paid->retrievalReferenceNumber;
        report.authCode = paid->authorizationId;
        report.maskedPan = paid->cardNumber;
        report.cardType = paid->cardType;
        report.amount = paid->amount;
        return report;
    }
    const bool payable = payableUntil && now < *payableUntil;
    if (transactions.empty()) {
        if (payable) {
            report.stage = TerminalStage::OnDevice;
            report.networkStatus = "ORDER OPEN";
            report.message = "order " + orderCode +
                             " waits on the POS: the cashier fetches it (F1) and the cardholder "
                             "pays";
            return report;
        }
        report.stage = TerminalStage::Final;
        report.outcome = PaymentOutcome::Cancelled;
        report.networkStatus = "ORDER EXPIRED";
        report.message = "order " + orderCode + " expired unpaid; nothing was charged";
        return report;
    }
    const LegacyTransaction& last = transactions.back();
    report.ids.networkTransactionRef = last.transactionId;
    report.networkStatus = "StatusId " + last.statusId;
    if (payable) {
        report.stage = TerminalStage::OnDevice;
        report.message = "the last card attempt failed (StatusId " + last.statusId +
                         "); the cardholder may try again until order " + orderCode + " expires";
        return report;
    }
    report.stage = TerminalStage::Final;
    if (last.statusId == "X") {
        report.outcome = PaymentOutcome::Cancelled;
        report.message =
            "the payment of order " + orderCode + " was cancelled; nothing was charged";
    } else {
        report.outcome = PaymentOutcome::Declined;
        report.message = "the card payment of order " + orderCode + " failed (StatusId " +
                         last.statusId + "); nothing was charged";
    }
    return report;
}

OrdersTerminal::OrdersTerminal(VivaSettings settings, const core::Clock& clock)
    : core::Terminal(vivaTraits("viva-orders"))
    , clock_(clock)
    , client_(settings.validate(VivaSettings::Need::Orders))
    , sent_(clock, rememberFor) {}

void OrdersTerminal::admit(const core::PaymentRequest& request) const {
    if (request.kind != core::PaymentKind::Sale) {
        throw core::NotSupportedError("kind: the Viva Orders per Source flow takes sales only; "
                                      "refund on the terminal or on Viva's portal, or use nsp = "
                                      "viva");
    }
    if (request.preauth) {
        throw core::NotSupportedError(
            "preauth: the Viva Orders per Source flow cannot pre-authorise; use nsp = viva");
    }
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    if (request.tip.cents() != 0) {
        throw core::InputError("tip", "the Orders per Source flow carries no tip");
    }
}

TerminalReport OrdersTerminal::doStart(const core::PaymentRequest& request,
                                       const core::HttpObserver& record) {
    const VivaSettings& settings = client_.settings();
    admit(request);
    requireSessionId(request.reference, "reference");
    checkSignedCharge(request, settings);

    OrderRequest order;
    order.amount = request.amount;
    order.sourceCode = settings.sourceCode;
    order.merchantTrns = merchantReferenceFor(request.reference);
    order.customerTrns = settings.customerText;
    order.paymentTimeout = settings.orderTimeout;
    order.maxInstallments = request.instalments;
    sent_.remember(request.reference);
    const auto forget = [&] {
        sent_.forget(request.reference);
    };

    OrderCreated created;
    try {
        created = client_.createOrder(order, record);
    } catch (const OrderRefused& refused) {
        forget();
        TerminalReport report;
        report.stage = TerminalStage::Final;
        report.outcome = PaymentOutcome::Failed;
        report.networkStatus = "REFUSED " + std::to_string(refused.errorCode());
        report.message = refused.what();
        report.tid = settings.tid;
        return report;
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            forget();
        }
        throw;
    }
    sent_.learn(request.reference, created.orderCode);
    TerminalReport report;
    report.stage = TerminalStage::OnDevice;
    report.networkStatus = "ORDER CREATED";
    report.message = "order " + created.orderCode + " created for source " + settings.sourceCode +
                     ": the cashier fetches it on the POS (F1) and the cardholder pays";
    report.ids.intentId = created.orderCode;
    report.tid = settings.tid;
    report.amount = request.amount;
    return report;
}

std::vector<LegacyTransaction>
OrdersTerminal::findByMerchantTrns(const std::string& reference,
                                   const std::optional<SentOrders::Sent>& ours,
                                   const core::HttpObserver& record) {
    const core::TimePoint now = clock_.now();
    // The legacy API's days: Athens' and UTC's today, Athens' yesterday, and the day it was sent.
    std::set<std::string> days{core::isoDate(core::toAthens(now)),
                               core::isoDate(core::toAthens(now - std::chrono::hours(24))),
                               core::utcIso8601(now).substr(0, 10)};
    if (ours) {
        days.insert(core::isoDate(core::toAthens(ours->at)));
    }
    const std::string merchantTrns = merchantReferenceFor(reference);
    std::vector<LegacyTransaction> found;
    std::set<std::string> seen;
    for (const auto& day : days) {
        for (auto& transaction : client_.transactionsOfDay(day, record)) {
            if (transaction.merchantTrns == merchantTrns &&
                seen.insert(transaction.transactionId).second) {
                found.push_back(std::move(transaction));
            }
        }
    }
    return found;
}

// sentNoEarlierThan is not used: an order's payable time counts from its creation, which
// this bound cannot place.
TerminalReport OrdersTerminal::doQuery(const std::string& reference,
                                       std::optional<core::TimePoint> /*sentNoEarlierThan*/,
                                       const core::HttpObserver& record) {
    const core::TimePoint now = clock_.now();
    auto ours = sent_.find(reference);
    const std::chrono::seconds timeout = client_.settings().orderTimeout;
    TerminalReport report;
    if (ours && !ours->detail.empty()) {
        report = reportOfOrder(client_.transactionsOfOrder(ours->detail, record), ours->detail, now,
                               ours->at + timeout + payableMargin);
    } else {
        const auto found = findByMerchantTrns(reference, ours, record);
        if (!found.empty()) {
            const auto until = ours ? std::optional(ours->at + timeout + payableMargin)
                                    : payableUntilFromAttempts(found, timeout);
            report = reportOfOrder(found, found.front().orderCode, now, until);
        } else {
            if (!ours) {
                // Not sent from here: a process that stopped may have created the order a moment
                // ago, and it stays payable for its timeout. Count that time from now.
                ours = sent_.findOrRemember(reference, now);
            }
            if (now < ours->at + timeout + payableMargin) {
                report.stage = TerminalStage::Pending;
                report.networkStatus = "ORDER UNCONFIRMED";
                report.message = "no payment under this reference yet; an order made for it may "
                                 "still be paid until its time is over";
            } else {
                report.stage = TerminalStage::NotFound;
                report.networkStatus = "NOT FOUND";
                report.message = "Viva has no payment under this reference and no order for it "
                                 "can be paid any more: nothing was charged";
            }
        }
    }
    if (report.tid.empty()) {
        report.tid = client_.settings().tid;
    }
    return report;
}

TerminalReport OrdersTerminal::doVoid(const core::VoidRequest& request,
                                      const core::HttpObserver& record) {
    (void)request;
    (void)record;
    throw core::NotSupportedError("the Viva Orders per Source flow has no void: refund the "
                                  "payment on the terminal or on Viva's portal");
}

std::vector<core::TerminalDevice> OrdersTerminal::doDevices(const core::HttpObserver& record) {
    (void)record;
    throw core::NotSupportedError("the Viva Orders per Source flow lists no devices: the POS is "
                                  "the payment source " +
                                  client_.settings().sourceCode);
}

} // namespace fiscpos::viva
