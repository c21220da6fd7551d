// Builds the Signer the [provider] section describes: the provider's signing API
// (kind = mydataprovider) or a local key (kind = local).
#pragma once

#include "core/clock.hpp"
#include "core/http_client.hpp"
#include "plugin/config.hpp"
#include "signing/signer.hpp"

#include <memory>

namespace fiscpos::plugin {

std::unique_ptr<signing::Signer> makeSigner(const Config& config, const core::Clock& clock);
// The HTTP options of a section: ca_file (relative to the configuration file),
// connect_timeout_ms, read_timeout_ms.
core::HttpOptions httpOptions(const Config& config, const std::string& section);
// [provider] duration: 1 = 60 hours, 2 = 2 hours (default).
signing::SignatureDuration signatureDuration(const Config& config);

} // namespace fiscpos::plugin
