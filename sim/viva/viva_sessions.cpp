#include "sim/viva/viva_sessions.hpp"

#include "core/ids.hpp"
#include "core/names.hpp"
#include "sim/viva/viva_error.hpp"

#include <algorithm>

namespace fiscpos::sim::viva {

namespace {

using core::Json;

constexpr int typeCardCharge = 5, typeRefund = 4, typeAuthorisation = 1, typeCapture = 0;
constexpr int typeIrisCharge = 60, typeIrisRefund = 61;
constexpr int eventPaymentCreated = 1796, eventReversalCreated = 1797, eventFailed = 1798;
constexpr int eventSessionCreated = 1802, eventSessionFailed = 1803;

bool isRefund(SessionKind kind) {
    return kind == SessionKind::Refund || kind == SessionKind::UnreferencedRefund;
}

int transactionType(const SessionRequest& request) {
    switch (request.kind) {
    case SessionKind::Refund:
    case SessionKind::UnreferencedRefund:
        return request.iris ? typeIrisRefund : typeRefund;
    case SessionKind::PreauthCompletion:
        return typeCapture;
    case SessionKind::Sale:
        break;
    }
    if (request.iris) {
        return typeIrisCharge;
    }
    return request.preauth ? typeAuthorisation : typeCardCharge;
}

} // namespace

std::string_view kindName(SessionKind kind) {
    static constexpr auto names =
        core::nameTable<SessionKind>({{SessionKind::Sale, "sale"},
                                      {SessionKind::Refund, "refund"},
                                      {SessionKind::UnreferencedRefund, "unreferenced_refund"},
                                      {SessionKind::PreauthCompletion, "preauth_completion"}});
    return names.name(kind, "sale");
}

SessionBook::SessionBook(Timing timing, const core::Clock& clock, Ledger& ledger,
                         WebhookSink webhooks, std::string merchantId, SessionSettings settings)
    : SimRecordBook(timing, clock)
    , ledger_(ledger)
    , webhooks_(std::move(webhooks))
    , merchantId_(std::move(merchantId))
    , settings_(settings) {}

const SessionBook::Session* SessionBook::findLocked(const std::string& sessionId) const {
    const auto it = sessions_.find(sessionId);
    return it == sessions_.end() ? nullptr : &it->second;
}

SessionBook::Session* SessionBook::registered(const std::string& sessionId, core::TimePoint now) {
    const auto it = sessions_.find(sessionId);
    if (it == sessions_.end() || now < it->second.createdAt + settings_.get().unregisteredFor) {
        return nullptr;
    }
    return &it->second;
}

bool SessionBook::terminalBusy(const std::string& terminalId) const {
    return std::any_of(sessions_.begin(), sessions_.end(), [&terminalId](const auto& entry) {
        const Session& s = entry.second;
        return s.occupiesTerminal && !s.final && s.request.terminal.terminalId == terminalId;
    });
}

int SessionBook::checkParent(Session& session) const {
    const SessionRequest& request = session.request;
    const bool completion = request.kind == SessionKind::PreauthCompletion;
    const Session* parent =
        request.parentSessionId ? findLocked(*request.parentSessionId) : nullptr;
    if (!parent || parent->request.kind != SessionKind::Sale ||
        parent->request.preauth != completion || !parent->final || !parent->success ||
        !parent->attempt || parent->request.terminal.terminalId != request.terminal.terminalId) {
        return events::noParent;
    }
    core::Money claimed = request.amount;
    for (const auto& [id, other] : sessions_) {
        const bool claims = other.request.kind == request.kind &&
                            other.request.parentSessionId == request.parentSessionId &&
                            (!other.final || other.success);
        if (claims) {
            if (completion) {
                return events::noParent; // one completion per pre-authorisation
            }
            claimed = claimed + other.request.amount;
        }
    }
    if (claimed > parent->request.amount) {
        return completion ? events::invalidAmountForCapture : events::invalidAmountForVoid;
    }
    session.parentTxn = parent->attempt->transactionId;
    session.request.iris = parent->request.iris;
    if (!session.request.merchantReference) {
        session.request.merchantReference = parent->request.merchantReference;
    }
    return events::ok;
}

void SessionBook::create(SessionRequest request) {
    const auto [lock, now] = upToDate();
    ++posts_[request.sessionId];
    if (sessions_.count(request.sessionId) != 0) {
        ++duplicates_;
        throw HttpError::problem(400, "sessionId: session " + request.sessionId +
                                          " already exists; poll it instead of posting again");
    }
    Session session;
    session.request = std::move(request);
    session.createdAt = now;
    session.orderCode = ledger_.newOrderCode();
    const SessionRequest& r = session.request;
    const core::TimePoint reached = now + timing_.reachAfter;
    const auto failAtReach = [&session, reached](int eventId) {
        session.steps = {Step{reached, Step::Kind::Finish, false, eventId}};
    };

    int parentFailure = events::ok;
    if (r.kind == SessionKind::Refund || r.kind == SessionKind::PreauthCompletion) {
        parentFailure = checkParent(session);
    }
    if (parentFailure != events::ok) {
        session.occupiesTerminal = false;
        failAtReach(parentFailure);
    } else if (r.kind != SessionKind::PreauthCompletion && terminalBusy(r.terminal.terminalId)) {
        session.occupiesTerminal = false;
        failAtReach(events::requestInProgress);
    } else if (r.aadeEventId != events::ok) {
        failAtReach(r.aadeEventId);
        aadeFailures_.add(Json{{"sessionId", r.sessionId},
                               {"terminalId", r.terminal.terminalId},
                               {"eventId", r.aadeEventId},
                               {"reason", r.aadeFailure}});
    } else if (r.preloadHours) {
        session.occupiesTerminal = false;
        session.steps = {Step{now + std::chrono::hours(*r.preloadHours), Step::Kind::Finish, false,
                              events::expired}};
    } else if (r.kind == SessionKind::PreauthCompletion) {
        session.occupiesTerminal = false;
        session.steps = {Step{reached, Step::Kind::Attempt, true, events::ok},
                         Step{reached, Step::Kind::Finish, true, events::ok}};
    } else {
        session.steps = scenarioSteps(r.amount.cents(), now, timing_);
        session.ignoresAbort = r.amount.cents() == amounts::neverFinishes;
        session.chargedAnyway = r.amount.cents() == amounts::abortTooLate;
    }
    ++kinds_[r.preauth ? "preauth" : std::string(kindName(r.kind))];
    if (r.preloadHours) {
        ++kinds_["preloaded"];
    }
    const std::string id = r.sessionId;
    order_.push_back(id);
    sessions_.emplace(id, std::move(session));
    catchUp(now); // a zero delay takes effect at once
}

void SessionBook::apply(Session& session, const Step& step) {
    const SessionRequest& r = session.request;
    if (step.kind == Step::Kind::Attempt) {
        Transaction transaction =
            Transaction::attempt(step, session.orderCode, transactionType(r),
                                 Charge{r.amount, r.tip, r.merchantReference, r.customerTrns,
                                        r.terminal.sourceCode, r.terminal.terminalId});
        transaction.sessionId = r.sessionId;
        transaction.parentId = session.parentTxn;
        if (step.success && session.attempt && !session.attempt->approved) {
            transaction.verification = "ONLINE_PIN"; // the retry after a failed tap
        }
        session.attempt = ledger_.add(std::move(transaction));
        const int type = !step.success      ? eventFailed
                         : isRefund(r.kind) ? eventReversalCreated
                                            : eventPaymentCreated;
        webhooks_(WebhookEvent{type, session.attempt->eventData(merchantId_)});
        return;
    }
    session.final = true;
    session.success = step.success;
    session.eventId = step.eventId;
    session.finishedAt = step.at;
    if (step.eventId == events::aborted) {
        session.abortSuccess = true;
    }
    if (step.success && session.aadeTransactionId.empty()) {
        session.aadeTransactionId = ledger_.digits(21);
    }
    ++results_[step.success ? "approved" : "failed"];
    ++eventIds_[std::to_string(step.eventId)];
    if (settings_.get().sessionEvents) {
        const bool charged = step.success && session.attempt;
        webhooks_(WebhookEvent{
            step.success ? eventSessionCreated : eventSessionFailed,
            Json{{"SessionId", r.sessionId},
                 {"TransactionId", charged ? Json(session.attempt->transactionId) : Json(nullptr)},
                 {"TerminalId", numericId(r.terminal.terminalId)},
                 {"StatusId", step.success ? "F" : "E"},
                 {"ResponseEventId", step.eventId},
                 {"Amount", core::decimalNumber(r.amount)},
                 {"CurrencyCode", "978"},
                 {"MerchantId", merchantId_}}});
    }
}

void SessionBook::catchUp(core::TimePoint now) {
    for (const std::string& id : order_) {
        Session& session = sessions_.at(id);
        while (!session.steps.empty() && session.steps.front().at <= now) {
            const Step step = session.steps.front();
            session.steps.pop_front();
            apply(session, step);
        }
    }
}

std::optional<core::TimePoint> SessionBook::nextChange() const {
    std::lock_guard lock(mutex_);
    std::optional<core::TimePoint> next;
    for (const auto& [id, session] : sessions_) {
        if (!session.steps.empty() && (!next || session.steps.front().at < *next)) {
            next = session.steps.front().at;
        }
    }
    return next;
}

Json SessionBook::render(const Session& s) const {
    const SessionRequest& r = s.request;
    const std::optional<Transaction>& card = s.attempt;
    const bool charged = s.success && card && card->approved;
    const bool codesAsNumbers = settings_.get().codesAsNumbers;
    const auto code = [codesAsNumbers](const std::string& digits) {
        return codesAsNumbers ? numericId(digits) : Json(digits);
    };
    const auto fromCard = [&card](const std::string& value) {
        return card ? Json(value) : Json(nullptr);
    };
    const std::string order = std::to_string(s.orderCode);
    Json json{
        {"sessionId", r.sessionId},
        {"terminalId", r.terminal.terminalId},
        {"cashRegisterId", r.cashRegisterId},
        {"amount", (r.amount + r.tip).cents()},
        {"currencyCode", "978"},
        {"merchantReference", textOrNull(r.merchantReference)},
        {"customerTrns", textOrNull(r.customerTrns)},
        {"tipAmount", r.tip.cents()},
        {"success", s.success},
        {"eventId", s.eventId},
        {"transactionEventId", s.eventId},
        {"message", eventMessage(s.eventId)},
        {"transactionId", charged ? Json(card->transactionId) : Json(nullptr)},
        {"transactionTypeId", transactionType(r)},
        {"authorizationId", charged ? Json(card->authorizationId) : Json(nullptr)},
        {"retrievalReferenceNumber", card ? code(card->rrn) : Json(nullptr)},
        {"referenceNumber", card ? Json(card->stan) : Json(nullptr)},
        {"orderCode", code(order)},
        {"shortOrderCode", code(order.substr(order.size() - 10))},
        {"panEntryMode", fromCard("07")},
        {"applicationLabel", card ? Json(r.iris ? "IRIS" : card->applicationLabel) : Json(nullptr)},
        {"cardType", card && !r.iris ? Json(card->applicationLabel) : Json(nullptr)},
        {"bankId", card ? Json(r.iris ? "NET_IRIS" : card->bankId) : Json(nullptr)},
        {"primaryAccountNumberMasked", card && !r.iris ? Json(card->cardNumber) : Json(nullptr)},
        {"aid", card ? Json(card->aid) : Json(nullptr)},
        {"verificationMethod", card ? Json(card->verification) : Json(nullptr)},
        {"tid", fromCard(r.terminal.terminalId)},
        {"transactionDateTime", utcMillis(s.finishedAt)},
        {"installments", 0},
        {"preauth", r.preauth},
        {"abortOperation", s.abortAck.has_value()},
        {"abortAckTime", s.abortAck ? Json(utcMillis(*s.abortAck)) : Json(nullptr)},
        {"abortSuccess", s.abortSuccess},
        {"interappCallback", textOrNull(r.interappCallback)},
        {"aadeTransactionId", charged ? Json(s.aadeTransactionId) : Json(nullptr)},
        {"surchargeAmount", 0},
        {"loyaltyInfo", nullptr},
        {"dccDetails", nullptr},
        {"fiscalisationDetails", nullptr}};
    if (r.parentSessionId) {
        json["parentSessionId"] = *r.parentSessionId;
    }
    return json;
}

std::optional<SessionBook::Answer> SessionBook::find(const std::string& sessionId) {
    const auto [lock, now] = upToDate();
    const Session* session = registered(sessionId, now);
    if (!session) {
        return std::nullopt;
    }
    Answer answer;
    answer.final = session->final;
    if (session->final) {
        answer.body = render(*session);
    }
    return answer;
}

std::vector<Json> SessionBook::finalOn(const std::string& date) {
    const auto current = upToDate();
    std::vector<Json> found;
    for (const std::string& id : order_) {
        const Session& session = sessions_.at(id);
        if (session.final && utcDate(session.createdAt) == date) {
            found.push_back(render(session));
        }
    }
    return found;
}

SessionBook::AbortAnswer SessionBook::abort(const std::string& sessionId,
                                            const std::string& cashRegisterId) {
    const auto [lock, now] = upToDate();
    Session* found = registered(sessionId, now);
    const auto refused = [this](AbortAnswer answer, const char* status) {
        ++abortsRefused_[status];
        return answer;
    };
    if (!found) {
        return refused(AbortAnswer::NotFound, "404");
    }
    Session& session = *found;
    if (session.request.cashRegisterId != cashRegisterId) {
        return refused(AbortAnswer::OtherRegister, "403");
    }
    if (session.abortAck) {
        return refused(AbortAnswer::AlreadyStarted, "409");
    }
    ++abortsRequested_;
    session.abortAck = now;
    if (session.final || session.ignoresAbort || session.chargedAnyway) {
        return AbortAnswer::Requested;
    }
    const core::TimePoint end = now + timing_.abortAfter;
    const bool resultFirst =
        std::any_of(session.steps.begin(), session.steps.end(), [end](const Step& step) {
            return step.kind == Step::Kind::Finish && step.at <= end;
        });
    if (!resultFirst) {
        std::erase_if(session.steps, [end](const Step& step) { return step.at > end; });
        session.steps.push_back(Step{end, Step::Kind::Finish, false, events::aborted});
    }
    return AbortAnswer::Requested;
}

bool SessionBook::finish(const std::string& sessionId, bool success, int eventId) {
    const auto [lock, now] = upToDate();
    const auto it = sessions_.find(sessionId);
    if (it == sessions_.end()) {
        return false;
    }
    Session& session = it->second;
    session.steps.clear();
    const bool card =
        success || eventId == events::declinedByServer || eventId == events::invalidCard;
    if (card) {
        session.steps.push_back(Step{now, Step::Kind::Attempt, success, eventId});
    }
    session.steps.push_back(Step{now, Step::Kind::Finish, success, eventId});
    catchUp(now);
    return true;
}

void SessionBook::reset() {
    settings_.reset();
    std::lock_guard lock(mutex_);
    sessions_.clear();
    order_.clear();
    posts_.clear();
    kinds_.clear();
    results_.clear();
    eventIds_.clear();
    abortsRefused_.clear();
    duplicates_ = abortsRequested_ = 0;
    aadeFailures_.clear();
}

Json SessionBook::stats() {
    const auto current = upToDate();
    const auto kind = [this](SessionKind k) {
        const auto it = kinds_.find(std::string(kindName(k)));
        return it == kinds_.end() ? 0 : it->second;
    };
    const auto pending = std::count_if(sessions_.begin(), sessions_.end(),
                                       [](const auto& entry) { return !entry.second.final; });
    Json stats{{"sessions_created", sessions_.size()},
               {"sales", kind(SessionKind::Sale)},
               {"refunds", kind(SessionKind::Refund)},
               {"unreferenced_refunds", kind(SessionKind::UnreferencedRefund)},
               {"preauths", kinds_.count("preauth") != 0 ? kinds_.at("preauth") : 0},
               {"preloaded", kinds_.count("preloaded") != 0 ? kinds_.at("preloaded") : 0},
               {"preauth_completions", kind(SessionKind::PreauthCompletion)},
               {"session_posts", countsJson(posts_)},
               {"duplicate_session_ids", duplicates_},
               {"results", countsJson(results_)},
               {"event_ids", countsJson(eventIds_)},
               {"pending", pending},
               {"aborts_requested", abortsRequested_},
               {"aborts_refused", countsJson(abortsRefused_)}};
    aadeFailures_.addTo(stats);
    return stats;
}

} // namespace fiscpos::sim::viva
