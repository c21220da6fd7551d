#include "viva/viva_settings.hpp"

#include "core/errors.hpp"

namespace fiscpos::viva {

void checkSettings(const VivaSettings& settings) {
    const auto require = [&](const char* key, const std::string& value) {
        if (value.empty()) {
            throw core::ConfigError(settings.section + "." + key, "is missing");
        }
    };
    require("accounts_url", settings.accountsUrl);
    require("api_url", settings.apiUrl);
    require("client_id", settings.clientId);
    require("client_secret", settings.clientSecret);
    require("terminal_id", settings.terminalId);
    require("tid", settings.tid);
    require("cash_register", settings.cashRegister);
}

} // namespace fiscpos::viva
