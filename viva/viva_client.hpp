// The Cloud Terminal API (contract §2-§10): the OAuth2 token of the POS APIs credentials, the
// device list, the transactions (sale, refund, unreferenced refund, pre-authorisation completion),
// a session's outcome, the sessions of a day, and the abort.
//
// Token: client credentials (Basic client_id:client_secret, grant_type=client_credentials) on the
// accounts host, cached until `expires_in` minus a margin (60 s, or half a short lifetime). An
// answer of 401, or any answer whose detail is "Could not validate credentials", means the token
// is no longer good: the client obtains a new one and sends a question (GET, devices:search) once
// more. A transaction POST refused that way is not sent again blindly: the client first asks for
// the session under the same sessionId and sends the POST once more only when Viva has none.
//
// A transaction POST answered 200 (its body is empty) was accepted. A failure after the request
// left, a 5xx or a 409 leaves open whether the session exists: that is a core::TransportError with
// an unknown outcome, and the caller asks session(sessionId) before anything else. Any other 4xx
// is TransactionRefused: nothing was created, nothing was charged.
#pragma once

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/token_session.hpp"
#include "viva/viva_records.hpp"
#include "viva/viva_requests.hpp"
#include "viva/viva_settings.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::viva {

// Viva refused a transaction request outright (a 4xx other than the authentication answers and
// 409): the session was not created, nothing was charged.
using TransactionRefused = core::RequestRefused;

// Viva refused to stop a session: 403 (another cash register started it), 404 (no such session).
class AbortRefused : public core::Error {
public:
    AbortRefused(int status, const std::string& message)
        : core::Error("abort_refused", message)
        , status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// A transaction request Viva accepted.
struct Accepted {
    std::string sessionId;
    std::string correlationId; // x-viva-correlationid, for Viva's support
};

// What GET /ecr/v1/sessions/{id} said.
struct SessionAnswer {
    enum class State {
        Pending,  // 202: being processed
        Final,    // 200: `session` holds the outcome
        NotFound, // 404: no session under this id (yet)
    };
    State state = State::Pending;
    std::optional<Session> session;
    std::string detail; // Viva's detail of a 202 or 404
};

// What DELETE /ecr/v1/sessions/{id} said.
enum class AbortAnswer {
    Requested,        // 200: Viva asked the terminal to stop; the outcome still comes later
    AlreadyRequested, // 409: an abort was already under way
};

// devices:search filters (both optional).
struct DeviceFilter {
    std::optional<int> statusId;
    std::string sourceCode;
};

class VivaClient {
public:
    // Checks the settings for the Cloud API (accounts_url, api_url, client_id, client_secret;
    // ConfigError naming the setting). The clock judges the token's lifetime; it must outlive the
    // client.
    explicit VivaClient(VivaSettings settings, const core::Clock& clock = core::systemClock());

    const VivaSettings& settings() const { return settings_; }

    // Obtains a token now; otherwise the first call does. Credentials Viva refuses are a
    // ConfigError naming <section>.client_secret.
    void login(const core::HttpObserver& record = {});
    // How many tokens this client has obtained.
    std::uint64_t tokensIssued() const;

    // POST /ecr/v1/devices:search
    std::vector<Device> devices(const DeviceFilter& filter = {},
                                const core::HttpObserver& record = {});

    // POST /ecr/v1/transactions:... (see viva_requests.hpp for the bodies).
    Accepted sale(const TransactionRequest& request, const core::HttpObserver& record = {});
    Accepted refund(const TransactionRequest& request, const core::HttpObserver& record = {});
    Accepted unreferencedRefund(const TransactionRequest& request,
                                const core::HttpObserver& record = {});
    Accepted preauthCompletion(const TransactionRequest& request,
                               const core::HttpObserver& record = {});

    // GET /ecr/v1/sessions/{sessionId}
    SessionAnswer session(const std::string& sessionId, const core::HttpObserver& record = {});
    // GET /ecr/v1/sessions?date=YYYY-MM-DD[&AadeAutonomouslyOnly=...]: the sessions of one UTC
    // day. A 404 counts as a day without sessions.
    std::vector<Session> sessionsOfDay(const std::string& date,
                                       std::optional<bool> aadeAutonomouslyOnly = std::nullopt,
                                       const core::HttpObserver& record = {});
    // DELETE /ecr/v1/sessions/{sessionId}?cashRegisterId=...; AbortRefused on 403 and 404.
    AbortAnswer abort(const std::string& sessionId, const core::HttpObserver& record = {});

private:
    // A token by the client credentials (a login: Viva has no refresh).
    core::BearerToken obtainToken(const core::HttpObserver& record);

    core::HttpResponse sendWith(const std::string& access, core::HttpRequest request,
                                const core::HttpObserver& record);
    // Sends a question under the token, once more under a new token when it is refused.
    core::HttpResponse ask(const core::HttpRequest& request, const core::HttpObserver& record);
    Accepted postTransaction(const std::string& endpoint, const core::Json& body,
                             const std::string& sessionId, const core::HttpObserver& record);
    [[noreturn]] void refusedCredentials(const core::HttpResponse& response,
                                         const std::string& what) const;

    VivaSettings settings_;
    const core::Clock& clock_;
    core::HttpClient accounts_;
    core::HttpClient api_;
    core::TokenSession tokens_; // last: its login uses what comes before
};

// True when an answer says the token is not (or no longer) good: 401, or a body whose detail is
// "Could not validate credentials".
bool credentialsRefused(const core::HttpResponse& response);
// True when the refusal is of the access token itself (expired, revoked, never valid): the detail
// "Could not validate credentials", or WWW-Authenticate naming invalid_token. A token refused so
// is replaced once even when it was just issued.
bool tokenRefused(const core::HttpResponse& response);

} // namespace fiscpos::viva
