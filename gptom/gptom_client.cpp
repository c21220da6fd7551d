#include "gptom/gptom_client.hpp"

#include "core/body_quote.hpp"

#include "gptom/provisional_api.hpp"

#include "core/url_encoding.hpp"

#include <algorithm>

namespace fiscpos::gptom {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;

// An access token is renewed this long before `expires_in` runs out (or a tenth of its life,
// when that is shorter).
constexpr auto expiryMargin = std::chrono::seconds(30);

// OAuth2's error code of a token answer ("invalid_client", "invalid_grant"); empty otherwise.
std::string oauthError(const HttpResponse& response) {
    const Json body = Json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
        return body["error"].get<std::string>();
    }
    return {};
}

std::string summary(const HttpResponse& response) {
    const std::string text = provisional::errorText(response.body);
    return std::to_string(response.status) + (text.empty() ? "" : ": " + text);
}

// Whether a 401 refuses the access token itself (expired, revoked, never valid): OAuth2's
// invalid_token, in the body or in WWW-Authenticate (contract gptom-cloud.md §1.2, §5.5: a
// Spring-style OAuth2 resource server). Such a token is replaced once, even one just issued.
bool tokenRefused(const HttpResponse& response) {
    return response.status == 401 &&
           (oauthError(response) == "invalid_token" ||
            response.header("WWW-Authenticate").find("invalid_token") != std::string::npos);
}

} // namespace

GptomClient::GptomClient(GptomSettings settings, const core::Clock& clock)
    : settings_(settings.validate(GptomSettings::Need::Account))
    , clock_(clock)
    , http_(settings_.url, settings_.http, settings_.settingName("url"))
    , tokens_(
          clock, [this](const core::HttpObserver& record) { return obtainToken(record); },
          [this](const core::BearerToken& current, const core::HttpObserver& record) {
              return refreshToken(current, record);
          }) {
    login_ = endpoint(settings_.tokenUrl, "token_url");
    for (const auto& url : settings_.refreshUrls) {
        refresh_.push_back(endpoint(url, "refresh_urls"));
    }
}

GptomClient::~GptomClient() = default;

GptomClient::Endpoint GptomClient::endpoint(const std::string& pathOrUrl,
                                            const std::string& setting) {
    if (pathOrUrl.front() == '/') {
        return {&http_, pathOrUrl, settings_.url + pathOrUrl};
    }
    tokenHosts_.push_back(std::make_unique<core::HttpClient>(pathOrUrl, settings_.http,
                                                             settings_.settingName(setting)));
    return {tokenHosts_.back().get(), "", pathOrUrl};
}

std::string GptomClient::masterTid() const {
    return settings_.masterAccount ? settings_.tid : std::string();
}

std::string GptomClient::target(const std::string& path) const {
    return provisional::withTid(path, masterTid());
}

// ---- token -------------------------------------------------------------------------------------

HttpResponse GptomClient::sendTokenCall(const Endpoint& endpoint, const std::string& body,
                                        const core::HttpObserver& record) {
    HttpRequest request;
    request.method = "POST";
    request.target = endpoint.target;
    request.body = body;
    request.contentType = "application/x-www-form-urlencoded";
    request.header("Authorization", "Basic " + settings_.clientCredential);
    request.header("Accept", "application/json");
    return core::sendTokenRequest(*endpoint.http, request, record);
}

core::BearerToken GptomClient::readToken(const HttpResponse& response, std::string_view what) {
    const Json body = core::parseCredentialJson(response.body, what);
    const core::JsonFields fields(body, std::string(what), core::JsonOrigin::Response);
    core::BearerToken token;
    token.access = fields.requireString("access_token");
    if (token.access.empty()) {
        fields.fail("access_token", "is empty");
    }
    token.refresh = fields.optionalString("refresh_token").value_or("");
    if (const auto type = fields.optionalString("token_type")) {
        std::string lower = *type;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower != "bearer") {
            fields.fail("token_type", "expected bearer, got \"" + *type + "\"");
        }
    }
    if (const auto expiresIn = fields.optionalInteger("expires_in")) {
        if (*expiresIn <= 0) {
            fields.fail("expires_in", "must be a positive number of seconds");
        }
        const std::chrono::seconds lifetime(*expiresIn);
        token.renewAt =
            clock_.now() + lifetime - std::min<std::chrono::seconds>(expiryMargin, lifetime / 10);
    }
    // A per-terminal token names its terminal; one for another terminal is a wrong setting.
    const std::string tid = fields.optionalScalarText("tid").value_or("");
    if (!settings_.masterAccount && !tid.empty() && tid != settings_.tid) {
        throw core::ConfigError(settings_.settingName("tid"), "GP issued the token for terminal " +
                                                                  tid + ", not " + settings_.tid);
    }
    return token;
}

core::BearerToken GptomClient::obtainToken(const core::HttpObserver& record) {
    std::vector<std::pair<std::string, std::string>> fields{{"grant_type", "password"},
                                                            {"username", settings_.username},
                                                            {"password", settings_.password}};
    if (!settings_.masterAccount) {
        fields.emplace_back("tid", settings_.tid);
    }
    const HttpResponse response = sendTokenCall(login_, core::formEncoded(fields), record);
    if (response.status == 401 || oauthError(response) == "invalid_client") {
        throw core::ConfigError(settings_.settingName("client_credential"),
                                "GP's token service refused the client credential at " +
                                    login_.where + " (" + core::credentialAnswerSummary(response) +
                                    "); copy it again from GP's Cloud API documentation");
    }
    if (response.status == 400 || response.status == 403) {
        throw core::ConfigError(
            settings_.settingName("password"),
            "GP refused the login of " + settings_.username +
                (settings_.masterAccount ? " (master account)" : " for terminal " + settings_.tid) +
                " (" + core::credentialAnswerSummary(response) + "); check username, password" +
                (settings_.masterAccount ? " and that the account is a master API account"
                                         : " and tid"));
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "GP's token service answered " +
                                        core::credentialAnswerSummary(response) +
                                        "; nothing else was sent, try again later");
    }
    return readToken(response, "token");
}

std::optional<core::BearerToken> GptomClient::refreshToken(const core::BearerToken& current,
                                                           const core::HttpObserver& record) {
    const std::string body =
        core::formEncoded({{"grant_type", "refresh_token"}, {"refresh_token", current.refresh}});
    for (const auto& place : refresh_) {
        try {
            const HttpResponse response = sendTokenCall(place, body, record);
            if (!response.ok()) {
                continue; // refused here: the next place, then a new login
            }
            return readToken(response, "token refresh");
        } catch (const core::TransportError&) {
            continue;
        } catch (const core::ResponseError&) {
            continue;
        }
    }
    return std::nullopt;
}

void GptomClient::login(const core::HttpObserver& record) {
    tokens_.login(record);
}

// ---- calls -------------------------------------------------------------------------------------

HttpResponse GptomClient::call(HttpRequest request, const core::HttpObserver& record) {
    const std::size_t plainHeaders = request.headers.size();
    const auto send = [&](const std::string& access) {
        request.headers.resize(plainHeaders);
        request.header("Authorization", "Bearer " + access);
        request.header("Accept", "application/json");
        return http_.send(request, record);
    };
    // Refused: the token expired early or was revoked. A call refused with 401 was not applied,
    // so sending it again under a new token is safe. A token refused as invalid_token is replaced
    // once even when it was just issued (by a new login then); any other 401 under a token just
    // issued is not the token's fault and is reported as it is.
    const HttpResponse response = tokens_.send(
        send,
        [](const HttpResponse& answer, bool issued) {
            return answer.status == 401 && (!issued || tokenRefused(answer));
        },
        {}, record);
    if (response.status != 401) {
        return response;
    }
    throw core::HttpStatusError(response.status, response.body,
                                "GP refused " + request.method + " " + request.target +
                                    " under a fresh login (" + summary(response) +
                                    "); the request was not applied");
}

TaskView GptomClient::createTask(const std::string& path, const Json& body, const std::string& what,
                                 const core::HttpObserver& record) {
    const std::string where = "POST " + path;
    const HttpResponse response = call(HttpRequest::json("POST", path, body), record);
    const auto unknown = [&](const std::string& why) {
        return core::TransportError(core::TransportError::Stage::Exchange,
                                    where + ": " + why + "; the " + what +
                                        " task may or may not have been created: look it up by "
                                        "its reference before anything else");
    };
    if (response.ok()) {
        try {
            return provisional::readTask(response.json(what), what);
        } catch (const core::ResponseError& e) {
            throw unknown(std::string("the answer could not be read (") + e.what() + ")");
        }
    }
    if (response.status >= 400 && response.status < 500) {
        throw TaskRefused("task_refused", response,
                          "GP refused the " + what + " task (" + summary(response) +
                              "); it was not created, nothing was charged");
    }
    throw unknown("GP answered " + summary(response));
}

TaskView GptomClient::createSale(SaleTask task, const core::HttpObserver& record) {
    task.tid = masterTid();
    return createTask(provisional::createTransactionPath(), provisional::saleBody(task), "sale",
                      record);
}

TaskView GptomClient::createCancel(CancelTask task, const core::HttpObserver& record) {
    task.tid = masterTid();
    return createTask(provisional::createTransactionPath(), provisional::cancelBody(task),
                      "cancellation", record);
}

TaskView GptomClient::createCloseBatch(CloseBatchTask task, const core::HttpObserver& record) {
    task.tid = masterTid();
    return createTask(provisional::createCloseBatchPath(), provisional::closeBatchBody(task),
                      "batch close", record);
}

std::optional<Json> GptomClient::getJson(const std::string& path, std::string_view what,
                                         const core::HttpObserver& record,
                                         std::initializer_list<int> absent) {
    const std::string where = target(path);
    const HttpResponse response = call(HttpRequest::get(where), record);
    if (std::find(absent.begin(), absent.end(), response.status) != absent.end()) {
        return std::nullopt;
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "GP answered GET " + where + " with " + summary(response));
    }
    return response.json(what);
}

namespace {

// The record `read` makes of a JSON answer, when there was one.
template <typename Record>
std::optional<Record> readIfAny(const std::optional<Json>& json, std::string_view what,
                                Record (*read)(const Json&, std::string_view)) {
    if (!json) {
        return std::nullopt;
    }
    return read(*json, what);
}

} // namespace

std::optional<TaskView> GptomClient::task(const std::string& taskId,
                                          const core::HttpObserver& record) {
    return readIfAny(getJson(provisional::taskPath(taskId), "task", record), "task",
                     provisional::readTask);
}

std::optional<std::vector<TaskView>>
GptomClient::tasksByReference(const std::string& reference, const core::HttpObserver& record) {
    // A server without the search answers 404, 405 or 501: the caller looks another way.
    const auto json =
        getJson(provisional::taskSearchPath(reference), "tasks", record, {404, 405, 501});
    if (!json) {
        return std::nullopt;
    }
    const auto items = provisional::readTaskList(*json, "tasks");
    std::vector<TaskView> tasks;
    for (std::size_t i = 0; i < items.size(); ++i) {
        TaskView task = provisional::readTask(items[i], "tasks[" + std::to_string(i) + "]");
        // A server that ignores the filter lists every task: keep ours only.
        if (task.reference == reference) {
            tasks.push_back(std::move(task));
        }
    }
    return tasks;
}

std::optional<TxnDetail> GptomClient::transactionOf(const std::string& taskId,
                                                    const core::HttpObserver& record) {
    return readIfAny(getJson(provisional::transactionPath(taskId), "transaction", record),
                     "transaction", provisional::readTransaction);
}

std::optional<BatchResult> GptomClient::batchOf(const std::string& taskId,
                                                const core::HttpObserver& record) {
    return readIfAny(getJson(provisional::batchPath(taskId), "batch", record), "batch",
                     provisional::readBatch);
}

} // namespace fiscpos::gptom
