#include "mellon/mellon_network.hpp"

#include "mellon/webecr_client.hpp"
#include "mellon/webecr_terminal.hpp"

namespace fiscpos::mellon {

WebEcrSettings webEcrSettings(const core::Config& config, const std::string& name,
                              bool withApiKey) {
    const std::string section = "terminal." + name;
    WebEcrSettings settings;
    settings.section = section;
    settings.url = config.getOr(section + ".url", "https://www.mreceipts.com");
    settings.pathPrefix = config.get(section + ".path_prefix").value_or("/api");
    if (settings.pathPrefix == "none") {
        settings.pathPrefix.clear();
    }
    settings.apiVersion = config.getOr(section + ".api_version", "v2.2");
    if (settings.apiVersion == "none") { // hosts that serve the API unversioned (epay, fintechiq)
        settings.apiVersion.clear();
    }
    settings.username = config.getOr(section + ".username", "");
    settings.password = config.getOr(section + ".password", "");
    if (withApiKey) {
        settings.apiKey = config.getOr(section + ".api_key", "");
    }
    settings.posId = config.getOr(section + ".pos_id", "");
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.waitSeconds =
        config.getInt(section + ".wait_seconds", WebEcrSettings::defaultWaitSeconds, 0,
                      WebEcrSettings::maxWaitSeconds);
    settings.http = core::httpOptions(config, section);
    return settings;
}

void registerNetwork(network::NetworkRegistry& registry) {
    network::NetworkModule module;
    module.nsp = "mellon";
    module.title = "Mellon WebECR";
    module.signatureNsp = network::alwaysSignsAs(signing::Nsp::WebEcr);
    module.terminal = [](const core::Config& config, const std::string& name,
                         const core::Clock& clock, network::TerminalUse use) {
        const auto settings = webEcrSettings(config, name);
        // Listing the account's terminals already needs the pairing's key.
        settings.validate(use == network::TerminalUse::Payments ? WebEcrSettings::Need::Payments
                                                                : WebEcrSettings::Need::Paired);
        return std::make_shared<WebEcrTerminal>(settings, clock);
    };
    network::Pairing pairing;
    pairing.howTo = "on the terminal, \"Link with 3rd party services\" shows a code (valid for 5 "
                    "minutes); it is redeemed with the integrator account of the section (url, "
                    "username, password) for the API key, saved as api_key";
    pairing.describe = [](const core::Config& config, const std::string& name) {
        const auto settings = webEcrSettings(config, name, false);
        return "redeeming the code with " + settings.url + " as " + settings.username;
    };
    pairing.redeem = [](const core::Config& config, const std::string& name,
                        const std::string& code) {
        WebEcrClient client(webEcrSettings(config, name, false)); // pairing replaces the key
        return client.redeem(code);
    };
    module.pairing = std::move(pairing);
    module.devicesIdSetting = "pos_id";
    module.devicesHint = "set pos_id = <ID> and tid = <TID> of the terminal in the section";
    registry.add(std::move(module));
}

} // namespace fiscpos::mellon
