#include "viva/viva_terminal.hpp"

#include "core/errors.hpp"
#include "viva/session_outcome.hpp"

#include <set>

namespace fiscpos::viva {

namespace {

// The most instalments Viva offers a cardholder.
constexpr int maxInstalments = 99;

using core::PaymentKind;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;

// Records of sent requests older than this are dropped.
constexpr auto rememberFor = std::chrono::hours(1);

std::vector<std::string> splitInput(const std::string& input) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const auto end = input.find(';', start);
        fields.push_back(input.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) {
            return fields;
        }
        start = end + 1;
    }
}

// "2024-06-29" of a time, in UTC.
std::string utcDate(core::TimePoint at) {
    return core::utcIso8601(at).substr(0, 10);
}

TerminalReport refusedReport(const TransactionRefused& refused, const std::string& reference) {
    TerminalReport report = core::refusedReport(refused);
    report.ids.intentId = reference;
    return report;
}

} // namespace

AadeSignature aadeSignature(const core::SignedPayment& signature, core::Money amount,
                            const std::string& tid, const std::string& providerId) {
    const auto fields = splitInput(signature.input);
    if (fields.size() != 8) {
        throw core::InputError("signature.input",
                               "the provider's Input has " + std::to_string(fields.size()) +
                                   " fields, not the 8 of UID;MARK;timestamp;Payable;Net;VAT;"
                                   "Total;TID");
    }
    if (fields[3] != std::to_string(amount.cents())) {
        throw core::InputError("signature.input",
                               "field 4 of the provider's Input is \"" + fields[3] +
                                   "\", not the payable " + std::to_string(amount.cents()) +
                                   " in cents: the Input is not in Viva's layout "
                                   "(UID;MARK;timestamp;Payable;Net;VAT;Total;TID) or signs "
                                   "another amount");
    }
    if (fields[7] != tid) {
        throw core::InputError("signature.input", "the provider's Input names TID \"" + fields[7] +
                                                      "\", not this terminal's \"" + tid + "\"");
    }
    if (signature.signatureBase64.empty()) {
        throw core::InputError("signature.signatureBase64", "the provider's signature is missing");
    }
    AadeSignature aade;
    aade.providerId = providerId.empty() ? signature.providerId : providerId;
    if (aade.providerId.empty()) {
        throw core::InputError("provider_id", "the provider's id on Viva (aadeProviderId) is "
                                              "missing: set provider_id (999 on demo)");
    }
    aade.signatureData = signature.input;
    aade.signature = signature.signatureBase64;
    return aade;
}

void checkSignedCharge(const core::PaymentRequest& request, const VivaSettings& settings) {
    if (request.signature.input.empty()) {
        return;
    }
    core::checkSignedCharge(request, settings.tid, settings.section);
}

void admitTransactionRequest(const core::PaymentRequest& request) {
    // The reference may not exist yet (admit comes before the journal entry): start() checks it.
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    if (request.tip.cents() < 0) {
        throw core::InputError("tip", request.tip.toString() + " is negative");
    }
    if (request.iris && (request.kind != PaymentKind::Sale || request.preauth)) {
        throw core::InputError("iris", "only a sale can be paid by IRIS");
    }
    if (request.kind != PaymentKind::Sale) {
        if (request.tip.cents() != 0) {
            throw core::InputError("tip", "only a sale carries a tip");
        }
        if (request.preauth) {
            throw core::InputError("preauth", "only a sale can be a pre-authorisation");
        }
        if (request.instalments != 0) {
            throw core::InputError("instalments", "only a sale offers instalments");
        }
    }
    if (request.preauth && request.tip.cents() != 0) {
        throw core::InputError("tip", "a pre-authorisation cannot carry a tip (Viva refuses it)");
    }
    if (request.instalments < 0 || request.instalments > maxInstalments) {
        throw core::InputError("instalments", std::to_string(request.instalments) +
                                                  " is not a number of instalments (0 to " +
                                                  std::to_string(maxInstalments) + ")");
    }
    const bool referenced = request.original.has_value();
    if (referenced && request.kind != PaymentKind::Sale && request.original->intentId.empty()) {
        throw core::InputError("original.intentId",
                               "Viva names the original payment by its sessionId, which the "
                               "original entry does not have");
    }
    if (request.kind == PaymentKind::PreauthCompletion && !referenced) {
        throw core::InputError("original", "a completion names its pre-authorised sale");
    }
}

namespace {

// A preload goes to Viva only where the installer turned it on (VivaSettings::preload), as whole
// hours.
void admitPreload(const core::PaymentRequest& request, const VivaSettings& settings) {
    if (!request.preload) {
        return;
    }
    if (!settings.preload) {
        throw core::InputError("preload",
                               "preloading is off on this Viva terminal: set " +
                                   settings.settingName("preload") +
                                   " = on once a preloaded sale was tried on Viva's demo (how a "
                                   "preloaded session reports is not published)");
    }
    if (request.preload->count() % 60 != 0) {
        throw core::InputError("preload", "Viva holds a preloaded sale for whole hours");
    }
}

} // namespace

TransactionRequest transactionRequestFor(const core::PaymentRequest& request,
                                         const VivaSettings& settings) {
    admitTransactionRequest(request);
    admitPreload(request, settings);
    requireSessionId(request.reference, "reference");
    const bool referenced = request.original.has_value();

    TransactionRequest body;
    body.sessionId = request.reference;
    body.amount = request.amount;
    body.tip = request.tip;
    body.maxInstalments = request.instalments;
    body.preauth = request.preauth;
    body.iris = request.iris;
    if (request.preload) {
        body.preloadHours = static_cast<int>(request.preload->count() / 60);
    }
    if (request.kind != PaymentKind::Sale && referenced) {
        body.parentSessionId = request.original->intentId;
    }

    const bool signedPayment = !request.signature.input.empty();
    if (request.kind == PaymentKind::Sale && !signedPayment) {
        throw core::InputError("signature.input", "a sale carries the provider's signature");
    }
    if (signedPayment) {
        checkSignedCharge(request, settings);
        body.aade =
            aadeSignature(request.signature, request.amount, settings.tid, settings.providerId);
    }
    return body;
}

namespace {

// Viva's IRIS signals (contract §5, §13.5): the IRIS network's bankId, or an IRIS charge (60),
// refund (61) or void (84).
bool paidByIris(const Session& session) {
    const auto type = session.transactionTypeId.value_or(0);
    return session.bankId == "NET_IRIS" || type == 60 || type == 61 || type == 84;
}

} // namespace

TerminalReport reportOf(const Session& session, const std::string& tid) {
    TerminalReport report;
    report.stage = TerminalStage::Final;
    report.ids.intentId = session.sessionId;
    report.ids.transactionId = session.aadeTransactionId;
    report.ids.networkTransactionRef = session.transactionId;
    report.tid = session.tid.empty() ? tid : session.tid;
    report.rrn = session.retrievalReferenceNumber;
    report.authCode = session.authorizationId;
    report.maskedPan = session.primaryAccountNumberMasked;
    report.cardType = paidByIris(session)        ? std::string(core::irisCardType)
                      : session.cardType.empty() ? session.applicationLabel
                                                 : session.cardType;
    report.amount = session.amount;
    report.tip = session.tip;
    if (session.success.value_or(false)) {
        report.outcome = PaymentOutcome::Approved;
        report.networkStatus = "success";
        report.message = session.preauth.value_or(false)
                             ? "approved: the amount is reserved; capture it to charge it"
                             : "approved";
        if (session.aadeTransactionId.empty()) {
            report.message += "; Viva gave no aadeTransactionId for myDATA";
        }
        return report;
    }
    const SessionMeaning meaning = failedSessionMeaning(session.eventId, session.message);
    report.outcome = meaning.outcome;
    report.networkStatus = "failed, eventId " + std::to_string(session.eventId.value_or(0));
    report.message = meaning.message;
    return report;
}

void VivaTerminal::admit(const core::PaymentRequest& request) const {
    admitTransactionRequest(request);
    admitPreload(request, client_.settings());
}

core::TerminalTraits vivaTraits(std::string network) {
    return {.network = std::move(network), .declineMayTurnWithin = std::chrono::minutes(5)};
}

VivaTerminal::VivaTerminal(VivaSettings settings, const core::Clock& clock)
    : core::Terminal([] {
        core::TerminalTraits traits = vivaTraits("viva");
        traits.abortsOnRequest = true;
        // Viva's IRIS for POS takes partial and full refunds (contract
        // aade-autonomous-iris-preload.md §B.2).
        traits.requestsIris = true;
        traits.refundsIris = true;
        // aadePreloadedDuration counts hours; 24 at most (contract aade-autonomous-iris-preload.md
        // §C). VivaSettings::preload gates it.
        traits.preload =
            core::PreloadLimits{.step = std::chrono::hours(1), .longest = std::chrono::hours(24)};
        return traits;
    }())
    , clock_(clock)
    , client_(settings.validate(VivaSettings::Need::Account), clock)
    , sent_(clock, rememberFor) {}

TerminalReport VivaTerminal::pending(const std::string& reference, const std::string& status,
                                     const std::string& message) const {
    TerminalReport report;
    report.stage = TerminalStage::OnDevice;
    report.networkStatus = status;
    report.message = message;
    report.ids.intentId = reference;
    report.tid = client_.settings().tid;
    return report;
}

TerminalReport VivaTerminal::send(Endpoint endpoint, const TransactionRequest& body,
                                  const core::HttpObserver& record) {
    sent_.remember(body.sessionId);
    Accepted answer;
    try {
        answer = (client_.*endpoint)(body, record);
    } catch (const TransactionRefused& refused) {
        sent_.forget(body.sessionId);
        TerminalReport report = refusedReport(refused, body.sessionId);
        report.tid = client_.settings().tid;
        return report;
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            sent_.forget(body.sessionId); // nothing left this machine
        }
        throw;
    }
    sent_.learn(body.sessionId, true);
    TerminalReport report;
    report.stage = TerminalStage::Pending;
    report.networkStatus = "ACCEPTED";
    report.message =
        "Viva accepted the request and sends it to the terminal" +
        (answer.correlationId.empty() ? std::string()
                                      : " (x-viva-correlationid " + answer.correlationId + ")");
    report.ids.intentId = body.sessionId;
    report.tid = client_.settings().tid;
    report.amount = body.amount;
    report.tip = body.tip;
    return report;
}

TerminalReport VivaTerminal::doStart(const core::PaymentRequest& request,
                                     const core::HttpObserver& record) {
    const VivaSettings& settings = client_.settings();
    settings.validate(VivaSettings::Need::Payments);
    const TransactionRequest body = transactionRequestFor(request, settings);
    switch (request.kind) {
    case PaymentKind::Sale:
        return send(&VivaClient::sale, body, record);
    case PaymentKind::Refund:
        return send(request.original ? &VivaClient::refund : &VivaClient::unreferencedRefund, body,
                    record);
    case PaymentKind::PreauthCompletion:
        return send(&VivaClient::preauthCompletion, body, record);
    }
    throw core::InputError("kind", "unknown payment kind");
}

// sentNoEarlierThan is not used: the registration grace counts from the sending, which this
// bound cannot place.
TerminalReport VivaTerminal::doQuery(const std::string& reference,
                                     std::optional<core::TimePoint> /*sentNoEarlierThan*/,
                                     const core::HttpObserver& record) {
    SessionAnswer answer = client_.session(reference, record);
    if (answer.state == SessionAnswer::State::NotFound && !sent_.find(reference)) {
        // Not sent from here: a process that stopped may have sent it a moment ago, and Viva
        // answers 404 until it registers a new session. Wait out the grace once, then ask again.
        sent_.remember(reference);
        clock_.waitFor(std::chrono::duration_cast<std::chrono::milliseconds>(
            client_.settings().registerGrace));
        answer = client_.session(reference, record);
    }
    switch (answer.state) {
    case SessionAnswer::State::Final: {
        TerminalReport report = reportOf(*answer.session, client_.settings().tid);
        if (report.ids.intentId.empty()) {
            report.ids.intentId = reference;
        }
        return report;
    }
    case SessionAnswer::State::Pending:
        return pending(reference, "202 processing",
                       "on the terminal: waiting for the card" +
                           (answer.detail.empty() ? std::string() : " (" + answer.detail + ")"));
    case SessionAnswer::State::NotFound:
        break;
    }
    return notFound(reference, answer.detail, record);
}

TerminalReport VivaTerminal::notFound(const std::string& reference, const std::string& detail,
                                      const core::HttpObserver& record) {
    const core::TimePoint now = clock_.now();
    const auto ours = sent_.find(reference);
    if (ours && (ours->detail || now - ours->at < client_.settings().registerGrace)) {
        TerminalReport report = pending(
            reference, "404 not registered yet",
            ours->detail ? "Viva accepted the request but has not registered the session yet"
                         : "the request was just sent; Viva has not registered the session yet");
        // Without Viva's acceptance this is only a reading of its registration delay.
        report.tentative = !ours->detail;
        return report;
    }
    // Before concluding that Viva never received it, look through the day's sessions (and the
    // previous day's, around midnight UTC).
    std::set<std::string> days{utcDate(now), utcDate(now - std::chrono::hours(24))};
    if (ours) {
        days.insert(utcDate(ours->at));
    }
    for (const auto& day : days) {
        for (const auto& session : client_.sessionsOfDay(day, std::nullopt, record)) {
            if (session.sessionId != reference) {
                continue;
            }
            if (session.success) {
                return reportOf(session, client_.settings().tid);
            }
            return pending(reference, "listed", "Viva lists the session as not finished yet");
        }
    }
    TerminalReport report;
    report.stage = TerminalStage::NotFound;
    report.networkStatus = "404 not found";
    report.message = "Viva has no session under this reference" +
                     (detail.empty() ? std::string() : " (" + detail + ")") +
                     ": the request never arrived, nothing was charged";
    report.tid = client_.settings().tid;
    return report;
}

TerminalReport VivaTerminal::doVoid(const core::VoidRequest& request,
                                    const core::HttpObserver& record) {
    const VivaSettings& settings = client_.settings();
    settings.validate(VivaSettings::Need::Payments);
    requireSessionId(request.reference, "reference");
    if (request.original.intentId.empty()) {
        throw core::InputError("original.intentId",
                               "Viva voids a payment by a refund naming its sessionId, which the "
                               "payment to void does not have");
    }
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", "Viva voids a payment by refunding its whole amount; " +
                                             request.amount.toString() + " is not one");
    }
    TransactionRequest body;
    body.sessionId = request.reference;
    body.amount = request.amount;
    body.parentSessionId = request.original.intentId;
    if (request.originalSignature) {
        // The reversal names the sale it takes back with the sale's own signature.
        body.aade = aadeSignature(*request.originalSignature, request.amount, settings.tid,
                                  settings.providerId);
    }
    return send(&VivaClient::refund, body, record);
}

std::vector<core::TerminalDevice> VivaTerminal::doDevices(const core::HttpObserver& record) {
    std::vector<core::TerminalDevice> devices;
    for (const auto& device : client_.devices({}, record)) {
        core::TerminalDevice entry;
        entry.id = device.terminalId;
        entry.tid = device.terminalId;
        entry.name = device.sourceCode.empty() ? std::string() : "source " + device.sourceCode;
        entry.status = device.statusId ? deviceStatusName(*device.statusId) : std::string();
        devices.push_back(std::move(entry));
    }
    return devices;
}

TerminalReport VivaTerminal::doAbort(const std::string& reference,
                                     const core::HttpObserver& record) {
    const AbortAnswer answer = client_.abort(reference, record);
    return pending(reference,
                   answer == AbortAnswer::Requested ? "ABORT_REQUESTED" : "ABORT_ALREADY_REQUESTED",
                   std::string(answer == AbortAnswer::Requested
                                   ? "Viva asked the terminal to stop the payment"
                                   : "an abort of this payment is already under way") +
                       "; its outcome still comes from the terminal (a cardholder who already "
                       "paid is charged)");
}

} // namespace fiscpos::viva
