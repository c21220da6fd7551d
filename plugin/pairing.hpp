// Pairing a terminal whose network pairs by a code (network::Pairing), for the `fiscpos pair`
// command and the C ABI's "pair": the code the terminal shows is redeemed with the account of
// [terminal.NAME], and the key it gives is written (as the network's key setting, api_key) into
// that section of the configuration file, every other line kept as it was. The key is never
// returned; it is printed (through the progress callback, to the installer only) when api_key is a
// "${NAME}" reference, which is kept: the installer is told to set NAME to the new key.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/terminal.hpp"
#include "network/network_module.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fiscpos::plugin {

// The network of [terminal.NAME] when it pairs by a code; an InputError naming `field` (no such
// section) or a ConfigError naming the nsp setting otherwise.
const network::NetworkModule& pairedNetwork(const core::Config& config, const std::string& name,
                                            const std::string& field);

// Redeems `code` (spaces and dashes ignored) and saves the API key. Errors name the field
// ("code", the terminal's settings) or are the network's (a code already used or expired).
void pairTerminal(const std::filesystem::path& configFile, const std::string& terminal,
                  std::string code, const std::function<void(const std::string&)>& progress);

// The devices the network of [terminal.NAME] reports for its account, for an installer filling
// in the section: {"devices": [{"id", "tid", "name", "status", "configured", the network's
// setting for the id ("pos_id": ...) and what else it says of the device}], "hint": how a device
// goes into the section}. "configured" marks the device the section names.
core::Json networkDevices(const core::Config& config, const std::string& name,
                          const core::Clock& clock);

} // namespace fiscpos::plugin
