#include "viva/webhook_receiver.hpp"

#include "core/errors.hpp"
#include "viva/legacy_client.hpp"
#include "viva/viva_network.hpp"
#include "viva/webhook.hpp"

#include <algorithm>

namespace fiscpos::viva {

namespace {

std::string accountId(const VivaSettings& settings) {
    return settings.legacyUrl + "\n" + settings.merchantId;
}

} // namespace

VivaWebhookReceiver::VivaWebhookReceiver(const core::Config& config) {
    for (const auto& name : config.sections("terminal")) {
        const std::string nsp = config.getOr("terminal." + name + ".nsp", "");
        if (nsp != "viva" && nsp != "viva-orders") {
            continue;
        }
        VivaSettings settings = vivaSettings(config, name);
        if (!settings.merchantId.empty() && !settings.apiKey.empty()) {
            const bool known = std::any_of(accounts_.begin(), accounts_.end(), [&](const auto& a) {
                return accountId(a.settings) == accountId(settings);
            });
            if (!known) {
                accounts_.push_back(Account{name, settings});
            }
        }
        terminals_.emplace(name, std::move(settings));
    }
}

bool VivaWebhookReceiver::serves(const std::string& terminal) const {
    return terminals_.contains(terminal);
}

std::vector<std::string> VivaWebhookReceiver::pathsToRegister(std::string& why) const {
    if (accounts_.empty()) {
        why = "no [terminal.NAME] with nsp = viva or viva-orders has merchant_id and api_key (the "
              "verification key needs them)";
        return {};
    }
    if (accounts_.size() == 1) {
        return {"{webhook_token}"};
    }
    std::vector<std::string> paths;
    for (const auto& account : accounts_) {
        paths.push_back(account.terminal + "/{webhook_token}");
    }
    return paths;
}

const VivaWebhookReceiver::Account&
VivaWebhookReceiver::accountFor(const std::string& terminal) const {
    if (!terminal.empty()) {
        const auto settings = terminals_.find(terminal);
        if (settings != terminals_.end()) {
            for (const auto& account : accounts_) {
                if (accountId(account.settings) == accountId(settings->second)) {
                    return account;
                }
            }
        }
        throw core::ConfigError("terminal." + terminal,
                                "has no merchant_id and api_key for the verification key");
    }
    if (accounts_.size() == 1) {
        return accounts_.front();
    }
    throw core::ConfigError(
        "terminal", accounts_.empty()
                        ? "no [terminal.NAME] with nsp = viva or viva-orders has merchant_id and "
                          "api_key"
                        : std::to_string(accounts_.size()) +
                              " Viva accounts are configured: register "
                              "/webhooks/viva/{terminal}/{token} in each account instead");
}

core::Json VivaWebhookReceiver::verification(const std::string& terminal) {
    const Account& account = accountFor(terminal);
    std::lock_guard lock(keyMutex_);
    const std::string id = accountId(account.settings);
    auto cached = keys_.find(id);
    if (cached == keys_.end()) {
        LegacyClient client(account.settings);
        cached = keys_.emplace(id, client.webhookKey()).first;
    }
    return webhookKeyAnswer(cached->second);
}

network::WebhookNotice VivaWebhookReceiver::read(std::string_view body) const {
    const WebhookEvent event = parseWebhookEvent(body);
    network::WebhookNotice notice;
    notice.messageId = event.messageId;
    notice.description = "message " + (event.messageId.empty() ? "-" : event.messageId) +
                         " event " + std::to_string(event.eventTypeId) + " (" +
                         std::string(webhookKindName(event.kind)) + ")";
    notice.payment = event.handled();
    notice.reference = event.reference;
    notice.instead = "MerchantTrns \"" + event.merchantTrns + "\"";
    return notice;
}

} // namespace fiscpos::viva
