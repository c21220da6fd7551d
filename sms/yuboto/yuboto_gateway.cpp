#include "sms/yuboto/yuboto_gateway.hpp"

#include "core/basic_authorization.hpp"
#include "core/body_quote.hpp"
#include "core/section_check.hpp"

#include <cctype>

namespace fiscpos::sms::yuboto {

namespace {

using core::Json;

constexpr const char* title = "Yuboto";
constexpr const char* dlrPath = "/omni/v1/Dlr";

// Yuboto's words for a message's state (contract §5): final ones are delivered or failed, the
// rest (Sent, Pending, Submitted, Buffered, Scheduled, anything new) still pending.
DeliveryState yubotoState(std::string word) {
    for (char& c : word) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (word == "delivered" || word == "seen") {
        return DeliveryState::Delivered;
    }
    for (const char* failed : {"not delivered", "undelivered", "unknown", "error", "expired",
                               "failed", "rejected", "canceled", "cancelled", "deleted"}) {
        if (word == failed) {
            return DeliveryState::Failed;
        }
    }
    return DeliveryState::Pending;
}

// A callback: GET callbackUrl?sender&receiver&messageId&statusCode&statusDescription&dlrDate
// &channel&option1&option2.
std::vector<DeliveryReport> readCallback(const core::ServerRequest& request) {
    Json raw = Json::object();
    for (const auto& [key, value] : request.query) {
        raw[key] = value;
    }
    const core::JsonFields fields(raw, "callback", core::JsonOrigin::Response);
    DeliveryReport report;
    report.gatewayId = fields.requireString("messageId");
    report.reference = fields.optionalString("option1").value_or("");
    report.status = fields.optionalString("statusDescription")
                        .value_or(fields.optionalString("statusCode").value_or(""));
    if (report.status.empty()) {
        fields.fail("statusDescription", "is missing: no state to read");
    }
    report.state = yubotoState(report.status);
    report.raw = raw;
    return {report};
}

} // namespace

YubotoGateway::YubotoGateway(SmsSettings settings, std::string apiKey)
    : settings_(std::move(settings))
    , http_(settings_.url, settings_.http, SmsSettings::settingName("url")) {
    const core::SectionCheck check("sms");
    check.required("api_key", apiKey, "the API key of the Yuboto OMNI account");
    check.plainToken("api_key", apiKey);
    authorization_ = core::basicAuthorization(apiKey);
}

Json YubotoGateway::sendBody(const PreparedSms& sms, const std::string& reference,
                             const SmsSettings& settings) {
    Json body{{"phonenumbers", sms.to.substr(1)},
              {"dlr", !settings.callbackUrl.empty()},
              {"option1", reference},
              {"sms",
               {{"sender", settings.sender},
                {"text", sms.text},
                {"typesms", sms.length.unicode ? "unicode" : "sms"},
                {"longsms", sms.length.parts > 1}}}};
    if (!settings.callbackUrl.empty()) {
        body["callbackUrl"] = settings.callbackUrl;
    }
    return body;
}

// A 4xx (credentials, shape, 429) or a 200 with ErrorCode other than 0: not taken. A 5xx, or a 2xx
// without ErrorCode 0 and Message[0].id: it may have been taken (the message names what is
// missing).
SmsAccepted YubotoGateway::readAnswer(const core::HttpResponse& response, const PreparedSms& sms) {
    const auto reason = [](const core::HttpResponse& refusal) {
        return core::answerSummary(refusal);
    };
    return readSendAnswer(title, response, reason, [&](const core::JsonFields& fields) {
        const auto code = fields.optionalInteger("ErrorCode");
        if (!code) {
            fields.fail("ErrorCode", "is missing");
        }
        if (*code != 0) {
            const auto message = fields.optionalScalarText("ErrorMessage").value_or("");
            throw SmsRefused(title, response.status,
                             "ErrorCode " + std::to_string(*code) +
                                 (message.empty() ? "" : ": " + core::redactSecrets(message)));
        }
        const Json& messages = fields.require("Message");
        if (!messages.is_array() || messages.empty()) {
            fields.fail("Message", "is not a list of the messages sent");
        }
        return acceptedMessage(
            core::JsonFields(messages.front(), "answer.Message[0]", core::JsonOrigin::Response),
            "id", sms.length.parts);
    });
}

SmsAccepted YubotoGateway::send(const SmsMessage& message, const core::HttpObserver& record) {
    const PreparedSms sms = prepareSms(message, settings_);
    core::HttpRequest request =
        core::HttpRequest::json("POST", sendPath, sendBody(sms, message.reference, settings_));
    request.header("Authorization", authorization_);
    request.header("Accept", "application/json");
    return readAnswer(http_.send(request, record), sms);
}

std::optional<DeliveryReport> YubotoGateway::deliveryOf(const std::string& gatewayId,
                                                        const core::HttpObserver& record) {
    core::HttpRequest request = core::HttpRequest::json("POST", dlrPath, Json{{"id", gatewayId}});
    request.header("Authorization", authorization_);
    request.header("Accept", "application/json");
    const core::HttpResponse response = http_.send(request, record);
    if (!response.ok()) {
        throw SmsRefused(title, response.status,
                         "the delivery look-up: " + core::answerSummary(response));
    }
    const Json answer = response.json("Dlr");
    const core::JsonFields fields(answer, "Dlr", core::JsonOrigin::Response);
    if (fields.optionalInteger("ErrorCode").value_or(0) != 0) {
        throw SmsRefused(title, response.status,
                         "the delivery look-up: ErrorCode " +
                             std::to_string(*fields.optionalInteger("ErrorCode")));
    }
    const Json& reports = fields.require("dlr");
    if (!reports.is_array() || reports.empty()) {
        fields.fail("dlr", "is not a list of delivery reports");
    }
    const core::JsonFields first(reports.front(), "Dlr.dlr[0]", core::JsonOrigin::Response);
    DeliveryReport report;
    report.gatewayId = gatewayId;
    report.status = first.requireString("status");
    report.state = yubotoState(report.status);
    report.raw = reports.front();
    return report;
}

void registerGateway(SmsGatewayRegistry& registry) {
    SmsGatewayModule module;
    module.name = "yuboto";
    module.title = "Yuboto OMNI";
    module.defaultUrl = defaultUrl;
    module.keys = {"api_key"};
    module.make = [](const core::Config& config, SmsSettings settings, const core::Clock&) {
        return std::make_unique<YubotoGateway>(std::move(settings),
                                               config.getOr("sms.api_key", ""));
    };
    module.readReports = readCallback;
    registry.add(std::move(module));
}

} // namespace fiscpos::sms::yuboto
