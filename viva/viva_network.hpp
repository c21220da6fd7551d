// The Viva settings of a [terminal.NAME] section with nsp = viva (Cloud Terminal API) or
// nsp = viva-orders (the legacy Orders per Source flow).
#pragma once

#include "plugin/config.hpp"
#include "viva/viva_settings.hpp"

#include <string>

namespace fiscpos::plugin {

// environment (demo | live: the three hosts), accounts_url, api_url, legacy_url (each overrides
// its host), client_id, client_secret, scope, merchant_id, api_key, terminal_id, tid,
// cash_register, provider_id, source_code, customer_text, currency, register_grace_seconds,
// order_timeout_seconds,
// ca_file, connect_timeout_ms, read_timeout_ms. Nothing is checked here beyond the numbers' range:
// the terminal validates what it needs (ConfigError naming "terminal.NAME.<setting>").
viva::VivaSettings vivaSettings(const Config& config, const std::string& name);

} // namespace fiscpos::plugin
