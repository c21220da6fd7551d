// Pairing a Mellon WebECR terminal, for the `fiscpos pair` command and the C ABI's "pair": the
// code the terminal shows ("Link with 3rd party services") is redeemed with the integrator
// account of [terminal.NAME], and the API key it gives is written as api_key into that section of
// the configuration file, every other line kept as it was. The key is never returned; it is
// printed (through the progress callback, to the installer only) when api_key is a "${NAME}"
// reference, which is kept: the installer is told to set NAME to the new key.
#pragma once

#include "core/clock.hpp"
#include "core/terminal.hpp"
#include "plugin/config.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fiscpos::plugin {

// The name when the configuration has a [terminal.NAME] section with nsp = mellon; an InputError
// naming `field` (no such section) or a ConfigError naming the nsp setting otherwise.
std::string mellonTerminalName(const Config& config, const std::string& name,
                               const std::string& field);

// Redeems `code` (spaces and dashes ignored) and saves the API key. Errors name the field
// ("code", the terminal's settings) or are the network's (a code already used or expired).
void pairMellonTerminal(const std::filesystem::path& configFile, const std::string& terminal,
                        std::string code, const std::function<void(const std::string&)>& progress);

// The devices the network of [terminal.NAME] reports for its account (Viva's devices:search, GP
// tom's terminals), for an installer filling in the section. Mellon's richer list is
// mellon::WebEcrClient::terminals().
std::vector<core::TerminalDevice> networkDevices(const Config& config, const std::string& name,
                                                 const core::Clock& clock);

} // namespace fiscpos::plugin
