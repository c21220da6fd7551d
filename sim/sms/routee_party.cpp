#include "sim/sms/routee_party.hpp"

#include "core/errors.hpp"
#include "core/secret_compare.hpp"
#include "core/text.hpp"

namespace fiscpos::sim::sms {

namespace {

using core::Json;

// Routee's refusal: {"code", "developerMessage"[, "property"]}.
SimAnswerError routeeError(int status, const std::string& code, const std::string& message,
                           const std::string& property = "") {
    Json body{{"code", code}, {"developerMessage", message}};
    if (!property.empty()) {
        body["property"] = property;
    }
    return SimAnswerError(status, body);
}

} // namespace

RouteeParty::RouteeParty(RouteePartyOptions options, const core::Clock& clock)
    : SmsGatewayParty("routee", options.prefix, clock)
    , options_(std::move(options)) {
    if (options_.appId.empty()) {
        throw core::ConfigError("routee.app_id", "must not be empty");
    }
    if (options_.appSecret.empty()) {
        throw core::ConfigError("routee.app_secret", "must not be empty");
    }
}

SimResponse RouteeParty::route(const SimRequest& request) {
    if (request.subpath != "/oauth/token" && request.subpath != "/sms") {
        return SimResponse::message(404, "No such Routee endpoint: " + request.path);
    }
    if (request.method != "POST") {
        return SimResponse::message(405, request.path + " takes POST.");
    }
    if (request.subpath == "/oauth/token") {
        return token(request);
    }
    try {
        return sendMessage(request);
    } catch (const SimAnswerError&) {
        refused();
        throw;
    }
}

SimResponse RouteeParty::token(const SimRequest& request) {
    const auto credentials = request.basicCredentials();
    const bool known = credentials && core::secretEquals(credentials->first, options_.appId) &&
                       core::secretEquals(credentials->second, options_.appSecret);
    if (!known) {
        ++loginFailures_;
        SimResponse answer = SimResponse::json(
            401, Json{{"error", "invalid_client"}, {"error_description", "Bad credentials"}});
        answer.headers.emplace_back("WWW-Authenticate", "Basic realm=\"routee\"");
        return answer;
    }
    const SimForm form = parseForm(request.body);
    if (!form.wellFormed || form.last("grant_type") != "client_credentials") {
        ++loginFailures_;
        return SimResponse::json(
            400, Json{{"error", "unsupported_grant_type"},
                      {"error_description", "grant_type must be client_credentials"}});
    }
    const std::string access = base64Url(tokens_.randomBytes(24));
    tokens_.add(access, {SimTokenStore::Kind::Access, options_.appId,
                         clock_.now() + options_.tokenLifetime});
    ++logins_;
    return SimResponse::json(
        200,
        Json{{"access_token", access},
             {"token_type", "bearer"},
             {"expires_in",
              std::chrono::duration_cast<std::chrono::seconds>(options_.tokenLifetime).count()},
             {"scope", "sms"},
             {"permissions", Json::array({"MT_ROLE_SMS"})}});
}

SimResponse RouteeParty::sendMessage(const SimRequest& request) {
    const std::string bearer = request.bearerToken();
    if (bearer.empty() || tokens_.check(bearer, SimTokenStore::Kind::Access, clock_.now()).check !=
                              SimTokenStore::Check::Valid) {
        ++unauthenticated_;
        throw routeeError(401, "401000000", "Invalid or expired access token.");
    }
    const auto invalid = [](const std::string& text) {
        return routeeError(400, "400000000", text);
    };
    const Json body =
        readJsonObject(request.body, "sms", false,
                       "The body is not JSON: ", "The body is not a JSON object.", invalid);
    const std::string text = textField(body, "body");
    const std::string to = textField(body, "to");
    const std::string from = textField(body, "from");
    if (text.empty()) {
        throw routeeError(400, "400001000", "body is required.", "body");
    }
    if (!to.starts_with("+") || !core::allDigits(to.substr(1))) {
        throw routeeError(400, "400001001",
                          "to must be a number in E.164 form with its '+' and country code.", "to");
    }
    if (from.empty() || from.size() > 20) {
        throw routeeError(400, "400001002",
                          "from is required (at most 11 characters, or 20 "
                          "digits).",
                          "from");
    }
    std::string callbackUrl;
    if (const auto callback = body.find("callback"); callback != body.end()) {
        const std::string strategy = callback->is_object() ? textField(*callback, "strategy") : "";
        callbackUrl = callback->is_object() ? textField(*callback, "url") : "";
        if (callbackUrl.empty() || (strategy != "OnChange" && strategy != "OnCompletion")) {
            throw routeeError(400, "400001003",
                              "callback needs a url and strategy OnChange or OnCompletion.",
                              "callback");
        }
    }
    if (const auto refusal = takeRefusal()) {
        const auto status = refusal->value("status", Json(400));
        throw routeeError(status.is_number_integer() ? status.get<int>() : 400,
                          refusal->value("code", std::string("400000000")),
                          refusal->value("message", std::string("Refused by the simulator.")));
    }

    SimSms message;
    message.to = to;
    message.text = text;
    message.reference = textField(body, "label");
    message.unicode = simNeedsUnicode(text);
    const SimSmsLength length = simSmsLength(text, message.unicode);
    message.parts = length.parts;
    message.callbackUrl = callbackUrl;
    const SimSms accepted = accept(std::move(message));
    return SimResponse::json(200, Json{{"trackingId", accepted.id},
                                       {"createdAt", core::utcIso8601(accepted.acceptedAt)},
                                       {"from", from},
                                       {"to", to},
                                       {"body", text},
                                       {"label", textOrNull(accepted.reference)},
                                       {"status", "Queued"},
                                       {"direction", "Outbound"},
                                       {"flash", false},
                                       {"bodyAnalysis",
                                        {{"characters", length.characters},
                                         {"parts", length.parts},
                                         {"unicode", length.unicode},
                                         {"transcoded", false},
                                         {"unsupportedGSMCharacters", Json::array()}}}});
}

std::optional<SimResponse> RouteeParty::control(const std::string& action, const Json&) {
    if (action != "expire-tokens") {
        return std::nullopt;
    }
    const auto expired = tokens_.expireAll(clock_.now(), false);
    return SimResponse::json(200, Json{{"expired", expired.access}});
}

std::vector<SmsGatewayParty::Callback>
RouteeParty::deliveryCallbacks(const SimSms& message, const std::string& status) const {
    std::vector<Callback> callbacks;
    const bool delivered = status == "Delivered";
    for (int part = 1; part <= message.parts; ++part) {
        const Json report{{"messageId", message.id},
                          {"smsId", message.id + "-" + std::to_string(part)},
                          {"part", part},
                          {"parts", message.parts},
                          {"to", message.to},
                          {"from", "KAFEALFA"},
                          {"label", message.reference},
                          {"status",
                           {{"name", status},
                            {"reason",
                             {{"detailedStatus", delivered ? "Delivered" : "Unknown Number"},
                              {"description", delivered ? "The message was delivered."
                                                        : "The number does not exist."}}},
                            {"updatedDate", core::utcIso8601(clock_.now())}}}};
        callbacks.push_back({"POST", message.callbackUrl, core::dumpJson(report)});
    }
    return callbacks;
}

} // namespace fiscpos::sim::sms
