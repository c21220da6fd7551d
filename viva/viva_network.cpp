#include "viva/viva_network.hpp"

#include "viva/local_terminal.hpp"
#include "viva/orders_terminal.hpp"
#include "viva/viva_terminal.hpp"
#include "viva/webhook_receiver.hpp"

namespace fiscpos::viva {

VivaSettings vivaSettings(const core::Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    VivaSettings settings;
    settings.section = section;
    VivaHosts hosts;
    if (const auto environment = config.get(section + ".environment")) {
        hosts = hostsOf(*environment, section + ".environment");
    }
    settings.accountsUrl = config.getOr(section + ".accounts_url", hosts.accounts);
    settings.apiUrl = config.getOr(section + ".api_url", hosts.api);
    settings.legacyUrl = config.getOr(section + ".legacy_url", hosts.legacy);
    settings.clientId = config.getOr(section + ".client_id", "");
    settings.clientSecret = config.getOr(section + ".client_secret", "");
    settings.scope = config.getOr(section + ".scope", "");
    settings.merchantId = config.getOr(section + ".merchant_id", "");
    settings.apiKey = config.getOr(section + ".api_key", "");
    settings.terminalId = config.getOr(section + ".terminal_id", "");
    settings.tid = config.getOr(section + ".tid", "");
    settings.cashRegister = config.getOr(section + ".cash_register", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.sourceCode = config.getOr(section + ".source_code", "");
    settings.customerText = config.getOr(section + ".customer_text", "");
    settings.currencyCode = config.getInt(section + ".currency", 978, 1, 999);
    settings.registerGrace =
        std::chrono::seconds(config.getInt(section + ".register_grace_seconds", 15, 0, 120));
    settings.orderTimeout =
        std::chrono::seconds(config.getInt(section + ".order_timeout_seconds", 180, 30, 86400));
    settings.preload = config.getBool(section + ".preload", false);
    settings.http = core::httpOptions(config, section);
    return settings;
}

void registerNetworks(network::NetworkRegistry& registry) {
    network::NetworkModule cloud;
    cloud.nsp = "viva";
    cloud.title = "Viva Cloud Terminal API";
    cloud.signatureNsp = network::alwaysSignsAs(signing::Nsp::Viva);
    cloud.terminal = [](const core::Config& config, const std::string& name,
                        const core::Clock& clock, network::TerminalUse use) {
        const auto settings = vivaSettings(config, name);
        settings.validate(use == network::TerminalUse::Payments ? VivaSettings::Need::Payments
                                                                : VivaSettings::Need::Account);
        return std::make_shared<VivaTerminal>(settings, clock);
    };
    cloud.devicesIdSetting = "terminal_id";
    cloud.devicesHint = "set the device's TID as tid and its ID as terminal_id in the section";
    // One receiver for the account's events, of nsp = viva and viva-orders terminals alike.
    cloud.webhooks = [](const core::Config& config) {
        return std::make_unique<VivaWebhookReceiver>(config);
    };
    registry.add(std::move(cloud));

    network::NetworkModule orders;
    orders.nsp = "viva-orders";
    orders.title = "Viva Orders per Source";
    orders.signatureNsp = network::alwaysSignsAs(signing::Nsp::Viva);
    orders.terminal = [](const core::Config& config, const std::string& name,
                         const core::Clock& clock, network::TerminalUse use) {
        const auto settings = vivaSettings(config, name);
        if (use == network::TerminalUse::Payments) {
            settings.validate(VivaSettings::Need::Orders);
        }
        return std::make_shared<OrdersTerminal>(settings, clock);
    };
    orders.devicesHint = "set the device's TID as tid in the section";
    registry.add(std::move(orders));

    network::NetworkModule local;
    local.nsp = "viva-local";
    local.title = "Viva Local Terminal API";
    local.signatureNsp = network::alwaysSignsAs(signing::Nsp::Viva);
    local.terminal = [](const core::Config& config, const std::string& name,
                        const core::Clock& clock, network::TerminalUse use) {
        const auto settings = local::localSettings(config, name);
        settings.validate(use == network::TerminalUse::Payments);
        return std::make_shared<local::LocalTerminal>(settings, clock);
    };
    local.devicesHint = "the section names the terminal by its url and tid";
    registry.add(std::move(local));
}

} // namespace fiscpos::viva
