// The GP tom settings of a [terminal.NAME] section with nsp = gptom.
#pragma once

#include "gptom/gptom_settings.hpp"
#include "plugin/config.hpp"

#include <string>

namespace fiscpos::plugin {

// url, username, password, master_account, tid, provider_id, ca_file, connect_timeout_ms,
// read_timeout_ms.
gptom::GptomSettings gptomSettings(const Config& config, const std::string& name);

} // namespace fiscpos::plugin
