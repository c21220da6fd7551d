#include "viva/viva_client.hpp"

#include "core/body_quote.hpp"
#include "viva/viva_http.hpp"

namespace fiscpos::viva {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;

constexpr auto renewMargin = std::chrono::seconds(60);
constexpr const char* ecr = "/ecr/v1";

} // namespace

bool credentialsRefused(const HttpResponse& response) {
    return response.status == 401 || tokenRefused(response);
}

// Viva says a token is expired or invalid with {"detail": "Could not validate credentials"}
// (contract viva-cloud-terminal.md §2, §14 item 9), or, as OAuth2 resource servers do, with
// WWW-Authenticate: Bearer error="invalid_token". Any other refusal under a token Viva just
// issued is of the credentials themselves.
bool tokenRefused(const HttpResponse& response) {
    const auto detail = detailOf(response.body);
    if (detail && *detail == "Could not validate credentials") {
        return true;
    }
    return response.status == 401 &&
           response.header("WWW-Authenticate").find("invalid_token") != std::string::npos;
}

VivaClient::VivaClient(VivaSettings settings, const core::Clock& clock)
    : settings_(settings.validate(VivaSettings::Need::Account))
    , clock_(clock)
    , accounts_(settings_.accountsUrl, settings_.http, settings_.settingName("accounts_url"))
    , api_(settings_.apiUrl, settings_.http, settings_.settingName("api_url"))
    , tokens_(clock, [this](const core::HttpObserver& record) { return obtainToken(record); }) {}

// ---- token -----------------------------------------------------------------------------------

core::BearerToken VivaClient::obtainToken(const core::HttpObserver& record) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/connect/token";
    request.contentType = "application/x-www-form-urlencoded";
    Parameters form{{"grant_type", "client_credentials"}};
    if (!settings_.scope.empty()) {
        form.emplace_back("scope", settings_.scope);
    }
    request.body = formEncoded(form);
    request.header("Authorization", basicAuthorization(settings_.clientId, settings_.clientSecret));
    request.header("Accept", "application/json");

    const HttpResponse response = core::sendTokenRequest(accounts_, request, record);
    if (response.status == 400 || response.status == 401 || response.status == 403) {
        throw core::ConfigError(settings_.settingName("client_secret"),
                                "Viva's accounts service refused client_id and client_secret (" +
                                    core::credentialAnswerSummary(response) +
                                    "); use the POS APIs credentials of the merchant account");
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva's accounts service answered " +
                                        core::credentialAnswerSummary(response) +
                                        " to the token request; nothing else was sent, try again "
                                        "later");
    }
    const AccessToken answer =
        AccessToken::fromJson(core::parseCredentialJson(response.body, "token"), "token");
    core::BearerToken token;
    token.access = answer.accessToken;
    if (answer.expiresIn) {
        const auto margin = std::min<std::chrono::seconds>(renewMargin, *answer.expiresIn / 2);
        token.renewAt = clock_.now() + *answer.expiresIn - margin;
    }
    return token;
}

void VivaClient::login(const core::HttpObserver& record) {
    tokens_.login(record);
}

std::uint64_t VivaClient::tokensIssued() const {
    return tokens_.obtained();
}

// ---- calls -----------------------------------------------------------------------------------

HttpResponse VivaClient::sendWith(const std::string& access, HttpRequest request,
                                  const core::HttpObserver& record) {
    request.header("Authorization", "Bearer " + access);
    request.header("Accept", "application/json");
    return api_.send(request, record);
}

void VivaClient::refusedCredentials(const HttpResponse& response, const std::string& what) const {
    throw core::ConfigError(settings_.settingName("client_id"),
                            "Viva refused " + what + " under a token it had just issued (" +
                                answerSummary(response) +
                                "): the credentials are not the POS APIs credentials of the "
                                "account, or lack access to the Cloud Terminal API");
}

HttpResponse VivaClient::ask(const HttpRequest& request, const core::HttpObserver& record) {
    // A refused question was not answered: ask again. A refused token (even one just issued:
    // clocks differ, servers revoke) is replaced once; a refusal of anything else under a token
    // just issued is of the credentials.
    const HttpResponse response =
        tokens_.send([&](const std::string& access) { return sendWith(access, request, record); },
                     [](const HttpResponse& answer, bool issued) {
                         return credentialsRefused(answer) && (!issued || tokenRefused(answer));
                     },
                     {}, record);
    if (!credentialsRefused(response)) {
        return response;
    }
    if (tokenRefused(response)) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva refused a token it had just issued for " +
                                        request.method + " " + request.target + " (" +
                                        answerSummary(response) +
                                        "); the request was not applied; check the machine's "
                                        "clock and try again later");
    }
    refusedCredentials(response, request.method + " " + request.target);
}

Accepted VivaClient::postTransaction(const std::string& endpoint, const Json& body,
                                     const std::string& sessionId,
                                     const core::HttpObserver& record) {
    const HttpRequest request =
        HttpRequest::json("POST", std::string(ecr) + "/transactions:" + endpoint, body);
    const std::string what = "the " + endpoint + " request of session " + sessionId;

    // Refused before anything was done. Never sent again blindly: under the new token, ask
    // whether the session exists, and send once more only when it does not.
    bool exists = false;
    const HttpResponse response =
        tokens_.send([&](const std::string& access) { return sendWith(access, request, record); },
                     [&](const HttpResponse& answer, bool issued) {
                         if (credentialsRefused(answer) && issued && !tokenRefused(answer)) {
                             refusedCredentials(answer, what);
                         }
                         return credentialsRefused(answer);
                     },
                     [&] {
                         exists =
                             session(sessionId, record).state != SessionAnswer::State::NotFound;
                         return !exists;
                     },
                     record);
    if (exists) {
        return Accepted{sessionId, ""};
    }
    if (credentialsRefused(response)) {
        refusedCredentials(response, what);
    }

    if (response.ok()) {
        return Accepted{sessionId, response.header("x-viva-correlationid")};
    }
    if (response.status >= 500 || response.status == 408 || response.status == 409) {
        throw core::TransportError(core::TransportError::Stage::Exchange,
                                   "Viva answered " + what + " with " + answerSummary(response) +
                                       "; the session may or may not exist: ask for session " +
                                       sessionId + " before anything else");
    }
    if (response.status == 404) {
        throw TransactionRefused("transaction_refused", response,
                                 "Viva refused " + what + " (" + answerSummary(response) +
                                     "): check " + settings_.settingName("api_url") + " and " +
                                     settings_.settingName("terminal_id") +
                                     "; nothing was charged");
    }
    throw TransactionRefused("transaction_refused", response,
                             "Viva refused " + what + " (" + answerSummary(response) +
                                 "); nothing was charged");
}

Accepted VivaClient::sale(const TransactionRequest& request, const core::HttpObserver& record) {
    return postTransaction("sale", saleBody(request, settings_), request.sessionId, record);
}

Accepted VivaClient::refund(const TransactionRequest& request, const core::HttpObserver& record) {
    return postTransaction("refund", refundBody(request, settings_), request.sessionId, record);
}

Accepted VivaClient::unreferencedRefund(const TransactionRequest& request,
                                        const core::HttpObserver& record) {
    return postTransaction("unreferenced-refund", unreferencedRefundBody(request, settings_),
                           request.sessionId, record);
}

Accepted VivaClient::preauthCompletion(const TransactionRequest& request,
                                       const core::HttpObserver& record) {
    return postTransaction("preauth-completion", preauthCompletionBody(request, settings_),
                           request.sessionId, record);
}

SessionAnswer VivaClient::session(const std::string& sessionId, const core::HttpObserver& record) {
    if (!isSessionId(sessionId)) {
        throw core::InputError("reference", "\"" + sessionId + "\" is not a Viva sessionId");
    }
    const std::string target = std::string(ecr) + "/sessions/" + core::percentEncoded(sessionId);
    const HttpResponse response = ask(HttpRequest::get(target), record);
    SessionAnswer answer;
    switch (response.status) {
    case 200: {
        answer.state = SessionAnswer::State::Final;
        Session session = Session::fromJson(response.json("session"), "session");
        if (!session.success) {
            throw core::ResponseError("session.success",
                                      "is missing: a final session says whether it succeeded");
        }
        answer.session = std::move(session);
        return answer;
    }
    case 202:
        answer.state = SessionAnswer::State::Pending;
        answer.detail = detailOf(response.body).value_or("");
        return answer;
    case 404:
        answer.state = SessionAnswer::State::NotFound;
        answer.detail = detailOf(response.body).value_or("");
        return answer;
    default:
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered GET " + target + " with " +
                                        answerSummary(response));
    }
}

std::vector<Session> VivaClient::sessionsOfDay(const std::string& date,
                                               std::optional<bool> aadeAutonomouslyOnly,
                                               const core::HttpObserver& record) {
    Parameters query{{"date", date}};
    if (aadeAutonomouslyOnly) {
        query.emplace_back("AadeAutonomouslyOnly", *aadeAutonomouslyOnly ? "true" : "false");
    }
    const std::string target = std::string(ecr) + "/sessions?" + formEncoded(query);
    const HttpResponse response = ask(HttpRequest::get(target), record);
    if (response.status == 404 || response.status == 204) {
        return {};
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered GET " + target + " with " +
                                        answerSummary(response));
    }
    if (response.body.empty()) {
        return {};
    }
    return Session::listFromJson(response.json("sessions"), "sessions");
}

AbortAnswer VivaClient::abort(const std::string& sessionId, const core::HttpObserver& record) {
    if (!isSessionId(sessionId)) {
        throw core::InputError("reference", "\"" + sessionId + "\" is not a Viva sessionId");
    }
    settings_.validate(VivaSettings::Need::Payments);
    const std::string target = std::string(ecr) + "/sessions/" + core::percentEncoded(sessionId) +
                               "?" + formEncoded({{"cashRegisterId", settings_.cashRegister}});
    const HttpResponse response = ask(HttpRequest::del(target), record);
    if (response.ok()) {
        return AbortAnswer::Requested;
    }
    switch (response.status) {
    case 409:
        return AbortAnswer::AlreadyRequested;
    case 403:
        throw AbortRefused(403, "Viva lets only the cash register that started a payment stop it, "
                                "and " +
                                    settings_.settingName("cash_register") + " (" +
                                    settings_.cashRegister + ") did not start session " +
                                    sessionId + " (" + answerSummary(response) +
                                    "); stop it on the terminal");
    case 404:
        throw AbortRefused(404, "Viva has no session " + sessionId +
                                    " to stop (it finished or never arrived; " +
                                    answerSummary(response) + "); ask for its status");
    default:
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered the abort of session " + sessionId + " with " +
                                        answerSummary(response) +
                                        "; the payment goes on: stop it on the terminal");
    }
}

std::vector<Device> VivaClient::devices(const DeviceFilter& filter,
                                        const core::HttpObserver& record) {
    Json body = Json::object();
    if (filter.statusId) {
        body["statusId"] = *filter.statusId;
    }
    if (!filter.sourceCode.empty()) {
        body["sourceCode"] = filter.sourceCode;
    }
    const std::string target = std::string(ecr) + "/devices:search";
    // A search changes nothing: asking again under a new token is safe.
    const HttpResponse response = ask(HttpRequest::json("POST", target, body), record);
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered POST " + target + " with " +
                                        answerSummary(response));
    }
    return Device::listFromJson(response.json("devices"), "devices");
}

} // namespace fiscpos::viva
