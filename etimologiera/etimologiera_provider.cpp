#include "etimologiera/etimologiera_provider.hpp"

#include "core/section_check.hpp"

namespace fiscpos::etimologiera {

EtimologieraOptions etimologieraOptions(const core::Config& config) {
    const core::SectionCheck check("provider");
    EtimologieraOptions options;
    options.baseUrl = config.getOr("provider.url", "");
    check.serverUrl("url", options.baseUrl,
                    "(e-timologiera's API host, e.g. https://einvoicing-dev-api.etimologiera.gr)");
    options.username = config.getOr("provider.username", "");
    check.required("username", options.username, "e-timologiera's user name (HTTP Basic)");
    if (options.username.find(':') != std::string::npos) {
        check.fail("username", "must not contain ':' (HTTP Basic separates the password by it)");
    }
    check.plainToken("username", options.username);
    options.password = config.getOr("provider.password", "");
    check.required("password", options.password, "e-timologiera's password (HTTP Basic)");
    options.providerId = config.getOr("provider.provider_id", "");
    check.required(
        "provider_id", options.providerId,
        "the provider's id (SigningAuthor), which e-timologiera's answer does not carry");
    check.plainToken("provider_id", options.providerId);
    options.http = core::httpOptions(config, "provider");
    return options;
}

void registerProvider(signing::ProviderRegistry& registry) {
    signing::ProviderModule module;
    module.kind = "etimologiera";
    module.title = "e-timologiera.gr createSimSign";
    module.signer = [](const core::Config& config, const core::Clock& clock) {
        return std::make_unique<EtimologieraSigner>(etimologieraOptions(config), clock);
    };
    registry.add(std::move(module));
}

} // namespace fiscpos::etimologiera
