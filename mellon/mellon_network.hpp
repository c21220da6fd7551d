// The WebECR settings of a [terminal.NAME] section with nsp = mellon.
#pragma once

#include "mellon/webecr_settings.hpp"
#include "plugin/config.hpp"

#include <string>

namespace fiscpos::plugin {

// url, path_prefix, api_version, username, password, api_key, pos_id, tid, provider_id,
// wait_seconds (0..180: how long txninit may hold its answer), ca_file, connect_timeout_ms,
// read_timeout_ms. A value out of range is a ConfigError naming the setting.
// withApiKey false leaves api_key unread (pairing replaces it, and a "${NAME}" reference to a
// variable not set yet must not stop it).
mellon::WebEcrSettings webEcrSettings(const Config& config, const std::string& name,
                                      bool withApiKey = true);

} // namespace fiscpos::plugin
