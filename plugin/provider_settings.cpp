#include "plugin/provider_settings.hpp"

#include "signing/provider_module.hpp"

namespace fiscpos::plugin {

signing::SignatureDuration signatureDuration(const core::Config& config) {
    return config.getInt("provider.duration", 2, 1, 2) == 1 ? signing::SignatureDuration::Hours60
                                                            : signing::SignatureDuration::Hours2;
}

std::unique_ptr<signing::Signer> makeSigner(const core::Config& config, const core::Clock& clock) {
    return signing::builtinProviders().of(config).signer(config, clock);
}

} // namespace fiscpos::plugin
