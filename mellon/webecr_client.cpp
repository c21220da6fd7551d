#include "mellon/webecr_client.hpp"

#include "core/body_quote.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace fiscpos::mellon {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;

// An access token this close to its `exp` is renewed before use.
constexpr auto expiryMargin = std::chrono::seconds(30);
// A guard against a server whose `next` never ends.
constexpr std::size_t maxPages = 10000;

using core::allDigits;

// The payload of a JWT, base64url without padding; nullopt when it is not one.
std::optional<std::string> jwtPayload(const std::string& token) {
    const auto first = token.find('.');
    const auto second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos) {
        return std::nullopt;
    }
    std::string decoded;
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = first + 1; i < second; ++i) {
        const char c = token[i];
        int value = -1;
        if (c >= 'A' && c <= 'Z') {
            value = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            value = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            value = c - '0' + 52;
        } else if (c == '-' || c == '+') {
            value = 62;
        } else if (c == '_' || c == '/') {
            value = 63;
        } else if (c == '=') {
            break;
        } else {
            return std::nullopt;
        }
        buffer = (buffer << 6U) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            decoded.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU));
        }
    }
    return decoded;
}

// The `exp` claim of an access token; nullopt when it has none that can be read.
std::optional<core::TimePoint> tokenExpiry(const std::string& token) {
    const auto payload = jwtPayload(token);
    if (!payload) {
        return std::nullopt;
    }
    const Json claims = Json::parse(*payload, nullptr, false);
    if (!claims.is_object() || !claims.contains("exp") || !claims["exp"].is_number_integer()) {
        return std::nullopt;
    }
    return core::TimePoint(std::chrono::seconds(claims["exp"].get<std::int64_t>()));
}

// When a token is renewed before its next use: a margin before its `exp`.
std::optional<core::TimePoint> renewalOf(const std::string& token) {
    const auto expiry = tokenExpiry(token);
    return expiry ? std::optional(*expiry - expiryMargin) : std::nullopt;
}

using core::answerSummary;

bool isAuthRefusal(int status) {
    return status == 401 || status == 403;
}

// Whether a refusal is of the access token (expired, revoked, never valid) rather than of the API
// key: djangorestframework-simplejwt's answers, {"code": "token_not_valid", ...} and "Given token
// not valid for any token type" (contract mellon-webecr.md §2.2), or no credentials read at all.
// Anything else refused under a valid token is the API key (§2.3, §12 "Auth errors").
bool tokenRefused(const HttpResponse& response) {
    if (response.status != 401) {
        return false;
    }
    const Json body = Json::parse(response.body, nullptr, false);
    if (!body.is_object()) {
        return false;
    }
    if (const auto code = body.find("code"); code != body.end() && *code == "token_not_valid") {
        return true;
    }
    const auto detail = body.find("detail");
    if (detail == body.end() || !detail->is_string()) {
        return false;
    }
    std::string text = detail->get<std::string>();
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text.find("token") != std::string::npos ||
           text.find("credentials were not provided") != std::string::npos;
}

} // namespace

std::string queryString(const std::vector<std::pair<std::string, std::string>>& params) {
    static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                              '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    const auto encode = [](const std::string& text) {
        std::string out;
        for (const char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~') {
                out.push_back(c);
            } else {
                out.push_back('%');
                out.push_back(hex[byte >> 4U]);
                out.push_back(hex[byte & 0x0FU]);
            }
        }
        return out;
    };
    std::string query;
    for (const auto& [key, value] : params) {
        query += (query.empty() ? "" : "&") + encode(key) + "=" + encode(value);
    }
    return query;
}

std::string nextTarget(const std::string& path, const std::string& next) {
    const auto question = next.find('?');
    if (question == std::string::npos) {
        return path;
    }
    const auto hash = next.find('#', question);
    return path +
           next.substr(question, hash == std::string::npos ? std::string::npos : hash - question);
}

Json txnInitBody(const TxnInit& request, int currencyCode) {
    Json body{{"TxnType", request.txnType},        {"Amount", request.amount.cents()},
              {"TipAmount", request.tip.cents()},  {"CashbackAmount", request.cashback.cents()},
              {"CurrencyCode", currencyCode},      {"Instalments", 0},
              {"OnBehalfCollection", false},       {"CustomerReference", request.customerReference},
              {"Timeout", request.timeoutSeconds}, {"PaymentType", request.paymentType}};
    if (request.customerEmail) {
        body["CustomerEmail"] = *request.customerEmail;
    }
    if (request.customerPhone) {
        body["CustomerPhone"] = *request.customerPhone;
    }
    if (request.initialTransaction) {
        const std::string& initial = *request.initialTransaction;
        if (allDigits(initial) && initial.size() <= 18) {
            body["InitialTransaction"] = std::stoll(initial);
        } else {
            body["InitialTransaction"] = initial;
        }
    }
    if (request.preloadMinutes) {
        body["PreloadTransaction"] = true;
        body["PreloadExpiration"] = *request.preloadMinutes;
    }
    if (!request.providerData.is_null()) {
        body["ProviderData"] = request.providerData;
    }
    return body;
}

Json txnVoidBody(const TxnVoid& request) {
    Json body{{"OriginalIdentifier", request.originalIdentifier},
              {"OriginalIdentifierType", static_cast<int>(request.by)},
              {"Timeout", request.timeoutSeconds}};
    if (!request.customerReference.empty()) {
        body["CustomerReference"] = request.customerReference;
    }
    if (request.customerEmail) {
        body["CustomerEmail"] = *request.customerEmail;
    }
    if (request.customerPhone) {
        body["CustomerPhone"] = *request.customerPhone;
    }
    return body;
}

WebEcrClient::WebEcrClient(WebEcrSettings settings, const core::Clock& clock)
    : settings_(settings.validate(WebEcrSettings::Need::Account))
    , http_(settings_.url, settings_.http, settings_.settingName("url"))
    , tokens_(
          clock, [this](const core::HttpObserver& record) { return obtainToken(record); },
          [this](const core::BearerToken& current, const core::HttpObserver& record) {
              return refreshToken(current, record);
          }) {
    if (settings_.waitSeconds > 0) {
        waitingHttp(settings_.waitSeconds); // a bad CA file shows now, not at the first payment
    }
}

core::HttpClient& WebEcrClient::waitingHttp(int waitSeconds) {
    std::lock_guard lock(waitMutex_);
    auto& slot = waitHttp_[waitSeconds];
    if (!slot) {
        core::HttpOptions options = settings_.http;
        options.readTimeout += std::chrono::seconds(waitSeconds);
        slot = std::make_unique<core::HttpClient>(settings_.url, options,
                                                  settings_.settingName("url"));
    }
    return *slot;
}

std::string WebEcrClient::authPath(const std::string& path) const {
    return settings_.pathPrefix + path;
}

std::string WebEcrClient::apiPath(const std::string& path) const {
    return settings_.pathPrefix + (settings_.apiVersion.empty() ? "" : "/" + settings_.apiVersion) +
           path;
}

std::string WebEcrClient::apiKey() const {
    std::lock_guard lock(keyMutex_);
    return settings_.apiKey;
}

WebEcrSettings WebEcrClient::settings() const {
    std::lock_guard lock(keyMutex_);
    return settings_;
}

void WebEcrClient::require(WebEcrSettings::Need need) const {
    settings().validate(need);
}

void WebEcrClient::setApiKey(std::string apiKey) {
    std::lock_guard lock(keyMutex_);
    settings_.apiKey = std::move(apiKey);
}

// ---- token -----------------------------------------------------------------------------------

HttpResponse WebEcrClient::sendTokenCall(const HttpRequest& request,
                                         const core::HttpObserver& record) {
    return core::sendTokenRequest(http_, request, record);
}

core::BearerToken WebEcrClient::obtainToken(const core::HttpObserver& record) {
    const HttpResponse response = sendTokenCall(
        HttpRequest::json("POST", authPath("/token/"),
                          Json{{"username", settings_.username}, {"password", settings_.password}}),
        record);
    if (response.status == 400 || response.status == 401 || response.status == 403) {
        throw core::ConfigError(settings_.settingName("password"),
                                "the WebECR network refused the username and password of the "
                                "integrator account (" +
                                    core::credentialAnswerSummary(response) + ")");
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "the WebECR token service answered " +
                                        core::credentialAnswerSummary(response) +
                                        "; nothing else was sent, try again later");
    }
    const Json body = core::parseCredentialJson(response.body, "token");
    const core::JsonFields fields(body, "token", core::JsonOrigin::Response);
    core::BearerToken token;
    token.access = fields.requireString("access");
    token.refresh = fields.requireString("refresh");
    token.renewAt = renewalOf(token.access);
    return token;
}

std::optional<core::BearerToken> WebEcrClient::refreshToken(const core::BearerToken& current,
                                                            const core::HttpObserver& record) {
    const HttpResponse response = sendTokenCall(
        HttpRequest::json("POST", authPath("/token/refresh/"), Json{{"refresh", current.refresh}}),
        record);
    if (!response.ok()) {
        return std::nullopt; // refused or expired: log in again
    }
    const Json body = core::parseCredentialJson(response.body, "token refresh");
    const core::JsonFields fields(body, "token refresh", core::JsonOrigin::Response);
    core::BearerToken token;
    token.access = fields.requireString("access");
    token.refresh = fields.optionalString("refresh").value_or(""); // "" : not rotated
    token.renewAt = renewalOf(token.access);
    return token;
}

void WebEcrClient::login(const core::HttpObserver& record) {
    tokens_.login(record);
}

// ---- calls -----------------------------------------------------------------------------------

HttpResponse WebEcrClient::call(HttpRequest request, bool withKey, const core::HttpObserver& record,
                                core::HttpClient* http) {
    core::HttpClient& connection = http == nullptr ? http_ : *http;
    const std::size_t plainHeaders = request.headers.size();
    const auto send = [&](const std::string& access) {
        request.headers.resize(plainHeaders);
        request.header("Authorization", "Bearer " + access);
        request.header("Accept", "application/json");
        if (withKey) {
            request.header("X-Api-Key", apiKey());
        }
        return connection.send(request, record);
    };

    // A call refused with 401 or 403 was not applied, so sending it again under a new token is
    // safe. A refused token (even one just issued: clocks differ, servers revoke) is replaced
    // once; only a refusal of the API key under a token the network accepts means the pairing
    // was revoked.
    const HttpResponse response = tokens_.send(
        send, [](const HttpResponse& answer, bool) { return tokenRefused(answer); }, {}, record);
    if (!isAuthRefusal(response.status)) {
        return response;
    }
    if (tokenRefused(response)) {
        throw core::HttpStatusError(
            response.status, response.body,
            "the WebECR network refused a token it had just issued for " + request.method + " " +
                request.target + " (" + answerSummary(response) +
                "); the request was not applied, nothing was charged; check the machine's clock "
                "and try again later");
    }
    if (withKey) {
        throw PairingRequired("the WebECR network refused the API key of " + settings_.section +
                              " under a valid token (" + answerSummary(response) +
                              "): the merchant revoked the pairing; nothing was charged; pair "
                              "the terminal again with fiscpos pair");
    }
    throw core::HttpStatusError(response.status, response.body,
                                "the WebECR network refused " + request.method + " " +
                                    request.target + " under a valid token (" +
                                    answerSummary(response) + ")");
}

std::vector<Json> WebEcrClient::list(const std::string& path, const std::string& query,
                                     std::string_view what, const core::HttpObserver& record) {
    std::vector<Json> items;
    std::set<std::string> seen;
    std::string target = query.empty() ? path : path + "?" + query;
    for (std::size_t page = 1;; ++page) {
        const HttpResponse response = call(HttpRequest::get(target), true, record);
        if (!response.ok()) {
            throw core::HttpStatusError(response.status, response.body,
                                        "the WebECR network answered GET " + target + " with " +
                                            answerSummary(response));
        }
        const Page parsed = Page::fromJson(response.json(what), what);
        items.insert(items.end(), parsed.results.begin(), parsed.results.end());
        if (parsed.next.empty()) {
            return items;
        }
        seen.insert(target);
        target = nextTarget(path, parsed.next);
        if (seen.count(target) != 0 || page >= maxPages) {
            throw core::ResponseError(std::string(what) + ".next",
                                      "the page link \"" + parsed.next +
                                          "\" leads back to a page already read");
        }
    }
}

std::string WebEcrClient::redeem(const std::string& code, const core::HttpObserver& record) {
    if (code.empty() ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c > ' ' && c < 0x7F; })) {
        throw core::InputError("code", "the pairing code is empty or has blanks; type the code "
                                       "the terminal shows under \"Link with 3rd party services\"");
    }
    // The pairing code, and the API key ("Id") the answer carries, are credentials.
    const HttpResponse response = call(HttpRequest::json("POST", apiPath("/authorization/redeem/"),
                                                         Json{{"Type", "webecr"}, {"Code", code}})
                                           .secret("Code")
                                           .secret("Id"),
                                       false, record);
    if (response.status == 400 || response.status == 404) {
        throw core::InputError("code", "the WebECR network refused the pairing code (" +
                                           core::credentialAnswerSummary(response) +
                                           "); codes expire after 5 minutes, ask the terminal "
                                           "for a new one");
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "the WebECR network answered the pairing with " +
                                        core::credentialAnswerSummary(response));
    }
    const Json body = core::parseCredentialJson(response.body, "redeem");
    const core::JsonFields fields(body, "redeem", core::JsonOrigin::Response);
    const std::string type = fields.optionalScalarText("Type").value_or("");
    if (type != "webecr") {
        fields.fail("Type", "expected \"webecr\", got \"" + type + "\"");
    }
    std::string key = fields.optionalScalarText("Id").value_or("");
    if (key.empty()) {
        fields.fail("Id", "missing: the answer carries no API key");
    }
    setApiKey(key);
    return key;
}

std::vector<TerminalInfo> WebEcrClient::terminals(const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Paired);
    std::vector<TerminalInfo> terminals;
    const auto items = list(apiPath("/terminal/"), "", "terminals", record);
    for (std::size_t i = 0; i < items.size(); ++i) {
        terminals.push_back(
            TerminalInfo::fromJson(items[i], "terminals.results[" + std::to_string(i) + "]"));
    }
    return terminals;
}

Intent WebEcrClient::createIntent(const std::string& kind, const Json& body, int timeoutSeconds,
                                  const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Payments);
    if (timeoutSeconds < 0 || timeoutSeconds > WebEcrSettings::maxWaitSeconds) {
        throw core::InputError("Timeout",
                               std::to_string(timeoutSeconds) + " is not a wait from 0 to " +
                                   std::to_string(WebEcrSettings::maxWaitSeconds) + " seconds");
    }
    const std::string target = apiPath("/terminal/" + settings_.posId + "/" + kind + "/");
    const HttpResponse response = call(HttpRequest::json("POST", target, body), true, record,
                                       timeoutSeconds > 0 ? &waitingHttp(timeoutSeconds) : nullptr);
    const auto unknown = [&](const std::string& why) {
        return core::TransportError(core::TransportError::Stage::Exchange,
                                    "POST " + target + ": " + why +
                                        "; the intent may or may not have been created: ask the "
                                        "network by CustomerReference before anything else");
    };
    if (response.ok()) {
        try {
            Intent intent = Intent::fromJson(response.json(kind), kind);
            return intent;
        } catch (const core::ResponseError& e) {
            throw unknown(std::string("the answer could not be read (") + e.what() + ")");
        }
    }
    if (response.status == 404) {
        throw core::ConfigError(settings_.settingName("pos_id"),
                                "the WebECR network has no terminal " + settings_.posId + " at " +
                                    target + " (" + answerSummary(response) +
                                    "); check pos_id, path_prefix and api_version");
    }
    if (response.status >= 400 && response.status < 500) {
        throw IntentRefused("intent_refused", response,
                            "the WebECR network refused the " + kind + " request (" +
                                answerSummary(response) + "); nothing was charged");
    }
    throw unknown("the network answered " + answerSummary(response));
}

Intent WebEcrClient::txninit(const TxnInit& request, const core::HttpObserver& record) {
    return createIntent("txninit", txnInitBody(request, settings_.currencyCode),
                        request.timeoutSeconds, record);
}

Intent WebEcrClient::txnvoid(const TxnVoid& request, const core::HttpObserver& record) {
    return createIntent("txnvoid", txnVoidBody(request), request.timeoutSeconds, record);
}

std::vector<Intent> WebEcrClient::intentsByReference(const std::string& reference,
                                                     const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Paired);
    const auto items = list(apiPath("/transactionintent/"),
                            queryString({{"CustomerReference", reference}}), "intents", record);
    std::vector<Intent> intents;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Intent intent = Intent::fromJson(items[i], "intents.results[" + std::to_string(i) + "]");
        // A server that ignores the filter answers every intent: keep ours only.
        if (intent.customerReference.empty() || intent.customerReference == reference) {
            intents.push_back(std::move(intent));
        }
    }
    return intents;
}

std::optional<Intent> WebEcrClient::intentByReference(const std::string& reference,
                                                      const core::HttpObserver& record) {
    auto intents = intentsByReference(reference, record);
    if (intents.empty()) {
        return std::nullopt;
    }
    // The newest: the highest numeric id, or the last listed.
    const auto newer = [](const Intent& a, const Intent& b) {
        if (allDigits(a.id) && allDigits(b.id) && a.id.size() <= 18 && b.id.size() <= 18) {
            return std::stoll(a.id) < std::stoll(b.id);
        }
        return false;
    };
    return *std::max_element(intents.begin(), intents.end(), newer);
}

std::vector<Intent> WebEcrClient::intentsByPeriod(core::TimePoint from, core::TimePoint to,
                                                  const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Paired);
    const auto items = list(apiPath("/transactionintent/"),
                            queryString({{"Timestamp_min", core::utcIso8601(from)},
                                         {"Timestamp_max", core::utcIso8601(to)}}),
                            "intents", record);
    std::vector<Intent> intents;
    for (std::size_t i = 0; i < items.size(); ++i) {
        intents.push_back(Intent::fromJson(items[i], "intents.results[" + std::to_string(i) + "]"));
    }
    return intents;
}

namespace {

std::vector<Transaction> transactionRecords(const std::vector<Json>& items) {
    std::vector<Transaction> transactions;
    for (std::size_t i = 0; i < items.size(); ++i) {
        transactions.push_back(
            Transaction::fromJson(items[i], "transactions.results[" + std::to_string(i) + "]"));
    }
    return transactions;
}

} // namespace

std::vector<Transaction> WebEcrClient::transactions(const std::string& tid, core::TimePoint since,
                                                    std::optional<core::TimePoint> until,
                                                    const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Paired);
    std::vector<std::pair<std::string, std::string>> params{
        {"TID", tid}, {"Timestamp_min", core::utcIso8601(since)}};
    if (until) {
        params.emplace_back("Timestamp_max", core::utcIso8601(*until));
    }
    return transactionRecords(
        list(apiPath("/transaction/"), queryString(params), "transactions", record));
}

std::vector<Transaction> WebEcrClient::transactionsByReference(const std::string& tid,
                                                               const std::string& reference,
                                                               core::TimePoint since,
                                                               const core::HttpObserver& record) {
    require(WebEcrSettings::Need::Paired);
    try {
        return transactionRecords(list(apiPath("/transaction/"),
                                       queryString({{"TID", tid},
                                                    {"CustomerReference", reference},
                                                    {"Timestamp_min", core::utcIso8601(since)}}),
                                       "transactions", record));
    } catch (const core::HttpStatusError& e) {
        if (e.status() != 400) {
            throw;
        }
        return transactions(tid, since, std::nullopt, record);
    }
}

} // namespace fiscpos::mellon
