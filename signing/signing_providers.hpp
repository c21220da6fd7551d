// The two providers of this folder as [provider] kinds: the mydataprovider v2 API
// (kind = mydataprovider: url, token, provider_id, timeouts, ca_file; it signs and issues
// invoices) and a local key (kind = local: key, provider_id; it signs only).
#pragma once

#include "core/config.hpp"
#include "signing/provider_api.hpp"
#include "signing/provider_module.hpp"

namespace fiscpos::signing {

// The mydataprovider v2 API of the [provider] section: ConfigError naming provider.url or
// provider.token when either is missing or unusable.
ProviderClientOptions mydataProviderOptions(const core::Config& config);

void registerMydataProvider(ProviderRegistry& registry);
void registerLocalKey(ProviderRegistry& registry);

} // namespace fiscpos::signing
