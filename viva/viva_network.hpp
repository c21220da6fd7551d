// Viva as fiscpos networks: the Cloud Terminal API (nsp = viva), the legacy Orders per Source
// flow (nsp = viva-orders) and the Local Terminal API (nsp = viva-local), read from a
// [terminal.NAME] section.
#pragma once

#include "core/config.hpp"
#include "network/network_module.hpp"
#include "viva/viva_settings.hpp"

#include <string>

namespace fiscpos::viva {

// environment (demo | live: the three hosts), accounts_url, api_url, legacy_url (each overrides
// its host), client_id, client_secret, scope, merchant_id, api_key, terminal_id, tid,
// cash_register, provider_id, source_code, customer_text, currency, register_grace_seconds,
// order_timeout_seconds,
// ca_file, connect_timeout_ms, read_timeout_ms. Nothing is checked here beyond the numbers' range:
// the terminal validates what it needs (ConfigError naming "terminal.NAME.<setting>").
VivaSettings vivaSettings(const core::Config& config, const std::string& name);

// Adds nsp = viva, nsp = viva-orders and nsp = viva-local (the Local Terminal API on the LAN,
// local_terminal.hpp).
void registerNetworks(network::NetworkRegistry& registry);

} // namespace fiscpos::viva
