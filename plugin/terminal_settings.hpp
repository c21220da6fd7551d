// The [terminal.NAME] sections of the configuration, turned into the terminals the PaymentService
// drives. One section per POS, named as the ERP names its payment method.
#pragma once

#include "core/clock.hpp"
#include "plugin/config.hpp"
#include "plugin/mellon_settings.hpp"
#include "plugin/terminal_binding.hpp"

#include <map>
#include <string>

namespace fiscpos::plugin {

// Every configured terminal. ConfigError naming the setting for a section that cannot work (an
// unknown nsp, a network that is not supported yet, a missing tid).
std::map<std::string, TerminalBinding> terminalsFromConfig(const Config& config,
                                                           const core::Clock& clock);

} // namespace fiscpos::plugin
