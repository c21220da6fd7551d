// Builds the Signer the [provider] section describes: the provider's signing API
// (kind = mydataprovider) or a local key (kind = local).
#pragma once

#include "core/clock.hpp"
#include "plugin/config.hpp"
#include "signing/signer.hpp"

#include <memory>

namespace fiscpos::plugin {

std::unique_ptr<signing::Signer> makeSigner(const Config& config, const core::Clock& clock);
// [provider] duration: 1 = 60 hours, 2 = 2 hours (default).
signing::SignatureDuration signatureDuration(const Config& config);

} // namespace fiscpos::plugin
