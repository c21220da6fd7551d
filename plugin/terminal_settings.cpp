#include "plugin/terminal_settings.hpp"

#include "core/errors.hpp"
#include "gptom/gptom_terminal.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/gptom_settings.hpp"
#include "plugin/mellon_settings.hpp"
#include "plugin/viva_settings.hpp"
#include "viva/orders_terminal.hpp"
#include "viva/viva_terminal.hpp"

namespace fiscpos::plugin {

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
        } else if (nsp == "gptom") {
            binding.nsp = gptomSignatureNsp(config, name);
            binding.terminal =
                std::make_shared<gptom::GptomTerminal>(gptomSettings(config, name), clock);
        } else if (nsp == "viva") {
            binding.nsp = signing::Nsp::Viva;
            binding.terminal =
                std::make_shared<viva::VivaTerminal>(vivaSettings(config, name), clock);
        } else if (nsp == "viva-orders") {
            binding.nsp = signing::Nsp::Viva;
            binding.terminal =
                std::make_shared<viva::OrdersTerminal>(vivaSettings(config, name), clock);
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
