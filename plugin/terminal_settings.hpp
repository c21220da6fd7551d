// The [terminal.NAME] sections of the configuration, turned into the terminals the PaymentService
// drives. One section per POS, named as the ERP names its payment method.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "plugin/terminal_binding.hpp"

#include <map>
#include <string>

namespace fiscpos::plugin {

// Every configured terminal, checked for payments before anything is written or signed. A section
// that cannot work (an unknown nsp, a tid that is not digits, a URL setting left empty, plain
// http to a host other than loopback, or a setting its network needs for a payment: Mellon's
// api_key, pos_id and provider_id, Viva's terminal_id and cash_register, GP tom's
// provider_id...) is kept with its ConfigError naming the setting as `unusable`, thrown when the
// terminal is used; the other terminals work. A GP tom terminal whose A.1155 support GP has not
// confirmed loads; its admit() refuses sales.
std::map<std::string, TerminalBinding> terminalsFromConfig(const core::Config& config,
                                                           const core::Clock& clock);

// The terminal of [terminal.NAME] checked only for its network account (for listing the
// account's devices while the section is being filled in). InputError naming "terminal" when
// there is no such section.
TerminalBinding accountTerminalFromConfig(const core::Config& config, const std::string& name,
                                          const core::Clock& clock);

} // namespace fiscpos::plugin
