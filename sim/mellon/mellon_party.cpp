#include "sim/mellon/mellon_party.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_text.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <initializer_list>
#include <limits>

namespace fiscpos::sim {

namespace {

using core::allDigits;
using core::Json;
using mellon::ApiError;

constexpr std::size_t maxPageSize = 100;
constexpr std::int64_t maxTimeoutSeconds = 180;
constexpr int eur = 978;

bool allHex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

std::string typeName(const Json& value) {
    return core::isDecimal(value) ? "number" : value.type_name();
}

// The body of a request as JSON; an empty body reads as {} when `emptyIsObject`.
Json readBody(const SimRequest& request, bool emptyIsObject = false) {
    return readJsonObject(
        request.body, "request", emptyIsObject,
        [](const std::string& reason) {
            return ApiError::detail(400, "JSON parse error - " + reason);
        },
        [](const Json& value) {
            return ApiError(400,
                            Json{{"non_field_errors",
                                  Json::array({"Invalid data. Expected a dictionary, but got " +
                                               typeName(value) + "."})}});
        });
}

// Reads the fields of a JSON object the way the back end's serializers do, collecting every
// field's error in their shape ({"Field": ["message"]}).
class Fields {
public:
    explicit Fields(const Json& object)
        : object_(object) {}

    bool ok() const { return errors_.empty(); }
    const Json& errors() const { return errors_; }
    void fail(const std::string& key, const std::string& message) {
        if (!errors_.contains(key)) {
            errors_[key] = Json::array({message});
        }
    }
    void failObject(const std::string& key, const Json& errors) { errors_[key] = errors; }
    // Throws the collected errors, if any.
    void check() const {
        if (!ok()) {
            throw ApiError(400, errors_);
        }
    }

    // The value of a key that is present and not null; records "required" / "not null" errors.
    const Json* value(const std::string& key, bool required) {
        const auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) {
            if (required) {
                fail(key, it == object_.end() ? "This field is required."
                                              : "This field may not be null.");
            }
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::int64_t>
    integer(const std::string& key, bool required,
            std::int64_t min = std::numeric_limits<std::int64_t>::min(),
            std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
        const Json* v = value(key, required);
        if (!v) {
            return std::nullopt;
        }
        if (!v->is_number_integer() ||
            (v->is_number_unsigned() &&
             v->get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
            fail(key, "A valid integer is required.");
            return std::nullopt;
        }
        const auto n = v->get<std::int64_t>();
        if (n < min) {
            fail(key, "Ensure this value is greater than or equal to " + std::to_string(min) + ".");
            return std::nullopt;
        }
        if (n > max) {
            fail(key, "Ensure this value is less than or equal to " + std::to_string(max) + ".");
            return std::nullopt;
        }
        return n;
    }

    std::optional<std::string> text(const std::string& key, bool required,
                                    std::size_t maxLength = 255) {
        const Json* v = ofJsonType(value(key, required), &Json::is_string,
                                   [&] { fail(key, "Not a valid string."); });
        if (!v) {
            return std::nullopt;
        }
        std::string s = v->get<std::string>();
        if (s.empty()) {
            if (required) {
                fail(key, "This field may not be blank.");
            }
            return std::nullopt;
        }
        if (s.size() > maxLength) {
            fail(key, "Ensure this field has no more than " + std::to_string(maxLength) +
                          " characters.");
            return std::nullopt;
        }
        return s;
    }

    // A string, or a non-negative integer read as its digits.
    std::optional<std::string> scalarText(const std::string& key, bool required) {
        const Json* v = value(key, required);
        if (v && v->is_number_integer()) {
            if (v->is_number_unsigned()) {
                return std::to_string(v->get<std::uint64_t>());
            }
            fail(key, "Must be a string or a positive number.");
            return std::nullopt;
        }
        return text(key, required);
    }

    // The value, when present and a boolean.
    std::optional<bool> boolean(const std::string& key) {
        const Json* v = ofJsonType(value(key, false), &Json::is_boolean,
                                   [&] { fail(key, "Must be a valid boolean."); });
        return v ? std::optional(v->get<bool>()) : std::nullopt;
    }

private:
    const Json& object_;
    Json errors_ = Json::object();
};

// The ProviderData fields a terminal needs, checked for shape (not yet for the signature).
void checkProviderData(Fields& body) {
    const auto it = body.value("ProviderData", true);
    if (!it) {
        return;
    }
    if (!it->is_object()) {
        body.failObject(
            "ProviderData",
            Json{{"non_field_errors", Json::array({"Invalid data. Expected a dictionary, but got " +
                                                   typeName(*it) + "."})}});
        return;
    }
    Fields data(*it);
    if (const auto uid = data.text("Uid", true); uid && (uid->size() != 40 || !allHex(*uid))) {
        data.fail("Uid", "Must be the 40 hexadecimal characters of the invoice UID.");
    }
    if (const Json* mark = data.value("Mark", false)) {
        const bool digits = mark->is_string() && allDigits(mark->get<std::string>());
        if (!digits && !(mark->is_number_integer() && mark->get<std::int64_t>() > 0)) {
            data.fail("Mark", "A valid integer is required.");
        }
    }
    if (const auto timestamp = data.text("SignatureTimestamp", true)) {
        try {
            core::parseAthensTimestamp(*timestamp, "SignatureTimestamp");
        } catch (const core::InputError&) {
            data.fail("SignatureTimestamp", "Expected YYYYMMDDhhmmss, Greek local time.");
        }
    }
    data.integer("NetAmount", true, 0);
    data.integer("VatAmount", true, 0);
    data.integer("TotalAmount", true, 0);
    data.scalarText("ProviderId", true);
    data.text("Signature", true, 512);
    if (!data.ok()) {
        body.failObject("ProviderData", data.errors());
    }
}

std::string scalarString(const Json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<std::int64_t>());
    }
    return {};
}

// A Timestamp_min / Timestamp_max query value (UTC "2024-07-01T15:19:48Z" or with an offset).
std::optional<core::TimePoint> timeParam(const SimRequest& request, const std::string& name) {
    auto text = request.queryParam(name);
    if (!text) {
        return std::nullopt;
    }
    // An unencoded '+' of "+03:00" arrives as a space.
    std::replace(text->begin(), text->end(), ' ', '+');
    try {
        return core::toTimePoint(core::parseIso8601(*text, name));
    } catch (const core::InputError&) {
        throw ApiError::field(name, "Enter a valid date/time (e.g. 2024-07-01T15:19:48Z).");
    }
}

std::size_t sizeParam(const SimRequest& request, const std::string& name, std::size_t fallback,
                      std::size_t max) {
    const auto text = request.queryParam(name);
    if (!text || !allDigits(*text) || text->size() > 9) {
        return fallback;
    }
    return std::min<std::size_t>(std::stoul(*text), max);
}

// A limit/offset page of `items` with absolute `next` and `previous` links.
SimResponse paginate(const SimRequest& request, const std::vector<Json>& items,
                     std::size_t defaultLimit) {
    std::size_t limit = sizeParam(request, "limit", defaultLimit, maxPageSize);
    if (limit == 0) {
        limit = defaultLimit;
    }
    const std::size_t offset = sizeParam(request, "offset", 0, std::numeric_limits<int>::max());

    const std::string host = request.host.empty() ? "localhost" : request.host;
    const auto link = [&](std::optional<std::size_t> at) {
        std::string url = "http://" + host + request.path + "?";
        for (const auto& [key, value] : request.query) {
            if (key == "limit" || key == "offset") {
                continue;
            }
            std::string encodedKey, encodedValue;
            Poco::URI::encode(key, "&=+#?%", encodedKey);
            Poco::URI::encode(value, "&=+#?%", encodedValue);
            url += encodedKey + "=" + encodedValue + "&";
        }
        url += "limit=" + std::to_string(limit);
        if (at) {
            url += "&offset=" + std::to_string(*at);
        }
        return Json(url);
    };

    Json results = Json::array();
    for (std::size_t i = offset; i < items.size() && i < offset + limit; ++i) {
        results.push_back(items[i]);
    }
    Json previous = nullptr;
    if (offset > 0) {
        previous = offset <= limit ? link(std::nullopt) : link(offset - limit);
    }
    return SimResponse::json(
        200, Json{{"count", items.size()},
                  {"next", offset + limit < items.size() ? link(offset + limit) : Json(nullptr)},
                  {"previous", previous},
                  {"results", results}});
}

std::int64_t idParam(const std::string& segment) {
    if (!allDigits(segment) || segment.size() > 18) {
        throw ApiError::detail(404, "Not found.");
    }
    return std::stoll(segment);
}

} // namespace

MellonParty::MellonParty(signing::PublicKey providerKey, MellonPartyOptions options,
                         const SimClock& clock)
    : SimNetworkParty("mellon", "Bearer realm=\"api\"", std::move(providerKey), std::move(options),
                      clock, &MellonPartyOptions::timing)
    , settings_(Settings{options_.presentation, options_.revokedKeyStatus}) {
    const SettingsCheck require("mellon");
    require(!options_.username.empty() && !options_.password.empty(), "username",
            "the simulated network needs a username and a password");
    require(!options_.apiKey.empty(), "api_key", "must not be empty");
    require(!options_.terminals.empty(), "terminals", "at least one terminal is needed");
    require(options_.pageSize > 0 && options_.terminalPageSize > 0, "page_size",
            "must be at least 1");
    require(options_.revokedKeyStatus == 401 || options_.revokedKeyStatus == 403,
            "revoked_key_status", "must be 401 or 403");
    require(options_.createdStatus == 200 || options_.createdStatus == 201, "created_status",
            "must be 200 or 201");
    require(!options_.apiVersions.empty(), "api_version", "at least one version is needed");
    require(options_.pathPrefix.empty() ||
                (options_.pathPrefix.front() == '/' && options_.pathPrefix.back() != '/'),
            "path_prefix", "must be empty or look like /api");
    require(options_.presentation.idKey == "Id" || options_.presentation.idKey == "id",
            "intent_id_key", "must be Id or id");
    const mellon::Timing& t = options_.timing;
    require(t.sentAfter.count() >= 0 && t.completeAfter.count() >= 0 &&
                t.lateApproval.count() >= 0 && t.deviceTimeout.count() >= 0,
            "timing", "delays must not be negative");
    std::set<std::int64_t> ids;
    for (const auto& terminal : options_.terminals) {
        require(ids.insert(terminal.id).second && !terminal.tid.empty(), "terminals",
                "every terminal needs its own id and a TID");
    }
    validKeys_.insert(options_.apiKey);
}

SimResponse MellonParty::route(const SimRequest& request) {
    const std::string& sub = request.subpath;
    constexpr std::string_view controlPrefix = "/_control/";
    if (sub.rfind(controlPrefix, 0) == 0) {
        std::string action = sub.substr(controlPrefix.size());
        if (!action.empty() && action.back() == '/') {
            action.pop_back();
        }
        return control(request, action);
    }
    const std::string& pathPrefix = options_.pathPrefix;
    if (sub.rfind(pathPrefix + "/", 0) != 0) {
        throw ApiError::detail(404, "Not found.");
    }
    const std::string rest = sub.substr(pathPrefix.size());
    if (rest.back() != '/') {
        throw ApiError::detail(404, "Not found. WebECR paths end with '/'.");
    }
    SimRequest below = request;
    below.subpath = rest;
    std::vector<std::string> path = below.segments();
    const auto& versions = options_.apiVersions;
    const bool unversioned = std::find(versions.begin(), versions.end(), "") != versions.end();

    if (path == std::vector<std::string>{"token"} ||
        path == std::vector<std::string>{"token", "refresh"}) {
        if (request.method != "POST") {
            throw ApiError::detail(405, "Method \"" + request.method + "\" not allowed.");
        }
        return path.size() == 1 ? login(request) : refresh(request);
    }
    if (!path.empty() && std::find(versions.begin(), versions.end(), path[0]) != versions.end()) {
        path.erase(path.begin());
        return api(request, path);
    }
    if (unversioned) {
        return api(request, path);
    }
    throw ApiError::detail(404, "Not found.");
}

SimResponse MellonParty::api(const SimRequest& request, const std::vector<std::string>& path) {
    const auto is = [&path](std::initializer_list<const char*> pattern) {
        if (path.size() != pattern.size()) {
            return false;
        }
        std::size_t i = 0;
        for (const char* part : pattern) {
            if (std::string_view(part) != "*" && path[i] != part) {
                return false;
            }
            ++i;
        }
        return true;
    };
    const auto allow = [&request](const char* method) {
        if (request.method != method) {
            throw ApiError::detail(405, "Method \"" + request.method + "\" not allowed.");
        }
    };
    const auto business = [&](const char* method) {
        allow(method);
        authenticate(request);
        checkApiKey(request);
    };

    if (is({"authorization", "redeem"})) {
        allow("POST");
        authenticate(request);
        return redeem(request);
    }
    if (is({"terminal"})) {
        business("GET");
        return terminals(request);
    }
    if (is({"terminal", "*"})) {
        business("GET");
        return SimResponse::json(200, terminal(path[1]).toJson());
    }
    if (is({"terminal", "*", "txninit"}) || is({"terminal", "*", "txnvoid"})) {
        business("POST");
        return createIntent(request, terminal(path[1]), path[2] == "txnvoid");
    }
    if (is({"transactionintent"})) {
        business("GET");
        return listIntents(request);
    }
    if (is({"transactionintent", "*"})) {
        business("GET");
        const auto intent = book_.intent(idParam(path[1]), settings_.get().presentation);
        if (!intent) {
            throw ApiError::detail(404, "Not found.");
        }
        return SimResponse::json(200, *intent);
    }
    if (is({"transaction"})) {
        business("GET");
        return listTransactions(request);
    }
    if (is({"transaction", "*"})) {
        business("GET");
        const auto transaction = book_.transaction(idParam(path[1]));
        if (!transaction) {
            throw ApiError::detail(404, "Not found.");
        }
        return SimResponse::json(200, *transaction);
    }
    throw ApiError::detail(404, "Not found.");
}

std::string MellonParty::issueToken(SimTokenStore::Kind kind) {
    const bool isRefresh = kind == SimTokenStore::Kind::Refresh;
    const core::TimePoint now = clock_.now();
    const core::TimePoint expires =
        now + (isRefresh ? options_.refreshLifetime : options_.accessLifetime);
    const auto seconds = [](core::TimePoint t) {
        return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    };
    std::string jti = core::newUuid();
    jti.erase(std::remove(jti.begin(), jti.end(), '-'), jti.end());
    const Json claims{{"token_type", isRefresh ? "refresh" : "access"},
                      {"exp", seconds(expires)},
                      {"iat", seconds(now)},
                      {"jti", jti},
                      {"user_id", 1}};
    const std::string token =
        jwtShaped(Json{{"alg", "HS256"}, {"typ", "JWT"}}, claims, tokens_.randomBytes(32));
    tokens_.add(token, {kind, "", expires});
    return token;
}

SimResponse MellonParty::login(const SimRequest& request) {
    const Json body = readBody(request);
    Fields fields(body);
    const auto username = fields.text("username", true);
    const auto password = fields.text("password", true);
    fields.check();
    const bool userOk = core::secretEquals(*username, options_.username);
    const bool passwordOk = core::secretEquals(*password, options_.password);
    if (!userOk || !passwordOk) {
        ++loginFailures_;
        throw ApiError::detail(401, "No active account found with the given credentials");
    }
    ++logins_;
    const std::string access = issueToken(SimTokenStore::Kind::Access);
    return SimResponse::json(
        200, Json{{"refresh", issueToken(SimTokenStore::Kind::Refresh)}, {"access", access}});
}

SimResponse MellonParty::refresh(const SimRequest& request) {
    const Json body = readBody(request);
    Fields fields(body);
    const auto token = fields.text("refresh", true, 4096);
    fields.check();
    if (tokens_.check(*token, SimTokenStore::Kind::Refresh, clock_.now()).check !=
        SimTokenStore::Check::Valid) {
        ++refreshFailures_;
        throw ApiError(
            401, Json{{"detail", "Token is invalid or expired"}, {"code", "token_not_valid"}});
    }
    ++refreshes_;
    return SimResponse::json(200, Json{{"access", issueToken(SimTokenStore::Kind::Access)}});
}

void MellonParty::authenticate(const SimRequest& request) {
    const std::string token = request.bearerToken();
    if (token.empty()) {
        throw ApiError::detail(401, "Authentication credentials were not provided.");
    }
    if (tokens_.check(token, SimTokenStore::Kind::Access, clock_.now()).check !=
        SimTokenStore::Check::Valid) {
        throw ApiError(401, Json{{"detail", "Given token not valid for any token type"},
                                 {"code", "token_not_valid"},
                                 {"messages", Json::array({Json{{"token_class", "AccessToken"},
                                                                {"token_type", "access"},
                                                                {"message", "Token is invalid or "
                                                                            "expired"}}})}});
    }
}

void MellonParty::checkApiKey(const SimRequest& request) {
    const std::string key = request.header("X-Api-Key");
    if (key.empty()) {
        throw ApiError::detail(403, "The X-Api-Key header is required.");
    }
    std::lock_guard lock(mutex_);
    if (validKeys_.count(key) == 0) {
        throw ApiError::detail(settings_.get().revokedKeyStatus,
                               "Invalid or revoked API key: pair the terminal again.");
    }
}

SimResponse MellonParty::redeem(const SimRequest& request) {
    const Json body = readBody(request);
    Fields fields(body);
    const auto type = fields.text("Type", true);
    if (type && *type != "webecr") {
        fields.fail("Type", "\"" + *type + "\" is not a valid choice.");
    }
    const auto code = fields.scalarText("Code", true);
    fields.check();
    const bool accepted = options_.pairCode.empty()
                              ? allDigits(*code) && code->size() >= 6 && code->size() <= 10
                              : core::secretEquals(*code, options_.pairCode);
    if (!accepted) {
        throw ApiError::field("Code", "Invalid or expired code.");
    }
    std::lock_guard lock(mutex_);
    std::string key = options_.apiKey;
    if (validKeys_.count(key) == 0) {
        // The configured key was revoked: pairing again issues a new one.
        do {
            key = base64Url(tokens_.randomBytes(16));
        } while (key == options_.apiKey);
        validKeys_.insert(key);
    }
    ++redeems_;
    return SimResponse::json(200, Json{{"Id", key}, {"Type", "webecr"}});
}

const mellon::Terminal& MellonParty::terminal(const std::string& id) const {
    const std::int64_t wanted = idParam(id);
    for (const auto& terminal : options_.terminals) {
        if (terminal.id == wanted) {
            return terminal;
        }
    }
    throw ApiError::detail(404, "Not found.");
}

SimResponse MellonParty::terminals(const SimRequest& request) {
    const auto tid = request.queryParam("TerminalID");
    const auto merchant = request.queryParam("Merchant");
    const auto acquirer = request.queryParam("Acquirer");
    std::vector<Json> items;
    for (const auto& terminal : options_.terminals) {
        if ((tid && terminal.tid != *tid) || (merchant && terminal.merchant != *merchant) ||
            (acquirer && std::to_string(terminal.acquirer) != *acquirer)) {
            continue;
        }
        items.push_back(terminal.toJson());
    }
    return paginate(request, items, options_.terminalPageSize);
}

std::string MellonParty::verifyProviderData(const Json& providerData, const Json& body,
                                            const mellon::Terminal& terminal) const {
    const auto part = [&providerData](const char* key) {
        const auto it = providerData.find(key);
        return it == providerData.end() || it->is_null() ? std::string() : scalarString(*it);
    };
    const std::string input = part("Uid") + ";" + part("Mark") + ";" + part("SignatureTimestamp") +
                              ";" + part("NetAmount") + ";" + part("VatAmount") + ";" +
                              part("TotalAmount") + ";" + scalarString(body.at("Amount")) + ";" +
                              terminal.tid;
    signing::Bytes der;
    try {
        der = signing::fromBase64(part("Signature"));
        signing::checkDerSignature(der);
    } catch (const core::CryptoError& e) {
        return std::string("ProviderData.Signature is not a base64 DER ECDSA signature: ") +
               e.what();
    }
    if (providerKey_.verify(input, der)) {
        return {};
    }
    std::string reason = "ProviderData.Signature does not verify over the Input \"" + input +
                         "\" (Amount as Payable, TID of terminal " + std::to_string(terminal.id) +
                         ")";
    try {
        signing::InputText::parse(input, signing::InputLayout::Mellon);
    } catch (const core::InputError& e) {
        reason += std::string("; ") + e.what();
    }
    if (providerData.at("NetAmount").get<std::int64_t>() +
            providerData.at("VatAmount").get<std::int64_t>() !=
        providerData.at("TotalAmount").get<std::int64_t>()) {
        reason += "; NetAmount + VatAmount is not TotalAmount (an Input in another layout?)";
    }
    return reason;
}

SimResponse MellonParty::createIntent(const SimRequest& request, const mellon::Terminal& terminal,
                                      bool isVoid) {
    const Json body = readBody(request);
    Fields fields(body);
    mellon::IntentRequest intent;
    intent.terminal = terminal;
    const auto timeout = fields.integer("Timeout", false, 0, maxTimeoutSeconds);
    intent.customerEmail = fields.text("CustomerEmail", false, 254);
    intent.customerPhone = fields.text("CustomerPhone", false, 32);

    if (isVoid) {
        intent.kind = mellon::IntentKind::Void;
        // A void has no CustomerReference of its own in the contract; one given is kept.
        intent.customerReference = fields.text("CustomerReference", false, 50);
        intent.originalIdentifier = fields.scalarText("OriginalIdentifier", true).value_or("");
        if (const auto type = fields.integer("OriginalIdentifierType", true)) {
            if (*type != 1 && *type != 2) {
                fields.fail("OriginalIdentifierType",
                            "\"" + std::to_string(*type) +
                                "\" is not a valid choice (1 intent Id, 2 TransactionId).");
            }
            intent.originalIdentifierType = static_cast<int>(*type);
        }
    } else {
        if (const auto type = fields.integer("TxnType", true)) {
            if (*type < 0 || *type > 3) {
                fields.fail("TxnType", "Transaction type " + std::to_string(*type) +
                                           " is not simulated; use 0 (sale), 1 (refund), 2 "
                                           "(pre-authorisation) or 3 (its completion).");
            }
            if (*type == 3 && !fields.scalarText("InitialTransaction", false)) {
                fields.fail("InitialTransaction", "A pre-authorisation completion names it.");
            }
            intent.txnType = static_cast<int>(*type);
            intent.kind = *type == 1 ? mellon::IntentKind::Refund : mellon::IntentKind::Sale;
        }
        const auto cents = [&fields](const char* key, bool required, std::int64_t min) {
            return core::Money::fromCents(fields.integer(key, required, min).value_or(0));
        };
        intent.amount = cents("Amount", true, 1);
        intent.tip = cents("TipAmount", false, 0);
        intent.cashback = cents("CashbackAmount", false, 0);
        if (const auto currency = fields.integer("CurrencyCode", true);
            currency && *currency != eur) {
            fields.fail("CurrencyCode", "Only 978 (EUR) is accepted.");
        }
        intent.instalments =
            static_cast<int>(fields.integer("Instalments", false, 0, 99).value_or(0));
        intent.paymentType =
            static_cast<int>(fields.integer("PaymentType", false, 0, 1).value_or(0));
        const auto preloadMinutes = fields.integer("PreloadExpiration", false, 0);
        fields.boolean("IsTaxFree");
        if (fields.boolean("PreloadTransaction").value_or(false)) {
            if (!preloadMinutes || *preloadMinutes < 1) {
                fields.fail("PreloadExpiration", "A preloaded transaction needs its expiry in "
                                                 "minutes (1 or more).");
            } else if (intent.txnType != 0) {
                fields.fail("PreloadTransaction", "Only a sale (TxnType 0) can be preloaded.");
            } else {
                intent.preloadMinutes = static_cast<int>(*preloadMinutes);
            }
        }
        fields.boolean("OnBehalfCollection");
        intent.customerReference = fields.text("CustomerReference", true, 50);
        if (intent.kind == mellon::IntentKind::Refund) {
            intent.initialTransaction = fields.scalarText("InitialTransaction", false);
        }
        checkProviderData(fields);
    }
    fields.check();
    if (!isVoid) {
        intent.signatureFailure = verifyProviderData(body.at("ProviderData"), body, terminal);
    }

    const core::TimePoint start = clock_.now();
    const std::int64_t id = book_.create(std::move(intent));
    if (timeout && *timeout > 0) {
        // Synchronous mode: hold the answer until the intent completes or Timeout passes.
        const core::TimePoint deadline = start + std::chrono::seconds(*timeout);
        const core::TimePoint until = std::min(deadline, book_.completesAt(id).value_or(deadline));
        for (core::TimePoint now = clock_.now(); now < until; now = clock_.now()) {
            if (!clock_.sleepFor(std::chrono::ceil<std::chrono::milliseconds>(until - now))) {
                break;
            }
        }
    }
    return SimResponse::json(options_.createdStatus,
                             *book_.intent(id, settings_.get().presentation));
}

SimResponse MellonParty::listIntents(const SimRequest& request) {
    mellon::IntentFilter filter;
    filter.customerReference = request.queryParam("CustomerReference");
    filter.transactionId = request.queryParam("TransactionId");
    filter.tid = request.queryParam("TID");
    filter.from = timeParam(request, "Timestamp_min");
    filter.to = timeParam(request, "Timestamp_max");
    return paginate(request, book_.intents(filter, settings_.get().presentation),
                    options_.pageSize);
}

SimResponse MellonParty::listTransactions(const SimRequest& request) {
    mellon::TransactionFilter filter;
    filter.tid = request.queryParam("TID");
    filter.customerReference = request.queryParam("CustomerReference");
    filter.from = timeParam(request, "Timestamp_min");
    filter.to = timeParam(request, "Timestamp_max");
    return paginate(request, book_.transactions(filter), options_.pageSize);
}

SimResponse MellonParty::control(const SimRequest& request, const std::string& action) {
    const auto allow = [&request, &action](const char* method) {
        if (request.method != method) {
            throw ApiError::detail(405, "/_control/" + action + " takes " + method);
        }
    };
    if (action == "expire-tokens") {
        allow("POST");
        const Json body = readBody(request, true);
        const auto flag = body.find("refresh");
        const bool alsoRefresh = flag != body.end() && flag->is_boolean() && flag->get<bool>();
        const auto expired = tokens_.expireAll(clock_.now() - std::chrono::seconds(1), alsoRefresh);
        return SimResponse::json(
            200, Json{{"expired_access", expired.access}, {"expired_refresh", expired.refresh}});
    }
    if (action == "revoke-key") {
        allow("POST");
        const Json body = readBody(request, true);
        std::lock_guard lock(mutex_);
        Json revoked = Json::array();
        if (body.contains("key")) {
            const std::string key = scalarString(body["key"]);
            if (validKeys_.erase(key) > 0) {
                revoked.push_back(key);
            }
        } else {
            for (const auto& key : validKeys_) {
                revoked.push_back(key);
            }
            validKeys_.clear();
        }
        keysRevoked_ += static_cast<std::int64_t>(revoked.size());
        return SimResponse::json(200, Json{{"revoked", revoked}});
    }
    if (action == "settings") {
        if (request.method != "POST") {
            allow("GET");
        }
        return settings(request);
    }
    if (action == "customer-pays") {
        allow("POST");
        const Json body = readBody(request);
        Fields fields(body);
        const auto reference = fields.text("CustomerReference", true, 50);
        fields.check();
        return SimResponse::json(
            200, book_.customerPays(reference.value_or(""), settings_.get().presentation));
    }
    throw ApiError::detail(404, "No Mellon control endpoint \"" + action +
                                    "\" (expire-tokens, revoke-key, settings, customer-pays).");
}

SimResponse MellonParty::settings(const SimRequest& request) {
    if (request.method == "POST") {
        const Json body = readBody(request, true);
        settings_.update([&body](Settings& current) {
            Settings next = current;
            if (const auto it = body.find("transaction_as_object"); it != body.end()) {
                if (!it->is_boolean()) {
                    throw ApiError::field("transaction_as_object", "Must be a valid boolean.");
                }
                next.presentation.transactionAsObject = it->get<bool>();
            }
            if (const auto it = body.find("intent_id_key"); it != body.end()) {
                if (*it != "Id" && *it != "id") {
                    throw ApiError::field("intent_id_key", "Must be \"Id\" or \"id\".");
                }
                next.presentation.idKey = it->get<std::string>();
            }
            if (const auto it = body.find("revoked_key_status"); it != body.end()) {
                if (*it != 401 && *it != 403) {
                    throw ApiError::field("revoked_key_status", "Must be 401 or 403.");
                }
                next.revokedKeyStatus = it->get<int>();
            }
            current = next;
        });
    }
    const Settings current = settings_.get();
    return SimResponse::json(
        200, Json{{"transaction_as_object", current.presentation.transactionAsObject},
                  {"intent_id_key", current.presentation.idKey},
                  {"revoked_key_status", current.revokedKeyStatus}});
}

void MellonParty::resetSettings() {
    settings_.reset();
    std::lock_guard lock(mutex_);
    validKeys_ = {options_.apiKey};
}
} // namespace fiscpos::sim
