#include "viva/local_terminal.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "viva/session_outcome.hpp"
#include "viva/viva_client.hpp"
#include "viva/viva_terminal.hpp"

namespace fiscpos::viva::local {

namespace {

using core::PaymentKind;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

// Records of sent requests older than this are dropped.
constexpr auto rememberFor = std::chrono::hours(1);

TerminalReport finalReport(PaymentOutcome outcome, const std::string& status,
                           const std::string& message, const std::string& reference,
                           const std::string& tid) {
    TerminalReport report;
    report.stage = TerminalStage::Final;
    report.outcome = outcome;
    report.networkStatus = status;
    report.message = message;
    report.ids.intentId = reference;
    report.tid = tid;
    return report;
}

} // namespace

TerminalReport localReportOf(const LocalSession& session, const std::string& tid) {
    const Session& result = *session.result;
    TerminalReport report = reportOf(result, tid);
    if (report.ids.intentId.empty()) {
        report.ids.intentId = session.sessionId;
    }
    const bool paid = session.state == "SUCCESS" && result.success.value_or(false);
    if (result.success.value_or(false) && !paid) {
        // isSuccess true under FAILURE (or another state): the two halves disagree.
        report.outcome = PaymentOutcome::InDoubt;
        report.networkStatus = session.state + " with isSuccess true";
        report.message = "the terminal reports " + session.state +
                         " for a result marked successful: whether the card was charged is "
                         "unclear; check the terminal's receipt or the Viva portal before charging "
                         "again";
        return report;
    }
    if (!paid) {
        report.networkStatus =
            session.state + ", eventId " + std::to_string(result.eventId.value_or(0));
        return report;
    }
    report.networkStatus = "SUCCESS";
    if (!session.merchantApproved) {
        return report;
    }
    report.networkStatus = "approved-offline";
    report.message = "approved offline by the terminal (Store-and-Forward): the card is charged "
                     "when the terminal is back online";
    if (result.aadeTransactionId.empty() || result.tid.empty()) {
        report.ids.transactionId.clear();
        report.message += "; the terminal gave no aadeTransactionId and TID yet, so the myDATA "
                          "payment line waits for reconciliation";
    }
    return report;
}

LocalTerminal::LocalTerminal(LocalSettings settings, const core::Clock& clock)
    : core::Terminal([] {
        // A decline may still turn into an approval as in the cloud (a PIN retry after a reported
        // failure: vivaTraits asks again for a while). A terminal that has forgotten the session
        // by then answers SESSION_NOT_FOUND_ERROR, and the decline stands.
        core::TerminalTraits traits = vivaTraits("viva-local");
        traits.abortsOnRequest = true;
        return traits;
    }())
    , clock_(clock)
    , client_(std::move(settings))
    , sent_(clock, rememberFor) {}

void LocalTerminal::admit(const core::PaymentRequest& request) const {
    admitTransactionRequest(request);
    if (request.iris) {
        throw core::NotSupportedError("the Viva Local Terminal API has no published IRIS request");
    }
    if (request.preload) {
        throw core::NotSupportedError(
            "whether the Viva Local Terminal API preloads a sale is not published");
    }
    if (request.kind != PaymentKind::Sale) {
        if (!request.original) {
            throw core::NotSupportedError("the Viva Local Terminal API's unreferenced refund is "
                                          "not published: refund a known sale");
        }
        if (request.original->networkTransactionRef.empty()) {
            throw core::InputError("original.networkTransactionRef",
                                   "the terminal names the original payment by its Viva "
                                   "transactionId, which the original entry does not have");
        }
    }
}

TerminalReport LocalTerminal::pending(const std::string& reference, const std::string& status,
                                      const std::string& message) const {
    TerminalReport report;
    report.stage = TerminalStage::OnDevice;
    report.networkStatus = status;
    report.message = message;
    report.ids.intentId = reference;
    report.tid = client_.settings().viva.tid;
    return report;
}

TerminalReport LocalTerminal::send(Endpoint endpoint, const core::Json& body,
                                   const TransactionRequest& request,
                                   const core::HttpObserver& record) {
    const std::string& tid = client_.settings().viva.tid;
    sent_.remember(request.sessionId);
    Immediate answer;
    try {
        answer = (client_.*endpoint)(body, record);
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            sent_.learn(request.sessionId, SendRecord::NeverLeft);
        }
        throw;
    }
    switch (stateOf(answer.state)) {
    case State::Processing: {
        sent_.learn(request.sessionId, SendRecord::Acknowledged);
        TerminalReport report = pending(request.sessionId, "PROCESSING",
                                        "the terminal took the request: waiting for the card");
        report.stage = TerminalStage::Pending;
        report.amount = request.amount;
        report.tip = request.tip;
        return report;
    }
    case State::Busy:
        sent_.learn(request.sessionId, SendRecord::NeverLeft);
        return finalReport(PaymentOutcome::Failed, "BUSY_ERROR",
                           "the terminal is busy with another payment and started nothing: "
                           "nothing was charged; finish or cancel that payment on the terminal, "
                           "then try again",
                           request.sessionId, tid);
    default:
        break;
    }
    throw core::TransportError(core::TransportError::Stage::Exchange,
                               "the terminal answered state " + answer.state +
                                   ": whether it started the session is unknown; it is asked by "
                                   "the sessionId");
}

TerminalReport LocalTerminal::doStart(const core::PaymentRequest& request,
                                      const core::HttpObserver& record) {
    const LocalSettings& settings = client_.settings();
    settings.validate(true);
    admit(request);
    const TransactionRequest body = transactionRequestFor(request, settings.viva);
    switch (request.kind) {
    case PaymentKind::Sale:
        return send(&LocalClient::sale, local::saleBody(body, settings.viva), body, record);
    case PaymentKind::Refund:
        return send(&LocalClient::refund,
                    local::refundBody(body, request.original->networkTransactionRef, settings.viva),
                    body, record);
    case PaymentKind::PreauthCompletion:
        return send(&LocalClient::preauthCompletion,
                    preauthCompletionBody(local::refundBody(
                        body, request.original->networkTransactionRef, settings.viva)),
                    body, record);
    }
    throw core::InputError("kind", "unknown payment kind");
}

TerminalReport LocalTerminal::doQuery(const std::string& reference,
                                      std::optional<core::TimePoint> sentNoEarlierThan,
                                      const core::HttpObserver& record) {
    const LocalSession session = client_.session(reference, record);
    const State state = stateOf(session.state);
    const std::string& tid = client_.settings().viva.tid;
    switch (state) {
    case State::Success:
    case State::Failure:
        if (session.result) {
            TerminalReport report = localReportOf(session, tid);
            if (report.ids.intentId.empty()) {
                report.ids.intentId = reference;
            }
            return report;
        }
        if (state == State::Success) {
            return finalReport(PaymentOutcome::InDoubt, "SUCCESS without a result",
                               "the terminal reports SUCCESS without saying whether the card was "
                               "charged; check the terminal's receipt or the Viva portal before "
                               "charging again",
                               reference, tid);
        }
        return finalReport(PaymentOutcome::Failed, "FAILURE",
                           "the terminal reports that the payment did not complete: nothing was "
                           "charged",
                           reference, tid);
    case State::SessionNotFound:
        return notFound(reference, sentNoEarlierThan);
    default:
        break;
    }
    return pending(reference, session.state,
                   state == State::Processing
                       ? std::string("on the terminal: waiting for the card")
                       : "the terminal answered " + session.state + "; asking again");
}

TerminalReport LocalTerminal::notFound(const std::string& reference,
                                       std::optional<core::TimePoint> sentNoEarlierThan) const {
    const auto sent = sent_.find(reference);
    SendRecord known = sent ? sent->detail : SendRecord::Unknown;
    core::TimePoint sentAt = sent ? sent->at : clock_.now();
    if (!sent && sentNoEarlierThan && *sentNoEarlierThan <= clock_.now()) {
        // Sent by a process that stopped (or not at all), no earlier than the caller says: as long
        // ago at most, so read as an answer lost that long ago. A moment in the future (a clock
        // that disagrees with the one that wrote it) tells nothing.
        known = SendRecord::Unacknowledged;
        sentAt = *sentNoEarlierThan;
    }
    const auto since = std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - sentAt);
    const std::string& tid = client_.settings().viva.tid;
    if (notFoundMeaning(known, since) == NotFoundMeaning::NeverArrived) {
        TerminalReport report;
        report.stage = TerminalStage::NotFound;
        report.networkStatus = "SESSION_NOT_FOUND_ERROR";
        report.message = "the terminal has no session under this reference: the request never "
                         "reached it, nothing was charged";
        report.tid = tid;
        return report;
    }
    return finalReport(PaymentOutcome::InDoubt, "SESSION_NOT_FOUND_ERROR",
                       "the terminal no longer knows this payment (it restarted, or keeps "
                       "sessions only for a while): whether the card was charged is unknown. "
                       "Look for merchant reference " +
                           merchantReferenceFor(reference) +
                           " in the Viva portal before charging again",
                       reference, tid);
}

TerminalReport LocalTerminal::doVoid(const core::VoidRequest& request,
                                     const core::HttpObserver& record) {
    const LocalSettings& settings = client_.settings();
    settings.validate(true);
    requireSessionId(request.reference, "reference");
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", "the terminal voids a payment by refunding its whole "
                                         "amount; " +
                                             request.amount.toString() + " is not one");
    }
    TransactionRequest body;
    body.sessionId = request.reference;
    body.amount = request.amount;
    if (request.originalSignature) {
        body.aade = aadeSignature(*request.originalSignature, request.amount, settings.viva.tid,
                                  settings.viva.providerId);
    }
    return send(&LocalClient::refund,
                local::refundBody(body, request.original.networkTransactionRef, settings.viva),
                body, record);
}

std::vector<core::TerminalDevice> LocalTerminal::doDevices(const core::HttpObserver& record) {
    const LocalSession probe = client_.session(core::newUuid(), record);
    core::TerminalDevice device;
    device.id = client_.settings().url;
    device.tid = client_.settings().viva.tid;
    device.name = "Viva terminal at " + client_.settings().url;
    device.status = "reachable";
    device.details = core::Json{{"probe_state", probe.state}};
    return {device};
}

TerminalReport LocalTerminal::doAbort(const std::string& reference,
                                      const core::HttpObserver& record) {
    const Immediate answer = client_.abort(reference, record);
    if (stateOf(answer.state) == State::SessionNotFound) {
        throw AbortRefused(404, "the terminal has no session under this reference to stop");
    }
    return pending(reference, "ABORT_" + answer.state,
                   "the terminal was asked to stop the payment; its outcome still comes from the "
                   "terminal (a cardholder who already paid is charged)");
}

} // namespace fiscpos::viva::local
