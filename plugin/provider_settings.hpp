// Builds the Signer the [provider] section describes: the provider's signing API
// (kind = mydataprovider) or a local key (kind = local).
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/http_client.hpp"
#include "signing/signer.hpp"

#include <memory>

namespace fiscpos::plugin {

std::unique_ptr<signing::Signer> makeSigner(const core::Config& config, const core::Clock& clock);
// [provider] duration: 1 = 60 hours, 2 = 2 hours (default).
signing::SignatureDuration signatureDuration(const core::Config& config);

} // namespace fiscpos::plugin
