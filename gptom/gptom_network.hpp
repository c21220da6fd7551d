// GP tom as a fiscpos network (nsp = gptom): the settings of its [terminal.NAME] section and its
// terminal.
#pragma once

#include "core/config.hpp"
#include "gptom/gptom_settings.hpp"
#include "network/network_module.hpp"
#include "signing/nsp.hpp"

#include <string>

namespace fiscpos::gptom {

// url, username, password, client_credential, master_account (true|false), tid, provider_id,
// token_url, refresh_urls (comma-separated), currency, print_receipt (true|false),
// a1155_confirmed (true|false), ca_file, connect_timeout_ms, read_timeout_ms. Checked for the
// account (ConfigError naming the setting); what a sale needs is checked when it starts.
GptomSettings gptomSettings(const core::Config& config, const std::string& name);

// signature_nsp: the network the provider is told a GP tom payment runs on, which decides the
// Input's layout (default viva: AADE's DEFAULT layout, payable first, the Input carried
// verbatim). ConfigError naming the setting for a name signing::parseNsp does not know.
signing::Nsp signatureNsp(const core::Config& config, const std::string& name);

void registerNetwork(network::NetworkRegistry& registry);

} // namespace fiscpos::gptom
