#include "signing/signing_providers.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "signing/local_signer.hpp"
#include "signing/provider_client.hpp"

namespace fiscpos::signing {

ProviderClientOptions mydataProviderOptions(const core::Config& config) {
    ProviderClientOptions options;
    options.baseUrl = config.require("provider.url");
    core::checkServerUrl(options.baseUrl, "provider.url");
    options.token = config.require("provider.token");
    options.providerId = config.getOr("provider.provider_id", "");
    options.http = core::httpOptions(config, "provider");
    options.clientName = std::string("fiscpos/") + FISCPOS_VERSION;
    return options;
}

void registerMydataProvider(ProviderRegistry& registry) {
    ProviderModule module;
    module.kind = "mydataprovider";
    module.title = "mydataprovider v2";
    module.signer = [](const core::Config& config, const core::Clock&) {
        return std::make_unique<MydataProviderClient>(mydataProviderOptions(config));
    };
    module.invoices = [](const core::Config& config) {
        return std::make_unique<ProviderInvoices>(mydataProviderOptions(config));
    };
    registry.add(std::move(module));
}

void registerLocalKey(ProviderRegistry& registry) {
    ProviderModule module;
    module.kind = "local";
    module.title = "a local key";
    module.signer = [](const core::Config& config,
                       const core::Clock& clock) -> std::unique_ptr<Signer> {
        const auto keyFile = config.getPath("provider.key");
        if (!keyFile) {
            throw core::ConfigError(
                "provider.key", "is required with kind = local (the provider's private key, PEM)");
        }
        auto key = PrivateKey::fromPemFile(*keyFile);
        return std::make_unique<LocalSigner>(std::move(key), config.require("provider.provider_id"),
                                             clock);
    };
    registry.add(std::move(module));
}

} // namespace fiscpos::signing
