#include "plugin/viva_settings.hpp"

#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

viva::VivaSettings vivaSettings(const Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    viva::VivaSettings settings;
    settings.section = section;
    viva::VivaHosts hosts;
    if (const auto environment = config.get(section + ".environment")) {
        hosts = viva::hostsOf(*environment, section + ".environment");
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
    settings.http = httpOptions(config, section);
    return settings;
}

} // namespace fiscpos::plugin
