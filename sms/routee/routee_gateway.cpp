#include "sms/routee/routee_gateway.hpp"

#include "core/basic_authorization.hpp"
#include "core/body_quote.hpp"
#include "core/section_check.hpp"
#include "core/text.hpp"
#include "core/url_encoding.hpp"

#include <algorithm>

namespace fiscpos::sms::routee {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;

constexpr const char* title = "Routee";
constexpr auto renewMargin = std::chrono::seconds(60);

// Routee refuses a token it does not take (expired, revoked, or without the SMS permission).
bool tokenRefused(const HttpResponse& response) {
    return response.status == 401 || response.status == 403;
}

// Routee's words for a refusal: {"code", "developerMessage"}, else the usual summary.
std::string refusalReason(const HttpResponse& response) {
    try {
        const Json body = response.json("Routee's answer");
        const core::JsonFields fields(body, "answer", core::JsonOrigin::Response);
        const std::string message = fields.firstText({"developerMessage", "message"});
        if (!message.empty()) {
            const std::string code = fields.firstText({"code"});
            return std::to_string(response.status) + (code.empty() ? "" : " code " + code) + ": " +
                   core::redactSecrets(message);
        }
    } catch (const core::ResponseError&) {
        // not Routee's error shape: summarised below
    }
    return core::answerSummary(response);
}

} // namespace

RouteeGateway::RouteeGateway(SmsSettings settings, RouteeCredentials credentials,
                             const core::Clock& clock)
    : settings_(std::move(settings))
    , credentials_(std::move(credentials))
    , clock_(clock)
    , tokenHttp_(credentials_.tokenUrl, settings_.http, SmsSettings::settingName("token_url"))
    , http_(settings_.url, settings_.http, SmsSettings::settingName("url"))
    , tokens_(clock, [this](const core::HttpObserver& record) { return obtainToken(record); }) {
    const core::SectionCheck check("sms");
    check.required("app_id", credentials_.appId, "the application id of the Routee account");
    check.plainToken("app_id", credentials_.appId);
    check.required("app_secret", credentials_.appSecret, "the application's secret");
    check.plainToken("app_secret", credentials_.appSecret);
}

core::BearerToken RouteeGateway::obtainToken(const core::HttpObserver& record) {
    HttpRequest request;
    request.method = "POST";
    request.contentType = "application/x-www-form-urlencoded";
    request.body = core::formEncoded({{"grant_type", "client_credentials"}});
    request.header("Authorization",
                   core::basicAuthorization(credentials_.appId, credentials_.appSecret));
    request.header("Accept", "application/json");
    request.secret("access_token");

    HttpResponse response;
    try {
        response = core::sendTokenRequest(tokenHttp_, request, record);
    } catch (const core::TransportError& e) {
        throw core::TransportError(core::TransportError::Stage::Connect,
                                   std::string("Routee's token service could not be asked (") +
                                       e.what() + "); no SMS was sent");
    }
    if (response.status == 400 || response.status == 401 || response.status == 403) {
        throw core::ConfigError(SmsSettings::settingName("app_secret"),
                                "Routee's token service refused app_id and app_secret (" +
                                    core::credentialAnswerSummary(response) +
                                    "); use the credentials of a Routee application");
    }
    if (!response.ok()) {
        throw SmsRefused(title, response.status,
                         "its token service answered " + core::credentialAnswerSummary(response));
    }
    try {
        const Json answer = core::parseCredentialJson(response.body, "token");
        const core::JsonFields fields(answer, "token", core::JsonOrigin::Response);
        core::BearerToken token;
        token.access = fields.requireString("access_token");
        if (token.access.empty() || !core::isPlainToken(token.access)) {
            fields.fail("access_token", "is not a token");
        }
        if (const auto expiresIn = fields.optionalInteger("expires_in");
            expiresIn && *expiresIn > 0) {
            const auto lifetime = std::chrono::seconds(*expiresIn);
            token.renewAt =
                clock_.now() + lifetime - std::min<std::chrono::seconds>(renewMargin, lifetime / 2);
        }
        return token;
    } catch (const core::ResponseError& e) {
        throw SmsRefused(title, response.status,
                         std::string("its token answer could not be read: ") + e.what());
    }
}

Json RouteeGateway::sendBody(const PreparedSms& sms, const std::string& reference,
                             const SmsSettings& settings) {
    Json body{{"body", sms.text}, {"to", sms.to}, {"from", settings.sender}, {"label", reference}};
    if (!settings.callbackUrl.empty()) {
        body["callback"] = {{"url", settings.callbackUrl}, {"strategy", "OnCompletion"}};
    }
    return body;
}

// A 4xx (a token refused twice, the shape, 429): not taken. A 5xx, or a 2xx without trackingId:
// it may have been taken.
SmsAccepted RouteeGateway::readAnswer(const HttpResponse& response, const PreparedSms& sms) {
    const auto reason = [](const HttpResponse& refusal) {
        std::string words = refusalReason(refusal);
        if (tokenRefused(refusal)) {
            words += "; it refused a token it had just issued: check that the application may "
                     "send SMS";
        }
        return words;
    };
    return readSendAnswer(title, response, reason, [&](const core::JsonFields& fields) {
        SmsAccepted accepted = acceptedMessage(fields, "trackingId", sms.length.parts);
        if (fields.has("bodyAnalysis") && fields.require("bodyAnalysis").is_object()) {
            const auto parts = fields.requireObject("bodyAnalysis").optionalInteger("parts");
            if (parts && *parts > 0 && *parts < 1000) {
                accepted.parts = static_cast<int>(*parts);
            }
        }
        return accepted;
    });
}

SmsAccepted RouteeGateway::send(const SmsMessage& message, const core::HttpObserver& record) {
    const PreparedSms sms = prepareSms(message, settings_);
    const HttpRequest request =
        HttpRequest::json("POST", "/sms", sendBody(sms, message.reference, settings_));
    // A refused token means the message was not taken: sent once more under a new token.
    const HttpResponse response = tokens_.send(
        [&](const std::string& access) {
            HttpRequest withToken = request;
            withToken.header("Authorization", "Bearer " + access);
            withToken.header("Accept", "application/json");
            return http_.send(withToken, record);
        },
        [](const HttpResponse& answer, bool) { return tokenRefused(answer); }, {}, record);
    return readAnswer(response, sms);
}

namespace {

// A callback (strategy OnCompletion): POST JSON {messageId, smsId, part, parts, to, from, label,
// status: {name, reason: {detailedStatus, description}, updatedDate}, ...}, one per part.
std::vector<DeliveryReport> readCallback(const core::ServerRequest& request) {
    const Json raw = core::parseJson(request.body, "callback", core::JsonOrigin::Response);
    const core::JsonFields fields(raw, "callback", core::JsonOrigin::Response);
    DeliveryReport report;
    report.gatewayId = fields.requireString("messageId");
    report.reference = fields.optionalString("label").value_or("");
    const auto part = fields.optionalInteger("part").value_or(1);
    const auto parts = fields.optionalInteger("parts").value_or(1);
    if (parts < 1 || parts > 1000 || part < 1 || part > parts) {
        fields.fail("part", "part " + std::to_string(part) + " of " + std::to_string(parts) +
                                " is not a part of a message");
    }
    report.part = static_cast<int>(part);
    report.parts = static_cast<int>(parts);
    const auto status = fields.requireObject("status");
    report.status = status.requireString("name");
    const std::string detailed =
        status.has("reason") && status.require("reason").is_object()
            ? status.requireObject("reason").optionalString("detailedStatus").value_or("")
            : "";
    if (report.status == "Delivered") {
        report.state = DeliveryState::Delivered;
    } else if (report.status == "Undelivered" || report.status == "Failed") {
        report.state = DeliveryState::Failed;
        if (!detailed.empty()) {
            report.status += " (" + detailed + ")";
        }
    }
    report.raw = raw;
    return {report};
}

} // namespace

void registerGateway(SmsGatewayRegistry& registry) {
    SmsGatewayModule module;
    module.name = "routee";
    module.title = "Routee";
    module.defaultUrl = defaultUrl;
    module.keys = {"app_id", "app_secret", "token_url"};
    module.make = [](const core::Config& config, SmsSettings settings, const core::Clock& clock) {
        RouteeCredentials credentials;
        credentials.appId = config.getOr("sms.app_id", "");
        credentials.appSecret = config.getOr("sms.app_secret", "");
        credentials.tokenUrl = config.getOr("sms.token_url", credentials.tokenUrl);
        core::checkServerUrl(credentials.tokenUrl, SmsSettings::settingName("token_url"));
        return std::make_unique<RouteeGateway>(std::move(settings), std::move(credentials), clock);
    };
    module.readReports = readCallback;
    registry.add(std::move(module));
}

} // namespace fiscpos::sms::routee
