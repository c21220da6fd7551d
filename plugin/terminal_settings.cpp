#include "plugin/terminal_settings.hpp"

#include "core/errors.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

mellon::WebEcrSettings webEcrSettings(const Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    mellon::WebEcrSettings settings;
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
    settings.apiKey = config.getOr(section + ".api_key", "");
    settings.posId = config.getOr(section + ".pos_id", "");
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.http = httpOptions(config, section);
    return settings;
}

std::map<std::string, TerminalBinding> terminalsFromConfig(const Config& config,
                                                           const core::Clock& clock) {
    std::map<std::string, TerminalBinding> terminals;
    for (const auto& name : config.sections("terminal")) {
        const std::string section = "terminal." + name;
        const std::string nsp = config.require(section + ".nsp");
        TerminalBinding binding;
        binding.name = name;
        binding.network = nsp;
        binding.tid = config.require(section + ".tid");
        binding.providerId = config.getOr(section + ".provider_id", "");
        if (nsp == "mellon") {
            binding.nsp = signing::Nsp::WebEcr;
            binding.terminal =
                std::make_shared<mellon::WebEcrTerminal>(webEcrSettings(config, name), clock);
        } else if (nsp == "viva" || nsp == "viva-orders" || nsp == "gptom") {
            throw core::ConfigError(section + ".nsp", "\"" + nsp +
                                                          "\" is not supported by this version "
                                                          "of fiscpos yet (mellon is)");
        } else {
            throw core::ConfigError(section + ".nsp",
                                    "\"" + nsp +
                                        "\" is not a network (mellon, viva, viva-orders, "
                                        "gptom)");
        }
        terminals.emplace(name, std::move(binding));
    }
    return terminals;
}

} // namespace fiscpos::plugin
