// The [terminal.NAME] sections of the configuration, turned into the terminals the PaymentService
// drives. One section per POS, named as the ERP names its payment method.
#pragma once

#include "core/clock.hpp"
#include "mellon/webecr_settings.hpp"
#include "plugin/config.hpp"
#include "plugin/terminal_binding.hpp"

#include <map>
#include <string>

namespace fiscpos::plugin {

// The WebECR settings of a [terminal.NAME] section with nsp = mellon: url, path_prefix,
// api_version, username, password, api_key, pos_id, tid, provider_id, ca_file,
// connect_timeout_ms, read_timeout_ms.
mellon::WebEcrSettings webEcrSettings(const Config& config, const std::string& name);

// Every configured terminal. ConfigError naming the setting for a section that cannot work (an
// unknown nsp, a network that is not supported yet, a missing tid).
std::map<std::string, TerminalBinding> terminalsFromConfig(const Config& config,
                                                           const core::Clock& clock);

} // namespace fiscpos::plugin
