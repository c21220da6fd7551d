#include "sms/sms_gateway.hpp"

#include "core/body_quote.hpp"
#include "core/section_check.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace fiscpos::sms {

namespace {

constexpr const char* section = "sms";
constexpr std::size_t maxReference = 40;

// The keys of [sms] every gateway reads, its HTTP options among them.
constexpr std::array<std::string_view, 9> commonKeys{
    "gateway",        "url",          "sender",  "encoding",
    "max_parts",      "callback_url", "ca_file", "connect_timeout_ms",
    "read_timeout_ms"};

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool isAlphanumeric(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isalnum(c) != 0 && c < 0x80; });
}

// Every key of [sms] is one the gateway `module` reads.
void refuseUnknownKeys(const core::Config& config, const SmsGatewayModule& module) {
    for (const auto& written : config.sections(section)) {
        const std::string key = lowered(written);
        const bool common =
            std::find(commonKeys.begin(), commonKeys.end(), key) != commonKeys.end();
        const bool own =
            std::find(module.keys.begin(), module.keys.end(), key) != module.keys.end();
        if (!common && !own) {
            std::string known;
            for (const auto name : commonKeys) {
                known += std::string(known.empty() ? "" : ", ") + std::string(name);
            }
            for (const auto& name : module.keys) {
                known += ", " + name;
            }
            throw core::ConfigError(SmsSettings::settingName(written),
                                    "is not a setting of gateway = " + module.name + " (it reads " +
                                        known + ")");
        }
    }
}

SmsEncoding encodingSetting(const core::Config& config) {
    const std::string key = SmsSettings::settingName("encoding");
    const std::string value = config.getOr(key, "ucs2");
    for (const auto encoding : {SmsEncoding::Ucs2, SmsEncoding::Gsm7GreekCaps}) {
        if (value == encodingName(encoding)) {
            return encoding;
        }
    }
    throw core::ConfigError(key, "\"" + value +
                                     "\" is not ucs2 (any text, 70 characters an SMS) or "
                                     "gsm7-greek-caps (Greek in capitals, 160 an SMS)");
}

SmsSettings commonSettings(const core::Config& config, const SmsGatewayModule& module,
                           core::HttpOptions http) {
    const core::SectionCheck check(section);
    SmsSettings settings;
    settings.gateway = module.name;
    settings.http = std::move(http);
    settings.url = config.getOr(SmsSettings::settingName("url"), module.defaultUrl);
    check.serverUrl("url", settings.url, "(" + module.title + ": " + module.defaultUrl + ")");

    settings.sender = config.getOr(SmsSettings::settingName("sender"), "");
    check.required("sender", settings.sender,
                   "the sender id registered with " + module.title +
                       " (Latin letters and digits, at most 11)");
    if (core::allDigits(settings.sender)) {
        if (settings.sender.size() > 20) {
            check.fail("sender", "a numeric sender id has at most 20 digits");
        }
    } else if (!isAlphanumeric(settings.sender) || settings.sender.size() > 11) {
        check.fail("sender", "\"" + settings.sender +
                                 "\" is not a sender id: Latin letters and digits only, no "
                                 "blanks, at most 11 (or a number of at most 20 digits)");
    }
    settings.encoding = encodingSetting(config);
    settings.maxParts = config.getInt(SmsSettings::settingName("max_parts"), 2, 1, 10);
    settings.callbackUrl = config.getOr(SmsSettings::settingName("callback_url"), "");
    if (!settings.callbackUrl.empty()) {
        core::checkServerUrl(settings.callbackUrl, SmsSettings::settingName("callback_url"));
    }
    return settings;
}

} // namespace

SmsRefused::SmsRefused(const std::string& gateway, int status, std::string reason)
    : core::Error("sms_refused", gateway + " did not accept the SMS (" + reason +
                                     "); nothing was sent, sending it again is safe")
    , status_(status)
    , reason_(std::move(reason)) {}

PreparedSms prepareSms(const SmsMessage& message, const SmsSettings& settings) {
    PreparedSms prepared;
    prepared.to = normalisedNumber(message.to, "sms.to");
    if (message.reference.empty() || message.reference.size() > maxReference ||
        !std::all_of(message.reference.begin(), message.reference.end(), [](unsigned char c) {
            return (std::isalnum(c) != 0 && c < 0x80) || c == '.' || c == '_' || c == '-';
        })) {
        throw core::InputError("sms.reference",
                               "\"" + message.reference +
                                   "\" is not an outbox id: 1 to 40 of A-Z a-z 0-9 . _ -");
    }
    if (message.text.empty()) {
        throw core::InputError("sms.text", "is empty");
    }
    prepared.text = wireText(message.text, settings.encoding);
    prepared.length = smsLength(message.text, settings.encoding);
    if (prepared.length.parts > settings.maxParts) {
        throw core::InputError("sms.text", "takes " + std::to_string(prepared.length.parts) +
                                               " SMS parts (" +
                                               std::to_string(prepared.length.characters) +
                                               (prepared.length.unicode ? " UCS-2" : " GSM-7") +
                                               " characters), more than max_parts = " +
                                               std::to_string(settings.maxParts) + " in [sms]");
    }
    return prepared;
}

SmsAccepted
readSendAnswer(const std::string& title, const core::HttpResponse& response,
               const std::function<std::string(const core::HttpResponse&)>& refusalReason,
               const std::function<SmsAccepted(const core::JsonFields&)>& read) {
    if (response.status >= 400 && response.status < 500) {
        throw SmsRefused(title, response.status, refusalReason(response));
    }
    const auto unknown = [&](const std::string& why) {
        return SmsOutcomeUnknown(title + " answered " + why +
                                 "; the SMS may have been sent, so fiscpos does not send it "
                                 "again by itself");
    };
    if (!response.ok()) {
        throw unknown(core::answerSummary(response));
    }
    try {
        const core::Json answer = response.json(title + "'s answer");
        return read(core::JsonFields(answer, "answer", core::JsonOrigin::Response));
    } catch (const core::ResponseError& e) {
        throw unknown(std::to_string(response.status) + " that fiscpos cannot read (" + e.what() +
                      ")");
    }
}

SmsAccepted acceptedMessage(const core::JsonFields& answer, std::string_view idKey, int parts) {
    SmsAccepted accepted;
    accepted.gatewayId = answer.firstText({idKey});
    if (accepted.gatewayId.empty()) {
        answer.fail(idKey, "is missing: the gateway's id of the message");
    }
    accepted.status = answer.optionalScalarText("status").value_or("");
    accepted.parts = parts;
    return accepted;
}

void SmsGatewayRegistry::add(SmsGatewayModule module) {
    if (find(module.name) != nullptr) {
        throw std::logic_error("two SMS gateways registered as " + module.name);
    }
    modules_.push_back(std::move(module));
}

const SmsGatewayModule* SmsGatewayRegistry::find(std::string_view name) const {
    const auto it =
        std::find_if(modules_.begin(), modules_.end(),
                     [&](const SmsGatewayModule& module) { return module.name == name; });
    return it == modules_.end() ? nullptr : &*it;
}

std::string SmsGatewayRegistry::list() const {
    std::string text;
    for (const auto& module : modules_) {
        text += (text.empty() ? "" : ", ") + module.name;
    }
    return text;
}

const char* deliveryStateName(DeliveryState state) {
    switch (state) {
    case DeliveryState::Delivered:
        return "DELIVERED";
    case DeliveryState::Failed:
        return "FAILED";
    case DeliveryState::Pending:
        return "PENDING";
    }
    return "PENDING";
}

const SmsGatewayModule& smsGatewayModule(const core::Config& config) {
    const auto& gateways = builtinGateways();
    if (config.sections(section).empty()) {
        throw core::ConfigError(section, "is missing: add an [sms] section with gateway = " +
                                             gateways.list() + ", sender and its credentials");
    }
    const std::string key = SmsSettings::settingName("gateway");
    const std::string name = config.require(key);
    const SmsGatewayModule* module = gateways.find(name);
    if (module == nullptr) {
        throw core::ConfigError(key,
                                "\"" + name + "\" is not an SMS gateway (" + gateways.list() + ")");
    }
    return *module;
}

std::unique_ptr<SmsGateway> smsGatewayFromConfig(const core::Config& config, core::HttpOptions http,
                                                 const core::Clock& clock) {
    const SmsGatewayModule& module = smsGatewayModule(config);
    refuseUnknownKeys(config, module);
    return module.make(config, commonSettings(config, module, std::move(http)), clock);
}

} // namespace fiscpos::sms
