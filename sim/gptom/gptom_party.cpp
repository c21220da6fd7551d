#include "sim/gptom/gptom_party.hpp"

#include "core/errors.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_text.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

namespace fiscpos::sim {

namespace {

using core::Json;
using gptom::CloudError;

constexpr std::size_t maxReferenceLength = 20;

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return upper(std::string(a)) == upper(std::string(b));
}

// An application/x-www-form-urlencoded body.
std::map<std::string, std::string> readForm(const std::string& body) {
    std::map<std::string, std::string> fields;
    std::size_t start = 0;
    while (start < body.size()) {
        const std::size_t end = std::min(body.find('&', start), body.size());
        std::string pair = body.substr(start, end - start);
        start = end + 1;
        std::replace(pair.begin(), pair.end(), '+', ' ');
        const std::size_t equals = pair.find('=');
        std::string name, value;
        try {
            Poco::URI::decode(pair.substr(0, equals), name);
            if (equals != std::string::npos) {
                Poco::URI::decode(pair.substr(equals + 1), value);
            }
        } catch (const Poco::Exception&) {
            throw CloudError::oauth(400, "invalid_request", "The form body is not URL-encoded.");
        }
        fields[name] = value;
    }
    return fields;
}

std::string formField(const std::map<std::string, std::string>& form, const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

Json readBody(const SimRequest& request) {
    return readJsonObject(
        request.body, "request", false,
        [](const std::string& reason) {
            return CloudError::message(400, "Malformed JSON: " + reason);
        },
        [](const Json&) {
            return CloudError::message(400, "The request body must be a JSON object.");
        });
}

// An optional text field (a string, or an integer read as its digits).
std::string textField(const Json& body, const std::string& key, std::size_t maxLength = 255) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return {};
    }
    std::string text;
    if (it->is_string()) {
        text = it->get<std::string>();
    } else if (it->is_number_integer()) {
        text = it->dump();
    } else {
        throw CloudError::field(400, key, key + " must be a string.");
    }
    if (text.size() > maxLength) {
        throw CloudError::field(
            400, key, key + " takes at most " + std::to_string(maxLength) + " characters.");
    }
    return text;
}

bool boolField(const Json& body, const std::string& key) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return false;
    }
    if (!it->is_boolean()) {
        throw CloudError::field(400, key, key + " must be true or false.");
    }
    return it->get<bool>();
}

std::string randomToken(std::mt19937_64& random) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 40; ++i) {
        token.push_back(hex[random() % 16]);
    }
    return token;
}

// The HTTP answer of a refusal; a 401 names the scheme, as OAuth2 resource servers do.
SimResponse answer(const CloudError& error) {
    SimResponse response = SimResponse::json(error.status(), error.body());
    if (error.status() == 401) {
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"gptom\"");
    }
    return response;
}

} // namespace

GptomParty::GptomParty(signing::PublicKey providerKey, GptomPartyOptions options,
                       const SimClock& clock)
    : SimPartyBase("gptom", options.prefix)
    , providerKey_(std::move(providerKey))
    , options_(std::move(options))
    , clock_(clock)
    , book_(options_.devices, options_.timing, clock)
    , embedTransaction_(options_.embedTransaction)
    , random_(std::random_device{}()) {
    const SettingsCheck require("gptom");
    require(!options_.username.empty() && !options_.password.empty(), "username",
            "the per-terminal account needs a username and a password");
    require(!options_.masterUsername.empty() && !options_.masterPassword.empty() &&
                options_.masterUsername != options_.username,
            "master_username", "the master account needs a username of its own and a password");
    require(!options_.clientCredential.empty(), "client_credential", "must not be empty");
    require(options_.accessLifetime.count() >= 1000 &&
                options_.masterAccessLifetime.count() >= 1000,
            "access_lifetime", "must be at least one second");
    for (const auto& path : options_.refreshPaths) {
        require(path == "/cloud/oauth/token" || path == "/api/oauth/token", "refresh_paths",
                "\"" + path + "\" is neither /cloud/oauth/token nor /api/oauth/token");
    }
}

bool GptomParty::embedTransaction() const {
    std::lock_guard lock(mutex_);
    return embedTransaction_;
}

SimResponse GptomParty::handle(const SimRequest& request) {
    try {
        return route(request);
    } catch (const CloudError& e) {
        switch (e.status()) {
        case 400:
        case 422:
            ++invalid_;
            break;
        case 401:
            ++unauthenticated_;
            break;
        case 403:
            ++forbidden_;
            break;
        default:
            break;
        }
        return answer(e);
    }
}

SimResponse GptomParty::route(const SimRequest& request) {
    const std::string& sub = request.subpath;
    constexpr std::string_view controlPrefix = "/_control/";
    if (sub.rfind(controlPrefix, 0) == 0) {
        return control(request, sub.substr(controlPrefix.size()));
    }
    if (sub == "/cloud/oauth/token" || sub == "/api/oauth/token") {
        if (request.method != "POST") {
            throw CloudError::message(405, sub + " takes POST.");
        }
        return tokenCall(request, sub);
    }
    const std::vector<std::string> path = request.segments();
    if (path.size() < 2 || path[0] != "v1" || path[1] != "tasks") {
        throw CloudError::message(404, "No resource at " + request.path + ".");
    }
    const Caller caller = authenticate(request);
    if (path.size() == 3 && request.method == "POST") {
        if (path[2] == "TRANSACTION") {
            return createTransaction(request, caller);
        }
        if (path[2] == "CLOSE_BATCH") {
            return createCloseBatch(request, caller);
        }
        throw CloudError::message(404, "No task type " + path[2] + ".");
    }
    if (request.method != "GET") {
        throw CloudError::message(405, request.path + " takes GET.");
    }
    const std::string tid = terminalFor(caller, request.queryParam("tid").value_or(""));
    if (path.size() == 2) {
        Json list = Json::array();
        for (auto& view :
             book_.tasks(tid, request.queryParam("originReferenceNum"), embedTransaction())) {
            list.push_back(std::move(view));
        }
        return SimResponse::json(200, list);
    }
    const std::string& taskId = path[2];
    if (path.size() == 3) {
        const auto view = book_.task(taskId, tid, embedTransaction());
        if (!view) {
            throw CloudError::message(404, "No task " + taskId + " for terminal " + tid + ".");
        }
        return SimResponse::json(200, *view);
    }
    if (path.size() == 4 && (path[3] == "transaction" || path[3] == "batch")) {
        const auto found =
            path[3] == "transaction" ? book_.transaction(taskId, tid) : book_.batch(taskId, tid);
        if (!found) {
            throw CloudError::message(404, "Task " + taskId + " of terminal " + tid + " has no " +
                                               path[3] + ".");
        }
        return SimResponse::json(200, *found);
    }
    throw CloudError::message(404, "No resource at " + request.path + ".");
}

// ---- tokens ------------------------------------------------------------------------------------

SimResponse GptomParty::tokenCall(const SimRequest& request, const std::string& path) {
    const std::string authorization = request.header("Authorization");
    constexpr std::string_view basic = "Basic ";
    if (authorization.size() <= basic.size() ||
        !equalsIgnoreCase(authorization.substr(0, basic.size()), basic) ||
        !core::secretEquals(authorization.substr(basic.size()), options_.clientCredential)) {
        ++loginFailures_;
        throw CloudError::oauth(401, "invalid_client", "Bad client credentials.");
    }
    const auto form = readForm(request.body);
    const std::string grant = formField(form, "grant_type");
    if (grant == "password" && path == "/cloud/oauth/token") {
        return passwordGrant(form);
    }
    if (grant == "refresh_token" &&
        std::find(options_.refreshPaths.begin(), options_.refreshPaths.end(), path) !=
            options_.refreshPaths.end()) {
        return refreshGrant(form, path);
    }
    if (grant == "refresh_token") {
        ++refreshFailures_;
    }
    throw CloudError::oauth(400, "unsupported_grant_type",
                            "Grant type \"" + grant + "\" is not accepted at " + path + ".");
}

SimResponse GptomParty::passwordGrant(const std::map<std::string, std::string>& form) {
    const std::string username = formField(form, "username");
    const std::string password = formField(form, "password");
    const std::string tid = formField(form, "tid");
    const bool perTerminal = core::secretEquals(username, options_.username) &&
                             core::secretEquals(password, options_.password);
    const bool master = core::secretEquals(username, options_.masterUsername) &&
                        core::secretEquals(password, options_.masterPassword);
    if (!perTerminal && !master) {
        ++loginFailures_;
        throw CloudError::oauth(400, "invalid_grant", "Bad credentials.");
    }
    if (perTerminal && tid.empty()) {
        ++loginFailures_;
        throw CloudError::oauth(400, "invalid_request",
                                "This account logs in for one terminal: tid is required.");
    }
    if (!tid.empty() && !book_.hasDevice(tid)) {
        ++loginFailures_;
        throw CloudError::oauth(400, "invalid_grant", "Unknown terminal " + tid + ".");
    }
    if (tid.empty()) {
        ++masterLogins_;
    } else {
        ++logins_;
    }
    return issue(tid);
}

SimResponse GptomParty::refreshGrant(const std::map<std::string, std::string>& form,
                                     const std::string& path) {
    const std::string presented = formField(form, "refresh_token");
    std::string tid;
    {
        std::lock_guard lock(mutex_);
        const auto it = tokens_.find(presented);
        if (it == tokens_.end() || !it->second.refresh || clock_.now() >= it->second.expiresAt) {
            ++refreshFailures_;
            throw CloudError::oauth(400, "invalid_grant",
                                    "Invalid refresh token (at " + path + ").");
        }
        tid = it->second.tid;
        tokens_.erase(it); // refresh tokens rotate
    }
    ++refreshes_;
    return issue(tid);
}

SimResponse GptomParty::issue(const std::string& tid) {
    const core::TimePoint now = clock_.now();
    const auto lifetime = tid.empty() ? options_.masterAccessLifetime : options_.accessLifetime;
    std::string access, refresh;
    {
        std::lock_guard lock(mutex_);
        access = randomToken(random_);
        refresh = randomToken(random_);
        tokens_[access] = Token{tid, false, now + lifetime};
        tokens_[refresh] = Token{tid, true, now + options_.refreshLifetime};
    }
    return SimResponse::json(
        200,
        Json{{"access_token", access},
             {"token_type", "bearer"},
             {"refresh_token", refresh},
             {"expires_in", std::chrono::duration_cast<std::chrono::seconds>(lifetime).count()},
             {"scope", "read write"},
             {"tid", textOrNull(tid)}});
}

GptomParty::Caller GptomParty::authenticate(const SimRequest& request) {
    const std::string presented = request.bearerToken();
    if (presented.empty()) {
        throw CloudError::oauth(401, "unauthorized",
                                "Full authentication is required to access this resource.");
    }
    std::lock_guard lock(mutex_);
    const auto it = tokens_.find(presented);
    if (it == tokens_.end() || it->second.refresh) {
        throw CloudError::oauth(401, "invalid_token", "Invalid access token.");
    }
    if (clock_.now() >= it->second.expiresAt) {
        throw CloudError::oauth(401, "invalid_token", "Access token expired.");
    }
    return Caller{it->second.tid, it->second.tid.empty()};
}

std::string GptomParty::terminalFor(const Caller& caller, const std::string& named) const {
    if (caller.master) {
        if (named.empty()) {
            throw CloudError::field(400, "tid",
                                    "A master account names the terminal (tid) on every call.");
        }
        if (!book_.hasDevice(named)) {
            throw CloudError::field(404, "tid", "No terminal " + named + ".");
        }
        return named;
    }
    if (!named.empty() && named != caller.tid) {
        throw CloudError::field(403, "tid",
                                "The token is for terminal " + caller.tid + ", not " + named + ".");
    }
    return caller.tid;
}

// ---- tasks -------------------------------------------------------------------------------------

std::string GptomParty::verifySignature(const std::string& input, const std::string& signature,
                                        const std::string& tid, std::int64_t amount) const {
    signing::Bytes der;
    try {
        der = signing::fromBase64(signature);
    } catch (const core::Error&) {
        return "aadeProviderSignature is not base64";
    }
    if (!providerKey_.verify(input, der)) {
        return "aadeProviderSignature does not verify over aadeProviderSignatureData \"" + input +
               "\" with the provider's public key";
    }
    try {
        const auto text = signing::InputText::parse(input, signing::InputLayout::Viva);
        if (text.tid() != tid) {
            return "the Input was signed for TID " + text.tid() + ", the task is for " + tid;
        }
        if (text.payable().cents() != amount) {
            return "the Input's payable " + text.payable().toString() + " is not the amount " +
                   core::Money::fromCents(amount).toString();
        }
    } catch (const core::InputError& e) {
        return std::string("the Input is not in the DEFAULT layout: ") + e.what();
    }
    return {};
}

SimResponse GptomParty::createTransaction(const SimRequest& request, const Caller& caller) {
    const Json body = readBody(request);
    gptom::TaskRequest task;
    task.tid = terminalFor(caller, textField(body, "tid"));
    task.reference = textField(body, "originReferenceNum", maxReferenceLength);
    task.print = boolField(body, "printByPaymentApp");
    const auto type = body.find("transactionType");
    const std::string typeText = type == body.end()
                                     ? ""
                                     : (type->is_string() ? upper(type->get<std::string>())
                                        : type->is_number_integer() ? type->dump()
                                                                    : "");
    if (typeText == "SALE" || typeText == "1") {
        task.type = gptom::TaskType::Sale;
        const auto amount = body.find("amount");
        if (amount == body.end() || !amount->is_number_integer() ||
            amount->get<std::int64_t>() <= 0) {
            throw CloudError::field(400, "amount",
                                    "amount is required: a positive integer in minor units.");
        }
        task.amount = amount->get<std::int64_t>();
        const std::string currency = textField(body, "currencyCode");
        if (!currency.empty() && currency != "EUR" && currency != "978") {
            throw CloudError::field(422, "currencyCode", "The terminal takes EUR only.");
        }
        const std::string providerId = textField(body, "aadeProviderId");
        const std::string input = textField(body, "aadeProviderSignatureData", 512);
        const std::string signature = textField(body, "aadeProviderSignature", 512);
        const bool anySignature = !providerId.empty() || !input.empty() || !signature.empty();
        if (anySignature && (providerId.empty() || input.empty() || signature.empty())) {
            throw CloudError::field(400, "aadeProviderSignature",
                                    "aadeProviderId, aadeProviderSignatureData and "
                                    "aadeProviderSignature go together.");
        }
        if (anySignature) {
            task.signedByProvider = true;
            task.signatureFailure = verifySignature(input, signature, task.tid, task.amount);
        }
    } else if (typeText == "STORNO" || typeText == "2") {
        task.type = gptom::TaskType::Storno;
        task.amsId = textField(body, "amsID");
        if (task.amsId.empty()) {
            task.amsId = textField(body, "amsId");
        }
        if (task.amsId.empty()) {
            throw CloudError::field(400, "amsID", "amsID is required: the transaction to cancel.");
        }
    } else {
        throw CloudError::field(400, "transactionType", "transactionType must be SALE or STORNO.");
    }
    return SimResponse::json(201, book_.create(std::move(task)));
}

SimResponse GptomParty::createCloseBatch(const SimRequest& request, const Caller& caller) {
    const Json body = request.body.find_first_not_of(" \t\r\n") == std::string::npos
                          ? Json::object()
                          : readBody(request);
    gptom::TaskRequest task;
    task.type = gptom::TaskType::CloseBatch;
    task.tid = terminalFor(caller, textField(body, "tid"));
    task.reference = textField(body, "originReferenceNum", maxReferenceLength);
    return SimResponse::json(201, book_.create(std::move(task)));
}

// ---- control -----------------------------------------------------------------------------------

SimResponse GptomParty::control(const SimRequest& request, const std::string& action) {
    const bool read = request.method == "GET" && action == "settings";
    if (!read && request.method != "POST") {
        throw CloudError::message(405, "/gptom/_control/" + action + " takes POST.");
    }
    const Json body = read || request.body.find_first_not_of(" \t\r\n") == std::string::npos
                          ? Json::object()
                          : readBody(request);
    if (action == "tap") {
        return SimResponse::json(200, book_.tap(textField(body, "taskId"), textField(body, "tid"),
                                                boolField(body, "cancel")));
    }
    if (action == "expire-tokens") {
        const bool refresh = boolField(body, "refresh");
        std::lock_guard lock(mutex_);
        const core::TimePoint now = clock_.now();
        std::int64_t expired = 0;
        for (auto& [token, record] : tokens_) {
            if (!record.refresh || refresh) {
                record.expiresAt = now;
                ++expired;
            }
        }
        return SimResponse::json(200, Json{{"expired", expired}});
    }
    if (action == "backdate") {
        const auto days = body.find("days");
        if (days == body.end() || !days->is_number_integer() || days->get<std::int64_t>() < 1 ||
            days->get<std::int64_t>() > 3650) {
            throw CloudError::field(400, "days", "days must be a whole number from 1 to 3650.");
        }
        return SimResponse::json(
            200, book_.backdate(textField(body, "amsID"), static_cast<int>(days->get<int>())));
    }
    if (action == "settings") {
        std::lock_guard lock(mutex_);
        if (!read) {
            const auto embed = body.find("embed_transaction");
            if (embed != body.end() && !embed->is_boolean()) {
                throw CloudError::field(400, "embed_transaction",
                                        "embed_transaction must be true or false.");
            }
            if (embed != body.end()) {
                embedTransaction_ = embed->get<bool>();
            }
        }
        return SimResponse::json(200, Json{{"embed_transaction", embedTransaction_}});
    }
    throw CloudError::message(404, "No control action " + action + ".");
}

void GptomParty::resetRecords() {
    book_.reset();
    {
        std::lock_guard lock(mutex_);
        tokens_.clear();
        embedTransaction_ = options_.embedTransaction;
    }
}

Json GptomParty::recordStats() const {
    return book_.stats();
}

} // namespace fiscpos::sim
