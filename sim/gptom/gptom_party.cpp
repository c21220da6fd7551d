#include "sim/gptom/gptom_party.hpp"

#include "core/errors.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_text.hpp"

#include <Poco/String.h>

#include <algorithm>

namespace fiscpos::sim {

namespace {

using core::Json;
using gptom::CloudError;

constexpr std::size_t maxReferenceLength = 20;

Json readBody(const SimRequest& request) {
    return readJsonObject(request.body, "request", false,
                          "Malformed JSON: ", "The request body must be a JSON object.",
                          [](const std::string& text) { return CloudError::message(400, text); });
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

// 40 hex digits.
std::string hexToken(const std::string& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (const char byte : bytes) {
        const auto value = static_cast<unsigned char>(byte);
        token.push_back(hex[value >> 4U]);
        token.push_back(hex[value & 0xFU]);
    }
    return token;
}

} // namespace

GptomParty::GptomParty(signing::PublicKey providerKey, GptomPartyOptions options,
                       const SimClock& clock)
    : SimNetworkParty("gptom", "Bearer realm=\"gptom\"", std::move(providerKey), std::move(options),
                      clock, &GptomPartyOptions::devices, &GptomPartyOptions::timing)
    , embedTransaction_(options_.embedTransaction) {
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
             book_.tasks(tid, request.queryParam("originReferenceNum"), embedTransaction_.get())) {
            list.push_back(std::move(view));
        }
        return SimResponse::json(200, list);
    }
    const std::string& taskId = path[2];
    if (path.size() == 3) {
        const auto view = book_.task(taskId, tid, embedTransaction_.get());
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
        Poco::icompare(authorization.substr(0, basic.size()), std::string(basic)) != 0 ||
        !core::secretEquals(authorization.substr(basic.size()), options_.clientCredential)) {
        ++loginFailures_;
        throw CloudError::oauth(401, "invalid_client", "Bad client credentials.");
    }
    const SimForm form = parseForm(request.body);
    if (!form.wellFormed) {
        throw CloudError::oauth(400, "invalid_request", "The form body is not URL-encoded.");
    }
    const std::string grant = form.last("grant_type");
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

SimResponse GptomParty::passwordGrant(const SimForm& form) {
    const std::string username = form.last("username");
    const std::string password = form.last("password");
    const std::string tid = form.last("tid");
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

SimResponse GptomParty::refreshGrant(const SimForm& form, const std::string& path) {
    const auto found =
        tokens_.take(form.last("refresh_token"), SimTokenStore::Kind::Refresh, clock_.now());
    if (found.check != SimTokenStore::Check::Valid) {
        ++refreshFailures_;
        throw CloudError::oauth(400, "invalid_grant", "Invalid refresh token (at " + path + ").");
    }
    ++refreshes_;
    return issue(found.holder);
}

SimResponse GptomParty::issue(const std::string& tid) {
    const core::TimePoint now = clock_.now();
    const auto lifetime = tid.empty() ? options_.masterAccessLifetime : options_.accessLifetime;
    const std::string access = hexToken(tokens_.randomBytes(20));
    const std::string refresh = hexToken(tokens_.randomBytes(20));
    tokens_.add(access, {SimTokenStore::Kind::Access, tid, now + lifetime});
    tokens_.add(refresh, {SimTokenStore::Kind::Refresh, tid, now + options_.refreshLifetime});
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
    const auto found = tokens_.check(presented, SimTokenStore::Kind::Access, clock_.now());
    if (found.check == SimTokenStore::Check::Unknown) {
        throw CloudError::oauth(401, "invalid_token", "Invalid access token.");
    }
    if (found.check == SimTokenStore::Check::Expired) {
        throw CloudError::oauth(401, "invalid_token", "Access token expired.");
    }
    return Caller{found.holder, found.holder.empty()};
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
                                     : (type->is_string() ? Poco::toUpper(type->get<std::string>())
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
        const auto expired = tokens_.expireAll(clock_.now(), boolField(body, "refresh"));
        return SimResponse::json(200, Json{{"expired", expired.access + expired.refresh}});
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
        if (!read) {
            const auto embed = body.find("embed_transaction");
            if (embed != body.end() && !embed->is_boolean()) {
                throw CloudError::field(400, "embed_transaction",
                                        "embed_transaction must be true or false.");
            }
            if (embed != body.end()) {
                embedTransaction_.set(embed->get<bool>());
            }
        }
        return SimResponse::json(200, Json{{"embed_transaction", embedTransaction_.get()}});
    }
    throw CloudError::message(404, "No control action " + action + ".");
}

void GptomParty::resetSettings() {
    embedTransaction_.reset();
}

} // namespace fiscpos::sim
