// Viva's webhooks as `serve` receives them (network::WebhookReceiver): the events of every
// [terminal.NAME] with nsp = viva or viva-orders, and the verification key of each Viva account
// (distinct legacy_url and merchant_id with an api_key), fetched once and kept.
#pragma once

#include "network/network_module.hpp"
#include "viva/viva_settings.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fiscpos::viva {

class VivaWebhookReceiver final : public network::WebhookReceiver {
public:
    explicit VivaWebhookReceiver(const core::Config& config);

    bool serves(const std::string& terminal) const override;
    std::vector<std::string> pathsToRegister(std::string& why) const override;
    core::Json verification(const std::string& terminal) override;
    network::WebhookNotice read(std::string_view body) const override;

private:
    struct Account {
        std::string terminal; // the first [terminal.NAME] of this account
        VivaSettings settings;
    };
    const Account& accountFor(const std::string& terminal) const;

    std::map<std::string, VivaSettings> terminals_; // by name
    std::vector<Account> accounts_;                 // distinct legacy credentials
    std::mutex keyMutex_;                           // one fetch at a time
    std::map<std::string, std::string> keys_;       // by account
};

} // namespace fiscpos::viva
