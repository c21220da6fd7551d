// GP tom's Cloud API: the OAuth2 token (password grant, per terminal with `tid` or for the
// company's master account without it), and the tasks a device running GP tom carries out (a
// sale, a cancellation, a batch close), polled until done. What GP has not published is in
// gptom/provisional_api.hpp.
//
// Tokens: "Authorization: Basic <client credential>" on the token calls, "Bearer <access_token>"
// on every other call. The access token is used until `expires_in` (on the injected clock), then
// refreshed; GP documents the refresh at two places, tried in turn; when neither takes the
// refresh token the client logs in again. A call answered 401 was not applied: the client renews
// the token the same way and sends it once more.
//
// A task is never created twice after a failure that may have reached GP: a
// core::TransportError with an unknown outcome reaches the caller unchanged, and so does an
// answer that leaves it open (5xx, an unreadable 2xx); the caller then looks the task up by its
// reference. Token calls change nothing payment-wise and are tried again once.
#pragma once

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "core/token_session.hpp"
#include "gptom/gptom_records.hpp"
#include "gptom/gptom_settings.hpp"

#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::gptom {

// GP refused to create a task (HTTP 4xx other than 401): the task does not exist, nothing was
// charged.
using TaskRefused = core::RequestRefused;

class GptomClient {
public:
    // Checks the account settings (ConfigError naming the setting). The clock judges the access
    // token's lifetime; it must outlive the client.
    explicit GptomClient(GptomSettings settings, const core::Clock& clock = core::systemClock());
    GptomClient(const GptomClient&) = delete;
    GptomClient& operator=(const GptomClient&) = delete;
    ~GptomClient();

    const GptomSettings& settings() const { return settings_; }

    // Logs in now; otherwise the first call does. A refused login is a ConfigError naming
    // <section>.password (or .client_credential when GP refuses the client credential).
    void login(const core::HttpObserver& record = {});

    // Creates a task on the configured terminal (a master account names it in the body).
    // TaskRefused on a 4xx; a TransportError with an unknown outcome on anything that leaves open
    // whether the task was created.
    TaskView createSale(SaleTask task, const core::HttpObserver& record = {});
    TaskView createCancel(CancelTask task, const core::HttpObserver& record = {});
    TaskView createCloseBatch(CloseBatchTask task, const core::HttpObserver& record = {});

    // One task; nullopt when GP has no such task (404).
    std::optional<TaskView> task(const std::string& taskId, const core::HttpObserver& record = {});
    // The tasks created under this reference (its wire form); nullopt when GP offers no search
    // (404, 405 or 501 on the task list).
    std::optional<std::vector<TaskView>> tasksByReference(const std::string& reference,
                                                          const core::HttpObserver& record = {});
    // A finished task's transaction, or a batch close's totals; nullopt when GP has none (404).
    std::optional<TxnDetail> transactionOf(const std::string& taskId,
                                           const core::HttpObserver& record = {});
    std::optional<BatchResult> batchOf(const std::string& taskId,
                                       const core::HttpObserver& record = {});

private:
    // Where a token call goes: a client (ours, or one of its own for another host) and a target.
    struct Endpoint {
        core::HttpClient* http = nullptr;
        std::string target;
        std::string where; // for messages
    };

    Endpoint endpoint(const std::string& pathOrUrl, const std::string& setting);
    core::HttpResponse sendTokenCall(const Endpoint& endpoint, const std::string& form,
                                     const core::HttpObserver& record);
    core::BearerToken readToken(const core::HttpResponse& response, std::string_view what);
    // A login, and a refresh at the refresh URLs in turn (nullopt when none would).
    core::BearerToken obtainToken(const core::HttpObserver& record);
    std::optional<core::BearerToken> refreshToken(const core::BearerToken& current,
                                                  const core::HttpObserver& record);

    // Sends with Bearer, renewing the token once on 401.
    core::HttpResponse call(core::HttpRequest request, const core::HttpObserver& record);
    TaskView createTask(const std::string& path, const core::Json& body, const std::string& what,
                        const core::HttpObserver& record);
    // GET of a JSON answer; nullopt when GP answers one of the `absent` statuses.
    std::optional<core::Json> getJson(const std::string& target, std::string_view what,
                                      const core::HttpObserver& record,
                                      std::initializer_list<int> absent = {404});
    // The target, with the TID for a master account.
    std::string target(const std::string& path) const;
    std::string masterTid() const;

    GptomSettings settings_;
    const core::Clock& clock_;
    core::HttpClient http_;
    std::vector<std::unique_ptr<core::HttpClient>> tokenHosts_; // token URLs on other hosts
    Endpoint login_;
    std::vector<Endpoint> refresh_;
    core::TokenSession tokens_; // last: its calls use what comes before
};

} // namespace fiscpos::gptom
