#include "gptom/gptom_network.hpp"

#include "core/errors.hpp"
#include "gptom/gptom_terminal.hpp"

namespace fiscpos::gptom {

GptomSettings gptomSettings(const core::Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    GptomSettings settings;
    settings.section = section;
    settings.url = config.getOr(section + ".url", "");
    settings.username = config.getOr(section + ".username", "");
    settings.password = config.getOr(section + ".password", "");
    settings.clientCredential = config.getOr(section + ".client_credential", "");
    settings.masterAccount = config.getBool(section + ".master_account", false);
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.tokenUrl = config.getOr(section + ".token_url", settings.tokenUrl);
    settings.refreshUrls = config.getList(section + ".refresh_urls", settings.refreshUrls);
    settings.currency = config.getOr(section + ".currency", settings.currency);
    settings.printReceipt = config.getBool(section + ".print_receipt", false);
    settings.a1155Confirmed = config.getBool(section + ".a1155_confirmed", false);
    settings.http = core::httpOptions(config, section);
    settings.validate(GptomSettings::Need::Account);
    return settings;
}

signing::Nsp signatureNsp(const core::Config& config, const std::string& name) {
    const std::string key = "terminal." + name + ".signature_nsp";
    const std::string value = config.getOr(key, "viva");
    try {
        return signing::parseNsp(value, key);
    } catch (const core::InputError& e) {
        throw core::ConfigError(key, e.what());
    }
}

void registerNetwork(network::NetworkRegistry& registry) {
    network::NetworkModule module;
    module.nsp = "gptom";
    module.title = "GP tom";
    module.signatureNsp = signatureNsp;
    module.terminal = [](const core::Config& config, const std::string& name,
                         const core::Clock& clock, network::TerminalUse use) {
        const auto settings = gptomSettings(config, name);
        // a1155_confirmed is not asked here: an unconfirmed terminal loads, and admit() refuses
        // its sales before anything is signed (batch closes need no confirmation).
        if (use == network::TerminalUse::Payments && settings.providerId.empty()) {
            throw core::ConfigError(settings.section + ".provider_id",
                                    "is missing: the provider's id that goes with its signature");
        }
        return std::make_shared<GptomTerminal>(settings, clock);
    };
    module.devicesHint = "set the device's TID as tid in the section";
    registry.add(std::move(module));
}

} // namespace fiscpos::gptom
