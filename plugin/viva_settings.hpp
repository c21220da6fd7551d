// The Viva settings of a [terminal.NAME] section with nsp = viva or viva-orders.
#pragma once

#include "plugin/config.hpp"
#include "viva/viva_settings.hpp"

#include <string>

namespace fiscpos::plugin {

// accounts_url, api_url, client_id, client_secret, terminal_id, tid, cash_register, provider_id,
// ca_file, connect_timeout_ms, read_timeout_ms.
viva::VivaSettings vivaSettings(const Config& config, const std::string& name);

} // namespace fiscpos::plugin
