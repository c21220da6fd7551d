// Routee (contract receipt-delivery.md §5): an OAuth2 client-credentials token from token_url
// ("Authorization: Basic base64(app_id:app_secret)", grant_type=client_credentials), then one
// POST {url}/sms per message under "Authorization: Bearer <token>"; the answer's trackingId says
// it was taken. A token is used until an hour's margin runs out; when Routee refuses it (401 or
// 403: the message was not taken) a new one is fetched once and the message sent once more.
// [sms] gateway = routee reads app_id, app_secret and token_url besides the common keys.
#pragma once

#include "core/clock.hpp"
#include "core/http_client.hpp"
#include "core/token_session.hpp"
#include "sms/sms_gateway.hpp"

#include <string>

namespace fiscpos::sms::routee {

constexpr const char* defaultUrl = "https://connect.routee.net";
constexpr const char* defaultTokenUrl = "https://auth.routee.net/oauth/token";

struct RouteeCredentials {
    std::string appId;
    std::string appSecret;
    std::string tokenUrl = defaultTokenUrl; // the whole URL of the token call
};

class RouteeGateway final : public SmsGateway {
public:
    // ConfigError naming "sms.app_id", "sms.app_secret" or "sms.token_url" when one cannot work.
    RouteeGateway(SmsSettings settings, RouteeCredentials credentials, const core::Clock& clock);

    const std::string& name() const override { return name_; }
    const SmsSettings& settings() const override { return settings_; }
    SmsAccepted send(const SmsMessage& message, const core::HttpObserver& record = {}) override;

    // The body of POST /sms: body, to (with '+'), from = sender, label = the reference, and
    // callback {url, strategy OnCompletion} when the settings give a callback_url.
    static core::Json sendBody(const PreparedSms& sms, const std::string& reference,
                               const SmsSettings& settings);
    // What the answer means (see send()).
    static SmsAccepted readAnswer(const core::HttpResponse& response, const PreparedSms& sms);
    // How many tokens this gateway has obtained.
    std::uint64_t tokensObtained() const { return tokens_.obtained(); }

private:
    core::BearerToken obtainToken(const core::HttpObserver& record);

    const std::string name_ = "routee";
    SmsSettings settings_;
    RouteeCredentials credentials_;
    const core::Clock& clock_;
    core::HttpClient tokenHttp_;
    core::HttpClient http_;
    core::TokenSession tokens_; // last: its login uses what comes before
};

// Adds gateway = routee to `registry`.
void registerGateway(SmsGatewayRegistry& registry);

} // namespace fiscpos::sms::routee
