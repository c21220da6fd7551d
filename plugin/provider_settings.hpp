// Builds the Signer the [provider] section describes: the provider's signing API
// (kind = mydataprovider) or a local key (kind = local).
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/http_client.hpp"
#include "signing/provider_api.hpp"
#include "signing/signer.hpp"

#include <memory>

namespace fiscpos::plugin {

std::unique_ptr<signing::Signer> makeSigner(const core::Config& config, const core::Clock& clock);
// The provider's API of a [provider] section of kind mydataprovider (url, token, provider_id,
// timeouts, ca_file); ConfigError naming provider.kind for any other kind (kind = local signs
// only, and has no API to issue invoices with).
signing::ProviderClientOptions providerApiOptions(const core::Config& config);
// [provider] duration: 1 = 60 hours, 2 = 2 hours (default).
signing::SignatureDuration signatureDuration(const core::Config& config);

} // namespace fiscpos::plugin
