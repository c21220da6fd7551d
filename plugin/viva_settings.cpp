#include "plugin/viva_settings.hpp"

#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

viva::VivaSettings vivaSettings(const Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    viva::VivaSettings settings;
    settings.section = section;
    settings.accountsUrl =
        config.getOr(section + ".accounts_url", "https://demo-accounts.vivapayments.com");
    settings.apiUrl = config.getOr(section + ".api_url", "https://demo-api.vivapayments.com");
    settings.clientId = config.getOr(section + ".client_id", "");
    settings.clientSecret = config.getOr(section + ".client_secret", "");
    settings.terminalId = config.getOr(section + ".terminal_id", "");
    settings.tid = config.getOr(section + ".tid", "");
    settings.cashRegister = config.getOr(section + ".cash_register", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.http = httpOptions(config, section);
    return settings;
}

} // namespace fiscpos::plugin
