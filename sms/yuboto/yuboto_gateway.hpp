// Yuboto OMNI (contract receipt-delivery.md §5): one POST {url}/omni/v1/Send per message with
// "Authorization: Basic base64(api_key)"; the answer's ErrorCode 0 and Message[0].id say it was
// taken. [sms] gateway = yuboto reads api_key besides the common keys.
#pragma once

#include "core/http_client.hpp"
#include "sms/sms_gateway.hpp"

#include <string>

namespace fiscpos::sms::yuboto {

constexpr const char* defaultUrl = "https://services.yuboto.com";
constexpr const char* sendPath = "/omni/v1/Send";

class YubotoGateway final : public SmsGateway {
public:
    // ConfigError naming "sms.api_key" when the key is empty or not a plain token.
    YubotoGateway(SmsSettings settings, std::string apiKey);

    const std::string& name() const override { return name_; }
    const SmsSettings& settings() const override { return settings_; }
    SmsAccepted send(const SmsMessage& message, const core::HttpObserver& record = {}) override;
    // POST {url}/omni/v1/Dlr {"id"}: the state of the message as Yuboto knows it now.
    std::optional<DeliveryReport> deliveryOf(const std::string& gatewayId,
                                             const core::HttpObserver& record = {}) override;

    // The body of the Send request: phonenumbers without '+', option1 = the reference, sms
    // {sender, text, typesms "unicode" or "sms", longsms when more than one part}, and dlr with
    // callbackUrl when the settings give one.
    static core::Json sendBody(const PreparedSms& sms, const std::string& reference,
                               const SmsSettings& settings);
    // What the answer means (see send()).
    static SmsAccepted readAnswer(const core::HttpResponse& response, const PreparedSms& sms);

private:
    const std::string name_ = "yuboto";
    SmsSettings settings_;
    std::string authorization_;
    core::HttpClient http_;
};

// Adds gateway = yuboto to `registry`.
void registerGateway(SmsGatewayRegistry& registry);

} // namespace fiscpos::sms::yuboto
