// The sessions of the simulated Viva Cloud Terminal API: each sale, refund, unreferenced refund or
// pre-authorisation completion the ERP posts becomes a session that moves on simulated time by a
// schedule of steps fixed when it is created (see scenarioSteps() in viva_records.hpp); the
// records are brought up to date whenever they are read, and by the merchant's timer so that
// webhooks leave on time.
//
// When a session is created, in this order:
//   - a refund's parentSessionId must name a successful sale (not a pre-authorisation) of the same
//     terminal, a completion's a successful pre-authorisation of the same terminal with no other
//     completion: otherwise it ends with eventId 1101 once it reaches the terminal. A refund whose
//     amount, with the other refunds of the sale, exceeds the sale ends with 1009; a completion
//     above its pre-authorisation with 1017;
//   - a terminal already processing another session (sale, refund or unreferenced refund, not yet
//     final) answers eventId 1100 "There is already a request in progress";
//   - a failed AADE check (the party's, see viva_api_party.hpp) ends it with 1076, 1077 or 1083.
// These end `reachAfter` (1 s) after the request. Otherwise the scenario amounts decide; a
// completion is approved at `reachAfter` whatever its amount.
//
// Abort (DELETE): the session ends success:false eventId 1016 `abortAfter` (2 s) later, unless a
// result is due before then (the customer was quicker), the amount is 50.50 (the card is charged
// anyway) or 88.88 (the abort is ignored). A session that is already final keeps its result.
#pragma once

#include "sim/server/sim_records.hpp"
#include "sim/viva/viva_records.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::sim::viva {

enum class SessionKind { Sale, Refund, UnreferencedRefund, PreauthCompletion };

// "sale", "refund", "unreferenced_refund", "preauth_completion".
std::string_view kindName(SessionKind kind);

// A transactions:* body after the party's checks of its fields.
struct SessionRequest {
    SessionKind kind = SessionKind::Sale;
    std::string sessionId;
    Terminal terminal;
    std::string cashRegisterId;
    core::Money amount, tip;
    std::optional<std::string> merchantReference, customerTrns, interappCallback;
    bool preauth = false;
    // An IRIS payment (paymentMethod IRIS; a refund of an IRIS sale is one too): transaction
    // types 60/61, bankId NET_IRIS, no card (contract viva-cloud-terminal.md §5, §13.5).
    bool iris = false;
    // aadePreloaded with aadePreloadedDuration: the session waits for the customer this long
    // (until /_control/finish), then ends eventId 1102 "expired" (PROVISIONAL: how Viva reports
    // a lapsed preload is not published). It does not keep the terminal busy.
    std::optional<int> preloadHours;
    int maxInstalments = 0;
    std::optional<std::string> parentSessionId;
    // The terminal's AADE check: 0 when the provider fields verify or are not needed; otherwise
    // 1076, 1077 or 1083, with the reason kept for /_sim/stats.
    int aadeEventId = events::ok;
    std::string aadeFailure;
};

// How sessions look and which webhooks they send; changed through /viva-api/_control/settings.
struct SessionSettings {
    // retrievalReferenceNumber, orderCode and shortOrderCode as JSON numbers instead of strings.
    bool codesAsNumbers = false;
    // Send the ECR session webhooks 1802 (success) / 1803 (failed) besides the transaction ones.
    bool sessionEvents = true;
    // For this long after its sale a session is not registered yet: GET and DELETE answer 404
    // ("in the first seconds after the sale it may only mean not registered yet", contract §7.1).
    Millis unregisteredFor{0};
};

// The sessions. Thread-safe.
class SessionBook final : public SimRecordBook<Timing> {
public:
    SessionBook(Timing timing, const core::Clock& clock, Ledger& ledger, WebhookSink webhooks,
                std::string merchantId, SessionSettings settings);

    // Schedules a new session; HttpError 400 when the sessionId was used before.
    void create(SessionRequest request);

    struct Answer {
        bool final = false;
        core::Json body; // the session object (contract §7.2) when final
    };
    std::optional<Answer> find(const std::string& sessionId);
    // The final sessions created on a UTC day ("YYYY-MM-DD").
    std::vector<core::Json> finalOn(const std::string& utcDate);

    enum class AbortAnswer { Requested, NotFound, OtherRegister, AlreadyStarted };
    AbortAnswer abort(const std::string& sessionId, const std::string& cashRegisterId);
    // Ends the session now with this result, dropping what else was scheduled; false when unknown.
    bool finish(const std::string& sessionId, bool success, int eventId);

    SimSetting<SessionSettings>& settings() { return settings_; }

    // When the next scheduled step is due; nullopt when none is.
    std::optional<core::TimePoint> nextChange() const;
    void reset();
    // sessions_created, per kind (sales, preauths, refunds, ...), session_posts {sessionId: n},
    // duplicate_session_ids, results
    // {"approved", "failed"}, event_ids {"1006": n}, pending, aborts_requested, aborts_refused,
    // aade_failures and the last reasons (aade_failure_log).
    core::Json stats();

private:
    struct Session {
        SessionRequest request;
        core::TimePoint createdAt, finishedAt;
        std::int64_t orderCode = 0;
        std::deque<Step> steps;
        bool occupiesTerminal = true;
        bool ignoresAbort = false;  // 88.88
        bool chargedAnyway = false; // 50.50
        bool final = false;
        bool success = false;
        int eventId = events::ok;
        std::optional<Transaction> attempt;      // the latest card attempt
        std::optional<std::string> parentTxn;    // refund / completion: the original transaction
        std::optional<core::TimePoint> abortAck; // when an abort was requested
        bool abortSuccess = false;
        std::string aadeTransactionId;
    };

    // Applies every step due by `now`.
    void catchUp(core::TimePoint now) override;
    const Session* findLocked(const std::string& sessionId) const;
    // The session as GET and DELETE see it: nullptr while it is not registered yet.
    Session* registered(const std::string& sessionId, core::TimePoint now);
    bool terminalBusy(const std::string& terminalId) const;
    // The parent checks; 0 when they pass, else the eventId the session ends with.
    int checkParent(Session& session) const;
    void apply(Session& session, const Step& step);
    core::Json render(const Session& session) const;

    Ledger& ledger_;
    WebhookSink webhooks_;
    std::string merchantId_;
    SimSetting<SessionSettings> settings_;

    // Guarded by mutex_.
    std::map<std::string, Session> sessions_;
    std::vector<std::string> order_; // creation order
    std::map<std::string, std::int64_t> posts_;
    std::map<std::string, std::int64_t> kinds_, results_, eventIds_, abortsRefused_;
    std::int64_t duplicates_ = 0, abortsRequested_ = 0;
    SimFailureLog aadeFailures_{"aade"};
};

} // namespace fiscpos::sim::viva
