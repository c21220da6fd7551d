#include "plugin/provider_settings.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "signing/local_signer.hpp"
#include "signing/provider_client.hpp"

namespace fiscpos::plugin {

signing::SignatureDuration signatureDuration(const core::Config& config) {
    return config.getInt("provider.duration", 2, 1, 2) == 1 ? signing::SignatureDuration::Hours60
                                                            : signing::SignatureDuration::Hours2;
}

signing::ProviderClientOptions providerApiOptions(const core::Config& config) {
    const std::string kind = config.getOr("provider.kind", "mydataprovider");
    if (kind != "mydataprovider") {
        throw core::ConfigError("provider.kind",
                                "is \"" + kind +
                                    "\": this needs the provider's API (kind = mydataprovider "
                                    "with url and token)");
    }
    signing::ProviderClientOptions options;
    options.baseUrl = config.require("provider.url");
    core::checkServerUrl(options.baseUrl, "provider.url");
    options.token = config.require("provider.token");
    options.providerId = config.getOr("provider.provider_id", "");
    options.http = core::httpOptions(config, "provider");
    options.clientName = std::string("fiscpos/") + FISCPOS_VERSION;
    return options;
}

std::unique_ptr<signing::Signer> makeSigner(const core::Config& config, const core::Clock& clock) {
    const std::string kind = config.getOr("provider.kind", "mydataprovider");
    if (kind == "mydataprovider") {
        return std::make_unique<signing::MydataProviderClient>(providerApiOptions(config));
    }
    if (kind == "local") {
        const auto keyFile = config.getPath("provider.key");
        if (!keyFile) {
            throw core::ConfigError(
                "provider.key", "is required with kind = local (the provider's private key, PEM)");
        }
        auto key = signing::PrivateKey::fromPemFile(*keyFile);
        return std::make_unique<signing::LocalSigner>(
            std::move(key), config.require("provider.provider_id"), clock);
    }
    throw core::ConfigError(
        "provider.kind", "\"" + kind + "\" is not a provider kind (use mydataprovider or local)");
}

} // namespace fiscpos::plugin
