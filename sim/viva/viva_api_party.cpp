#include "sim/viva/viva_api_party.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "sim/viva/viva_aade.hpp"
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
using viva::aadeKeys;

// The fields of a request body are read with core::JsonFields (context "", so an error is
// "field: reason"); the first bad field ends the request with 400 naming it (refuseField). These
// add Viva's own limits: lengths, ranges, digits.
using core::JsonFields;

[[noreturn]] void refuseField(const core::InputError& error) {
    throw HttpError::problem(400, error.what());
}

std::optional<std::string> text(const JsonFields& fields, const std::string& key, bool required,
                                std::size_t maxLength = 255) {
    auto value = required ? std::optional(fields.requireString(key)) : fields.optionalString(key);
    if (!value) {
        return std::nullopt;
    }
    if (required && value->find_first_not_of(' ') == std::string::npos) {
        fields.fail(key, "must not be empty");
    }
    if (value->size() > maxLength) {
        fields.fail(key, "must be at most " + std::to_string(maxLength) + " characters");
    }
    return value;
}

// A string of digits, or a non-negative integer read as its digits.
std::optional<std::string> digits(const JsonFields& fields, const std::string& key, bool required) {
    if (!required && fields.isNull(key)) {
        return std::nullopt;
    }
    const Json& value = fields.require(key);
    if (value.is_number_unsigned()) {
        return std::to_string(value.get<std::uint64_t>());
    }
    if (!value.is_string() || !core::allDigits(value.get<std::string>()) ||
        value.get<std::string>().size() > 18) {
        fields.fail(key, "must be digits (a string or a whole number)");
    }
    return value.get<std::string>();
}

std::optional<std::int64_t> integer(const JsonFields& fields, const std::string& key, bool required,
                                    std::int64_t min, std::int64_t max) {
    const auto n =
        required ? std::optional(fields.requireInteger(key)) : fields.optionalInteger(key);
    if (n && (*n < min || *n > max)) {
        fields.fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return n;
}

std::optional<bool> boolean(const JsonFields& fields, const std::string& key) {
    return fields.isNull(key) ? std::nullopt : std::optional(fields.requireBool(key));
}

bool isDate(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    const std::string digits = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
    if (!core::allDigits(digits)) {
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
    : VivaMerchantParty("viva_api", options.prefix, std::move(merchant), Refusals::Counted)
    , providerKey_(std::move(providerKey))
    , options_(std::move(options))
    , requireAade_(options_.requireAade)
    , emptyUnauthorized_(options_.emptyUnauthorized) {
    for (const std::string& id : options_.providerIds) {
        if (!core::allDigits(id)) {
            throw core::ConfigError("viva.provider_ids", "\"" + id + "\" is not digits");
        }
    }
}

SimResponse VivaApiParty::handle(const SimRequest& request) {
    SimResponse response = VivaMerchantParty::handle(request);
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
        viva::requirePost(request, "/ecr/v1/" + path);
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
    if (!token.empty() &&
        merchant_->tokens()
                .check(token, SimTokenStore::Kind::Access, merchant_->clock().now())
                .check == SimTokenStore::Check::Valid) {
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
    std::optional<std::int64_t> status;
    std::optional<std::string> source;
    try {
        const JsonFields fields(body, "", core::JsonOrigin::Input);
        status = integer(fields, "statusId", false, 0, 7);
        source = text(fields, "sourceCode", false, 16);
    } catch (const core::InputError& e) {
        refuseField(e);
    }
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
    viva::SessionRequest r;
    r.kind = kind;
    bool fiscalisation = false;
    try {
        const JsonFields fields(body, "", core::JsonOrigin::Input);
        r.sessionId = *text(fields, "sessionId", true, 128);
        const std::string tid = *digits(fields, "terminalId", true);
        const viva::Terminal* terminal = merchant_->terminal(tid);
        if (!terminal) {
            fields.fail("terminalId", "no terminal " + tid + " on this account");
        }
        r.terminal = *terminal;
        r.cashRegisterId = *text(fields, "cashRegisterId", true, 64);
        r.amount = core::Money::fromCents(*integer(fields, "amount", true, 1, maxCents));
        if (const std::string currency = *digits(fields, "currencyCode", true); currency != "978") {
            fields.fail("currencyCode", "only 978 (EUR) is accepted, not " + currency);
        }
        r.merchantReference = text(fields, "merchantReference", kind == SessionKind::Sale, 2048);
        r.customerTrns = text(fields, "customerTrns", false, 2048);
        r.interappCallback = text(fields, "interappCallback", false, 2048);
        boolean(fields, "showTransactionResult");
        boolean(fields, "showReceipt");
        if (kind == SessionKind::Sale) {
            r.tip = core::Money::fromCents(
                integer(fields, "tipAmount", false, 0, maxCents).value_or(0));
            r.preauth = boolean(fields, "preauth").value_or(false);
            if (r.preauth && r.tip.cents() > 0) {
                fields.fail("tipAmount", "is not compatible with preauth");
            }
            r.maxInstalments =
                static_cast<int>(integer(fields, "maxInstalments", false, 0, 36).value_or(0));
            boolean(fields, "skipSurcharge");
            text(fields, "saleToAcquirerData", false, 8192);
            if (const auto method = text(fields, "paymentMethod", false)) {
                if (std::none_of(std::begin(paymentMethods), std::end(paymentMethods),
                                 [&method](const char* known) { return *method == known; })) {
                    fields.fail("paymentMethod", "\"" + *method + "\" is not a payment method");
                }
                r.iris = *method == "IRIS";
                if (r.iris && r.preauth) {
                    fields.fail("paymentMethod", "IRIS cannot be a pre-authorisation");
                }
            }
        }
        if (kind == SessionKind::Refund || kind == SessionKind::PreauthCompletion) {
            r.parentSessionId = text(fields, "parentSessionId", true, 128);
        } else if (!fields.isNull("parentSessionId")) {
            fields.fail("parentSessionId", "is not taken here; a refund of a known sale is "
                                           "transactions:refund");
        }
        if (!fields.isNull("isvDetails")) {
            fields.fail("isvDetails", "only the ISV endpoints (/ecr/isv/v1/...) take it");
        }
        digits(fields, "aadeProviderId", false);
        text(fields, "aadeProviderSignatureData", false, 1024);
        text(fields, "aadeProviderSignature", false, 1024);
        const bool preloaded = boolean(fields, "aadePreloaded").value_or(false);
        const auto preloadHours = integer(fields, "aadePreloadedDuration", false, 0, 24 * 366);
        if (preloaded) {
            if (kind != SessionKind::Sale || r.preauth) {
                fields.fail("aadePreloaded", "only a sale can be preloaded");
            } else if (!preloadHours || *preloadHours < 1 || *preloadHours > 24) {
                fields.fail("aadePreloadedDuration", "a preloaded sale lasts 1 to 24 hours");
            } else {
                r.preloadHours = static_cast<int>(*preloadHours);
            }
        }
        fiscalisation = !fields.isNull("fiscalisationData");
        if (fiscalisation) {
            if (!body.at("fiscalisationData").is_object()) {
                fields.fail("fiscalisationData", "must be an object");
            }
            for (const char* key : aadeKeys) {
                if (!fields.isNull(key)) {
                    fields.fail("fiscalisationData",
                                "is for Viva Fiscalisation and is never combined with the aade* "
                                "fields of the merchant's own provider");
                }
            }
        }
    } catch (const core::InputError& e) {
        refuseField(e);
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
    return viva::checkAade(body, request.amount, request.terminal.terminalId, required,
                           viva::AadeTrust{providerKey_, options_.providerIds}, why);
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
        viva::requirePost(request, "/_control/expire-tokens");
        return SimResponse::json(
            200, Json{{"expired",
                       merchant_->tokens().expireAll(merchant_->clock().now(), false).wereValid}});
    }
    if (action == "finish") {
        viva::requirePost(request, "/_control/finish");
        const Json body = viva::readObject(request, false);
        std::string id;
        std::string name;
        try {
            const JsonFields fields(body, "", core::JsonOrigin::Input);
            id = *text(fields, "sessionId", true, 128);
            name = *text(fields, "outcome", true, 32);
        } catch (const core::InputError& e) {
            refuseField(e);
        }
        const auto outcome = std::find_if(std::begin(outcomes), std::end(outcomes),
                                          [&name](const Outcome& o) { return name == o.name; });
        if (outcome == std::end(outcomes)) {
            throw HttpError::problem(
                400, "outcome: must be approved, declined, cancelled, expired or aborted");
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
            viva::SessionSettings next = sessions.settings().get();
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
            sessions.settings().set(next);
            requireAade_ = require;
            emptyUnauthorized_ = empty;
        } else if (request.method != "GET") {
            throw HttpError::problem(405, "/_control/settings takes GET and POST");
        }
        const viva::SessionSettings current = sessions.settings().get();
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

void VivaApiParty::resetRecords() {
    VivaMerchantParty::resetRecords();
    std::lock_guard lock(mutex_);
    requireAade_ = options_.requireAade;
    emptyUnauthorized_ = options_.emptyUnauthorized;
}

Json VivaApiParty::recordStats() const {
    Json json = merchant_->sessions().stats();
    json.update(merchant_->webhooks().stats());
    return json;
}

} // namespace fiscpos::sim
