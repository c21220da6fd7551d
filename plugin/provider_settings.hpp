// Builds the Signer the [provider] section describes, through the provider registry
// (signing/provider_module.hpp): provider.kind picks the provider.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "signing/signature.hpp"
#include "signing/signer.hpp"

#include <memory>

namespace fiscpos::plugin {

// ConfigError naming provider.kind (listing the kinds there are) for an unknown kind, or the
// setting of the section its provider cannot use.
std::unique_ptr<signing::Signer> makeSigner(const core::Config& config, const core::Clock& clock);
// [provider] duration: 1 = 60 hours, 2 = 2 hours (default).
signing::SignatureDuration signatureDuration(const core::Config& config);

} // namespace fiscpos::plugin
