// Mellon WebECR as a fiscpos network (nsp = mellon): the settings of its [terminal.NAME] section,
// its terminal, and pairing by the code the terminal shows.
#pragma once

#include "core/config.hpp"
#include "mellon/webecr_settings.hpp"
#include "network/network_module.hpp"

#include <string>

namespace fiscpos::mellon {

// url, path_prefix, api_version, username, password, api_key, pos_id, tid, provider_id,
// wait_seconds (0..180: how long txninit may hold its answer), ca_file, connect_timeout_ms,
// read_timeout_ms. A value out of range is a ConfigError naming the setting.
// withApiKey false leaves api_key unread (pairing replaces it, and a "${NAME}" reference to a
// variable not set yet must not stop it).
WebEcrSettings webEcrSettings(const core::Config& config, const std::string& name,
                              bool withApiKey = true);

void registerNetwork(network::NetworkRegistry& registry);

} // namespace fiscpos::mellon
