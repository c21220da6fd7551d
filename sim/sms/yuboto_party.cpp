#include "sim/sms/yuboto_party.hpp"

#include "core/basic_authorization.hpp"
#include "core/errors.hpp"
#include "core/secret_compare.hpp"
#include "core/text.hpp"
#include "core/url_encoding.hpp"

namespace fiscpos::sim::sms {

namespace {

using core::Json;

constexpr std::int64_t invalidRequest = 5;
constexpr std::int64_t refusedByTest = 33;

// Yuboto's refusal: {"ErrorCode", "ErrorMessage", "Message": null}.
SimAnswerError yubotoError(int status, std::int64_t code, const std::string& message) {
    return SimAnswerError(
        status, Json{{"ErrorCode", code}, {"ErrorMessage", message}, {"Message", nullptr}});
}

bool boolField(const Json& object, const std::string& key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

YubotoParty::YubotoParty(YubotoPartyOptions options, const core::Clock& clock)
    : SmsGatewayParty("yuboto", options.prefix, clock)
    , options_(std::move(options)) {
    if (options_.apiKey.empty()) {
        throw core::ConfigError("yuboto.api_key", "must not be empty");
    }
}

void YubotoParty::authenticate(const SimRequest& request) {
    if (!core::secretEquals(request.header("Authorization"),
                            core::basicAuthorization(options_.apiKey))) {
        ++unauthenticated_;
        throw yubotoError(401, 401, "Unauthorized: the API key is not valid.");
    }
}

SimResponse YubotoParty::route(const SimRequest& request) {
    if (request.subpath == "/omni/v1/Send" || request.subpath == "/omni/v1/Dlr") {
        if (request.method != "POST") {
            return SimResponse::message(405, request.path + " takes POST.");
        }
        if (request.subpath == "/omni/v1/Dlr") {
            authenticate(request);
            return deliveryReport(request);
        }
        try {
            authenticate(request);
            return sendMessage(request);
        } catch (const SimAnswerError&) {
            refused();
            throw;
        }
    }
    return SimResponse::message(404, "No such Yuboto endpoint: " + request.path);
}

SimResponse YubotoParty::sendMessage(const SimRequest& request) {
    const auto invalid = [](const std::string& text) {
        return yubotoError(400, invalidRequest, text);
    };
    const Json body =
        readJsonObject(request.body, "Send", false,
                       "The body is not JSON: ", "The body is not a JSON object.", invalid);
    const std::string numbers = textField(body, "phonenumbers");
    if (!core::allDigits(numbers)) {
        throw invalid("phonenumbers must be the number's digits with its country code, without "
                      "'+'.");
    }
    const auto sms = body.find("sms");
    if (sms == body.end() || !sms->is_object()) {
        throw invalid("sms is required.");
    }
    const std::string sender = textField(*sms, "sender");
    const std::string text = textField(*sms, "text");
    const std::string type = textField(*sms, "typesms");
    if (sender.empty() || sender.size() > 20) {
        throw invalid("sms.sender is required (at most 11 characters, or 20 digits).");
    }
    if (text.empty() || text.size() > 2000 * 4) {
        throw invalid("sms.text is required (at most 2000 characters).");
    }
    if (type != "sms" && type != "unicode" && type != "flash") {
        throw invalid("sms.typesms must be sms, flash or unicode.");
    }
    const bool dlr = boolField(body, "dlr");
    const std::string callbackUrl = textField(body, "callbackUrl");
    if (dlr && callbackUrl.empty()) {
        throw invalid("callbackUrl is required when dlr is true.");
    }
    if (const auto refusal = takeRefusal()) {
        refused();
        const auto code = refusal->value("error_code", Json(refusedByTest));
        return SimResponse::json(
            200, Json{{"ErrorCode", code.is_number_integer() ? code : Json(refusedByTest)},
                      {"ErrorMessage",
                       refusal->value("message", std::string("Refused by the simulator."))},
                      {"Message", nullptr}});
    }

    const bool unicode = type == "unicode";
    SimSms message;
    message.to = numbers;
    message.text = boolField(*sms, "longsms") ? text : simOnePart(text, unicode);
    message.reference = textField(body, "option1");
    message.parts = simSmsLength(message.text, unicode).parts;
    message.unicode = unicode;
    message.callbackUrl = dlr ? callbackUrl : "";
    const SimSms accepted = accept(std::move(message));
    return SimResponse::json(200, Json{{"ErrorCode", 0},
                                       {"ErrorMessage", ""},
                                       {"Message", Json::array({Json{{"id", accepted.id},
                                                                     {"channel", "sms"},
                                                                     {"phonenumber", numbers},
                                                                     {"status", "Submitted"}}})}});
}

std::vector<SmsGatewayParty::Callback>
YubotoParty::deliveryCallbacks(const SimSms& message, const std::string& status) const {
    const core::FormFields query{{"sender", "KAFEALFA"},
                                 {"receiver", message.to},
                                 {"messageId", message.id},
                                 {"statusCode", status == "Delivered" ? "1" : "2"},
                                 {"statusDescription", status},
                                 {"dlrDate", core::utcIso8601(clock_.now())},
                                 {"channel", "sms"},
                                 {"option1", message.reference},
                                 {"option2", ""}};
    const char* join = message.callbackUrl.find('?') == std::string::npos ? "?" : "&";
    return {{"GET", message.callbackUrl + join + core::formEncoded(query), ""}};
}

SimResponse YubotoParty::deliveryReport(const SimRequest& request) {
    ++dlrQueries_;
    const auto invalid = [](const std::string& text) {
        return yubotoError(400, invalidRequest, text);
    };
    const Json body =
        readJsonObject(request.body, "Dlr", false,
                       "The body is not JSON: ", "The body is not a JSON object.", invalid);
    const auto message = find(textField(body, "id"));
    if (!message) {
        throw yubotoError(200, 24, "No message with this id.");
    }
    const bool delivered = clock_.now() >= message->acceptedAt + options_.deliverAfter;
    const std::string status = !message->reported.empty() ? message->reported
                               : delivered                ? "Delivered"
                                                          : "Sent";
    Json report{
        {"channel", "sms"},
        {"status", status},
        {"cost", 1},
        {"submitDate", core::utcIso8601(message->acceptedAt)},
        {"dlrDate", delivered ? Json(core::utcIso8601(message->acceptedAt + options_.deliverAfter))
                              : Json(nullptr)}};
    return SimResponse::json(
        200, Json{{"ErrorCode", 0}, {"ErrorMessage", ""}, {"dlr", Json::array({report})}});
}

} // namespace fiscpos::sim::sms
