// e-timologiera.gr as a [provider] kind (kind = etimologiera): its settings and its place in the
// provider registry. It signs card payments only; issuing invoices through it is not spoken.
#pragma once

#include "core/config.hpp"
#include "etimologiera/etimologiera_signer.hpp"
#include "signing/provider_module.hpp"

namespace fiscpos::etimologiera {

// The [provider] section of kind etimologiera: url (https, or http to this machine only),
// username, password, provider_id, and the HTTP settings (timeouts, ca_file). ConfigError naming
// the setting that is missing or unusable.
EtimologieraOptions etimologieraOptions(const core::Config& config);

// Adds kind = etimologiera to `registry`.
void registerProvider(signing::ProviderRegistry& registry);

} // namespace fiscpos::etimologiera
