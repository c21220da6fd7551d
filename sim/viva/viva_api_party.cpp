#include "sim/viva/viva_api_party.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"
#include "sim/viva/viva_http.hpp"

#include <algorithm>
#include <limits>

namespace fiscpos::sim {

namespace {

using core::Json;
using viva::HttpError;
using viva::SessionKind;

constexpr std::string_view ecrRoot = "/ecr/v1/";
constexpr std::int64_t maxCents = 99999999999; // 13 integer digits of euros at most
constexpr const char* paymentMethods[] = {"CardPresent", "MOTO", "QrDefault", "AliPay",    "Paypal",
                                          "Klarna",      "IRIS", "BLIK",      "QrPayconic"};
constexpr const char* aadeKeys[] = {"aadeProviderId", "aadeProviderSignatureData",
                                    "aadeProviderSignature"};

std::string typeName(const Json& value) {
    return core::isDecimal(value) ? "number with decimals" : value.type_name();
}

// Reads the fields of a transactions:* body; the first bad field ends the request with 400
// naming it.
class Body {
public:
    explicit Body(const Json& object)
        : object_(object) {}

    const Json* get(const std::string& key, bool required) const {
        const auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) {
            if (required) {
                fail(key, "is required");
            }
            return nullptr;
        }
        return &*it;
    }
    bool has(const std::string& key) const { return get(key, false) != nullptr; }

    std::optional<std::string> text(const std::string& key, bool required,
                                    std::size_t maxLength = 255) const {
        const Json* value = get(key, required);
        if (!value) {
            return std::nullopt;
        }
        if (!value->is_string()) {
            fail(key, "must be a string, not " + typeName(*value));
        }
        std::string text = value->get<std::string>();
        if (required && text.find_first_not_of(' ') == std::string::npos) {
            fail(key, "must not be empty");
        }
        if (text.size() > maxLength) {
            fail(key, "must be at most " + std::to_string(maxLength) + " characters");
        }
        return text;
    }

    // A string of digits, or a non-negative integer read as its digits.
    std::optional<std::string> digits(const std::string& key, bool required) const {
        const Json* value = get(key, required);
        if (!value) {
            return std::nullopt;
        }
        if (value->is_number_unsigned()) {
            return std::to_string(value->get<std::uint64_t>());
        }
        if (!value->is_string() || !viva::allDigits(value->get<std::string>()) ||
            value->get<std::string>().size() > 18) {
            fail(key, "must be digits (a string or a whole number)");
        }
        return value->get<std::string>();
    }

    std::optional<std::int64_t> integer(const std::string& key, bool required, std::int64_t min,
                                        std::int64_t max) const {
        const Json* value = get(key, required);
        if (!value) {
            return std::nullopt;
        }
        if (!value->is_number_integer() ||
            (value->is_number_unsigned() &&
             value->get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
            fail(key, "must be a whole number, not " + typeName(*value));
        }
        const auto n = value->get<std::int64_t>();
        if (n < min || n > max) {
            fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
        }
        return n;
    }

    std::optional<bool> boolean(const std::string& key) const {
        const Json* value = get(key, false);
        if (value && !value->is_boolean()) {
            fail(key, "must be true or false");
        }
        return value ? std::optional(value->get<bool>()) : std::nullopt;
    }

    [[noreturn]] static void fail(const std::string& key, const std::string& reason) {
        throw HttpError::problem(400, key + ": " + reason);
    }

private:
    const Json& object_;
};

bool isDate(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    const std::string digits = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
    if (!viva::allDigits(digits)) {
        return false;
    }
    const int month = std::stoi(text.substr(5, 2));
    const int day = std::stoi(text.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

struct Outcome {
    const char* name;
    bool success;
    int eventId;
};
constexpr Outcome outcomes[] = {{"approved", true, viva::events::ok},
                                {"declined", false, viva::events::declinedByServer},
                                {"cancelled", false, viva::events::canceledByUser},
                                {"expired", false, viva::events::expired},
                                {"aborted", false, viva::events::aborted}};

} // namespace

VivaApiParty::VivaApiParty(std::shared_ptr<viva::Merchant> merchant, signing::PublicKey providerKey,
                           VivaApiOptions options)
    : merchant_(std::move(merchant))
    , providerKey_(std::move(providerKey))
    , options_(std::move(options))
    , requireAade_(options_.requireAade)
    , emptyUnauthorized_(options_.emptyUnauthorized) {
    for (const std::string& id : options_.providerIds) {
        if (!viva::allDigits(id)) {
            throw core::ConfigError("viva.provider_ids", "\"" + id + "\" is not digits");
        }
    }
}

SimResponse VivaApiParty::handle(const SimRequest& request) {
    SimResponse response;
    try {
        response = route(request);
    } catch (const HttpError& e) {
        if (e.status() == 400) {
            ++invalid_;
        }
        if (e.status() == 401) {
            ++unauthenticated_;
        }
        response = e.response();
    }
    response.headers.emplace_back("x-viva-correlationid", core::newUuid());
    return response;
}

SimResponse VivaApiParty::route(const SimRequest& request) {
    const std::string& sub = request.subpath;
    constexpr std::string_view controlPrefix = "/_control/";
    if (sub.rfind(controlPrefix, 0) == 0) {
        return control(request, sub.substr(controlPrefix.size()));
    }
    if (sub.rfind(ecrRoot, 0) != 0) {
        throw HttpError::problem(404, "No Cloud Terminal API endpoint at " + sub);
    }
    authenticate(request);
    const std::string path = sub.substr(ecrRoot.size());
    const auto post = [&request, &path]() {
        if (request.method != "POST") {
            throw HttpError::problem(405, "/ecr/v1/" + path + " takes POST");
        }
    };
    if (path == "devices:search") {
        post();
        return devices(request);
    }
    const std::pair<const char*, SessionKind> transactions[] = {
        {"transactions:sale", SessionKind::Sale},
        {"transactions:refund", SessionKind::Refund},
        {"transactions:unreferenced-refund", SessionKind::UnreferencedRefund},
        {"transactions:preauth-completion", SessionKind::PreauthCompletion}};
    for (const auto& [name, kind] : transactions) {
        if (path == name) {
            post();
            return transaction(request, kind);
        }
    }
    if (path == "sessions") {
        if (request.method != "GET") {
            throw HttpError::problem(405, "/ecr/v1/sessions takes GET");
        }
        return sessionsOfDay(request);
    }
    constexpr std::string_view sessions = "sessions/";
    if (path.rfind(sessions, 0) == 0 && path.size() > sessions.size() &&
        path.find('/', sessions.size()) == std::string::npos) {
        const std::string id = path.substr(sessions.size());
        if (request.method == "GET") {
            return session(id);
        }
        if (request.method == "DELETE") {
            return abort(request, id);
        }
        throw HttpError::problem(405, "/ecr/v1/sessions/{sessionId} takes GET and DELETE");
    }
    throw HttpError::problem(404, "No Cloud Terminal API endpoint at " + sub);
}

void VivaApiParty::authenticate(const SimRequest& request) {
    const std::string token = request.bearerToken();
    if (!token.empty() && merchant_->tokens().check(token, merchant_->clock().now()) ==
                              viva::TokenBook::Check::Valid) {
        return;
    }
    std::lock_guard lock(mutex_);
    SimResponse refusal =
        emptyUnauthorized_
            ? viva::emptyAnswer(401)
            : SimResponse::json(401, Json{{"detail", "Could not validate credentials"}});
    refusal.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    throw HttpError(std::move(refusal));
}

SimResponse VivaApiParty::devices(const SimRequest& request) {
    ++deviceSearches_;
    if (!viva::hasContentType(request, "application/json")) {
        // What Viva answered a form-encoded search (contract §2).
        throw HttpError::problem(500, "An unexpected error occurred.");
    }
    const Json body = viva::readObject(request, true);
    const Body fields(body);
    const auto status = fields.integer("statusId", false, 0, 7);
    const auto source = fields.text("sourceCode", false, 16);
    Json list = Json::array();
    for (const viva::Terminal& terminal : merchant_->options().terminals) {
        if ((status && terminal.statusId != *status) ||
            (source && terminal.sourceCode != *source)) {
            continue;
        }
        list.push_back(terminal.toJson());
    }
    return SimResponse::json(200, list);
}

SimResponse VivaApiParty::transaction(const SimRequest& request, SessionKind kind) {
    const Json body = viva::readObject(request, false);
    const Body fields(body);
    viva::SessionRequest r;
    r.kind = kind;
    r.sessionId = *fields.text("sessionId", true, 128);
    const std::string tid = *fields.digits("terminalId", true);
    const viva::Terminal* terminal = merchant_->terminal(tid);
    if (!terminal) {
        Body::fail("terminalId", "no terminal " + tid + " on this account");
    }
    r.terminal = *terminal;
    r.cashRegisterId = *fields.text("cashRegisterId", true, 64);
    r.amount = core::Money::fromCents(*fields.integer("amount", true, 1, maxCents));
    if (const std::string currency = *fields.digits("currencyCode", true); currency != "978") {
        Body::fail("currencyCode", "only 978 (EUR) is accepted, not " + currency);
    }
    r.merchantReference = fields.text("merchantReference", kind == SessionKind::Sale, 2048);
    r.customerTrns = fields.text("customerTrns", false, 2048);
    r.interappCallback = fields.text("interappCallback", false, 2048);
    fields.boolean("showTransactionResult");
    fields.boolean("showReceipt");
    if (kind == SessionKind::Sale) {
        r.tip = core::Money::fromCents(fields.integer("tipAmount", false, 0, maxCents).value_or(0));
        r.preauth = fields.boolean("preauth").value_or(false);
        if (r.preauth && r.tip.cents() > 0) {
            Body::fail("tipAmount", "is not compatible with preauth");
        }
        r.maxInstalments =
            static_cast<int>(fields.integer("maxInstalments", false, 0, 36).value_or(0));
        fields.boolean("skipSurcharge");
        fields.text("saleToAcquirerData", false, 8192);
        if (const auto method = fields.text("paymentMethod", false)) {
            if (std::none_of(std::begin(paymentMethods), std::end(paymentMethods),
                             [&method](const char* known) { return *method == known; })) {
                Body::fail("paymentMethod", "\"" + *method + "\" is not a payment method");
            }
        }
    }
    if (kind == SessionKind::Refund || kind == SessionKind::PreauthCompletion) {
        r.parentSessionId = fields.text("parentSessionId", true, 128);
    } else if (fields.has("parentSessionId")) {
        Body::fail("parentSessionId", "is not taken here; a refund of a known sale is "
                                      "transactions:refund");
    }
    if (fields.has("isvDetails")) {
        Body::fail("isvDetails", "only the ISV endpoints (/ecr/isv/v1/...) take it");
    }
    fields.digits("aadeProviderId", false);
    fields.text("aadeProviderSignatureData", false, 1024);
    fields.text("aadeProviderSignature", false, 1024);
    fields.boolean("aadePreloaded");
    fields.integer("aadePreloadedDuration", false, 0, 24 * 366);
    const bool fiscalisation = fields.has("fiscalisationData");
    if (fiscalisation) {
        if (!body.at("fiscalisationData").is_object()) {
            Body::fail("fiscalisationData", "must be an object");
        }
        for (const char* key : aadeKeys) {
            if (fields.has(key)) {
                Body::fail("fiscalisationData",
                           "is for Viva Fiscalisation and is never combined with the aade* "
                           "fields of the merchant's own provider");
            }
        }
    }
    bool required = false;
    {
        std::lock_guard lock(mutex_);
        required = requireAade_;
    }
    required = required && kind != SessionKind::PreauthCompletion && !fiscalisation;
    r.aadeEventId = checkAade(body, r, required, r.aadeFailure);
    merchant_->sessions().create(std::move(r));
    merchant_->wake();
    return viva::emptyAnswer(200);
}

int VivaApiParty::checkAade(const Json& body, const viva::SessionRequest& request, bool required,
                            std::string& why) const {
    const auto text = [&body](const char* key) {
        const auto it = body.find(key);
        if (it == body.end() || it->is_null()) {
            return std::string();
        }
        return it->is_string() ? it->get<std::string>() : core::dumpJson(*it);
    };
    std::string missing;
    bool any = false;
    for (const char* key : aadeKeys) {
        if (text(key).empty()) {
            missing += missing.empty() ? key : std::string(", ") + key;
        } else {
            any = true;
        }
    }
    if (!any && !required) {
        return viva::events::ok;
    }
    if (!missing.empty()) {
        why = "missing " + missing;
        return viva::events::aadeMissing;
    }
    const std::string providerId = text("aadeProviderId");
    const std::string data = text("aadeProviderSignatureData");
    if (!options_.providerIds.empty() && options_.providerIds.count(providerId) == 0) {
        why = "aadeProviderId " + providerId + " is not a provider this account accepts";
        return viva::events::signatureFailed;
    }
    signing::Bytes der;
    try {
        der = signing::fromBase64(text("aadeProviderSignature"));
        signing::checkDerSignature(der);
    } catch (const core::CryptoError& e) {
        why = std::string("aadeProviderSignature is not a base64 DER ECDSA signature: ") + e.what();
        return viva::events::signatureFailed;
    }
    if (!providerKey_.verify(data, der)) {
        why = "aadeProviderSignature does not verify over aadeProviderSignatureData \"" + data +
              "\" with the provider's public key";
        return viva::events::signatureFailed;
    }
    try {
        const auto input = signing::InputText::parse(data, signing::InputLayout::Viva);
        if (input.payable() != request.amount) {
            why = "the Input's Payable " + std::to_string(input.payable().cents()) +
                  " is not the amount " + std::to_string(request.amount.cents());
            return viva::events::aadeMismatch;
        }
        if (input.tid() != request.terminal.terminalId) {
            why = "the Input's TID " + input.tid() + " is not the terminal " +
                  request.terminal.terminalId;
            return viva::events::aadeMismatch;
        }
    } catch (const core::InputError& e) {
        why = std::string("aadeProviderSignatureData is not a Viva-layout Input "
                          "(UID;MARK;YYYYMMDDhhmmss;Payable;Net;VAT;Total;TID): ") +
              e.what();
        return viva::events::aadeMismatch;
    }
    return viva::events::ok;
}

SimResponse VivaApiParty::session(const std::string& sessionId) {
    ++polls_;
    const auto found = merchant_->sessions().find(sessionId);
    if (!found) {
        throw HttpError::problem(404, "Session id was not found");
    }
    if (!found->final) {
        ++pendingAnswers_;
        return SimResponse::json(202, Json{{"detail", "The session is being processed"}});
    }
    return SimResponse::json(200, found->body);
}

SimResponse VivaApiParty::sessionsOfDay(const SimRequest& request) {
    const std::string date =
        request.queryParam("date").value_or(viva::utcDate(merchant_->clock().now()));
    if (!isDate(date)) {
        throw HttpError::problem(400, "date: \"" + date + "\" is not YYYY-MM-DD");
    }
    const std::string autonomous = request.queryParam("AadeAutonomouslyOnly").value_or("false");
    if (autonomous != "true" && autonomous != "false") {
        throw HttpError::problem(400, "AadeAutonomouslyOnly: must be true or false");
    }
    if (autonomous == "true") {
        return SimResponse::json(200, Json::array()); // no terminal here works offline
    }
    return SimResponse::json(200, Json(merchant_->sessions().finalOn(date)));
}

SimResponse VivaApiParty::abort(const SimRequest& request, const std::string& sessionId) {
    const auto cashRegister = request.queryParam("cashRegisterId");
    if (!cashRegister || cashRegister->empty()) {
        throw HttpError::problem(400, "cashRegisterId: is required");
    }
    using Answer = viva::SessionBook::AbortAnswer;
    switch (merchant_->sessions().abort(sessionId, *cashRegister)) {
    case Answer::Requested:
        merchant_->wake();
        return viva::emptyAnswer(200);
    case Answer::NotFound:
        throw HttpError::problem(404, "Session id was not found");
    case Answer::OtherRegister:
        throw HttpError::problem(403, "Only cash register that created the transaction can "
                                      "abort it");
    case Answer::AlreadyStarted:
        break;
    }
    throw HttpError::problem(409, "Abort process already started");
}

SimResponse VivaApiParty::control(const SimRequest& request, const std::string& action) {
    if (action == "webhooks" || action == "webhooks/verify") {
        return viva::webhookControl(*merchant_, request, action);
    }
    if (action == "expire-tokens") {
        if (request.method != "POST") {
            throw HttpError::problem(405, "/_control/expire-tokens takes POST");
        }
        return SimResponse::json(
            200, Json{{"expired", merchant_->tokens().expireAll(merchant_->clock().now())}});
    }
    if (action == "finish") {
        if (request.method != "POST") {
            throw HttpError::problem(405, "/_control/finish takes POST");
        }
        const Json body = viva::readObject(request, false);
        const Body fields(body);
        const std::string id = *fields.text("sessionId", true, 128);
        const std::string name = *fields.text("outcome", true, 32);
        const auto outcome = std::find_if(std::begin(outcomes), std::end(outcomes),
                                          [&name](const Outcome& o) { return name == o.name; });
        if (outcome == std::end(outcomes)) {
            Body::fail("outcome", "must be approved, declined, cancelled, expired or aborted");
        }
        if (!merchant_->sessions().finish(id, outcome->success, outcome->eventId)) {
            throw HttpError::problem(404, "Session id was not found");
        }
        merchant_->wake();
        return SimResponse::json(200, Json{{"sessionId", id}, {"outcome", name}});
    }
    if (action == "settings") {
        viva::SessionBook& sessions = merchant_->sessions();
        if (request.method == "POST") {
            const Json body = viva::readObject(request, true);
            viva::SessionSettings next = sessions.settings();
            next.codesAsNumbers =
                viva::booleanSetting(body, "codes_as_numbers", next.codesAsNumbers);
            next.sessionEvents = viva::booleanSetting(body, "session_events", next.sessionEvents);
            if (const auto it = body.find("unregistered_for_seconds"); it != body.end()) {
                if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
                    throw HttpError::problem(400, "unregistered_for_seconds: must be a whole "
                                                  "number of seconds, 0 or more");
                }
                next.unregisteredFor = std::chrono::seconds(it->get<std::int64_t>());
            }
            std::lock_guard lock(mutex_);
            const bool require = viva::booleanSetting(body, "require_aade", requireAade_);
            bool empty = emptyUnauthorized_;
            if (const auto it = body.find("expired_token_answer"); it != body.end()) {
                if (*it != "detail" && *it != "empty") {
                    throw HttpError::problem(400, "expired_token_answer: must be \"detail\" or "
                                                  "\"empty\"");
                }
                empty = *it == "empty";
            }
            sessions.setSettings(next);
            requireAade_ = require;
            emptyUnauthorized_ = empty;
        } else if (request.method != "GET") {
            throw HttpError::problem(405, "/_control/settings takes GET and POST");
        }
        const viva::SessionSettings current = sessions.settings();
        std::lock_guard lock(mutex_);
        return SimResponse::json(
            200, Json{{"codes_as_numbers", current.codesAsNumbers},
                      {"session_events", current.sessionEvents},
                      {"unregistered_for_seconds", current.unregisteredFor.count() / 1000},
                      {"require_aade", requireAade_},
                      {"expired_token_answer", emptyUnauthorized_ ? "empty" : "detail"}});
    }
    throw HttpError::problem(404, "No Viva control endpoint \"" + action +
                                      "\" (settings, finish, expire-tokens, webhooks, "
                                      "webhooks/verify)");
}

void VivaApiParty::reset() {
    merchant_->reset();
    {
        std::lock_guard lock(mutex_);
        requireAade_ = options_.requireAade;
        emptyUnauthorized_ = options_.emptyUnauthorized;
    }
    deviceSearches_ = polls_ = pendingAnswers_ = unauthenticated_ = invalid_ = 0;
}

Json VivaApiParty::stats() const {
    Json json = merchant_->sessions().stats();
    json.update(merchant_->webhooks().stats());
    json["device_searches"] = deviceSearches_.load();
    json["session_polls"] = polls_.load();
    json["pending_answers"] = pendingAnswers_.load();
    json["unauthenticated"] = unauthenticated_.load();
    json["invalid"] = invalid_.load();
    return json;
}

} // namespace fiscpos::sim
