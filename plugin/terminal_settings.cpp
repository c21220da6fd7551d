#include "plugin/terminal_settings.hpp"

#include "core/errors.hpp"
#include "gptom/gptom_terminal.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/gptom_settings.hpp"
#include "plugin/mellon_settings.hpp"
#include "plugin/viva_settings.hpp"
#include "viva/orders_terminal.hpp"
#include "viva/viva_terminal.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace fiscpos::plugin {

namespace {

bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// A URL setting written with no value is a mistake, not a request for the default host: an
// installer who cleared it (or whose ${NAME} is empty) would otherwise pay on production.
void refuseEmptyUrls(const Config& config, const std::string& section) {
    static constexpr std::array<const char*, 5> urls{"url", "accounts_url", "api_url", "legacy_url",
                                                     "token_url"};
    for (const auto& key : config.sections(section)) {
        for (const char* url : urls) {
            if (sameName(key, url) && !config.get(section + "." + key)) {
                throw core::ConfigError(section + "." + url,
                                        "is empty; give the network's https:// URL, or remove the "
                                        "line to use the network's production host");
            }
        }
    }
}

// The TID the provider signs and the network reports: digits only.
std::string terminalId(const Config& config, const std::string& section) {
    const std::string tid = config.require(section + ".tid");
    if (!std::all_of(tid.begin(), tid.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        throw core::ConfigError(section + ".tid", "\"" + tid +
                                                      "\" is not a terminal id: a TID is digits "
                                                      "only (see fiscpos terminals)");
    }
    return tid;
}

TerminalBinding bind(const Config& config, const std::string& name, const core::Clock& clock,
                     bool forPayments) {
    const std::string section = "terminal." + name;
    const std::string nsp = config.require(section + ".nsp");
    refuseEmptyUrls(config, section);
    TerminalBinding binding;
    binding.name = name;
    binding.network = nsp;
    binding.tid = terminalId(config, section);
    binding.providerId = config.getOr(section + ".provider_id", "");
    if (nsp == "mellon") {
        binding.nsp = signing::Nsp::WebEcr;
        const auto settings = webEcrSettings(config, name);
        settings.validate(forPayments ? mellon::WebEcrSettings::Need::Payments
                                      : mellon::WebEcrSettings::Need::Account);
        binding.terminal = std::make_shared<mellon::WebEcrTerminal>(settings, clock);
    } else if (nsp == "gptom") {
        binding.nsp = gptomSignatureNsp(config, name);
        const auto settings = gptomSettings(config, name);
        // a1155_confirmed is not asked here: an unconfirmed terminal loads, and admit() refuses
        // its sales before anything is signed (batch closes need no confirmation).
        if (forPayments && settings.providerId.empty()) {
            throw core::ConfigError(section + ".provider_id",
                                    "is missing: the provider's id that goes with its signature");
        }
        binding.terminal = std::make_shared<gptom::GptomTerminal>(settings, clock);
    } else if (nsp == "viva") {
        binding.nsp = signing::Nsp::Viva;
        const auto settings = vivaSettings(config, name);
        settings.validate(forPayments ? viva::VivaSettings::Need::Payments
                                      : viva::VivaSettings::Need::Account);
        binding.terminal = std::make_shared<viva::VivaTerminal>(settings, clock);
    } else if (nsp == "viva-orders") {
        binding.nsp = signing::Nsp::Viva;
        const auto settings = vivaSettings(config, name);
        if (forPayments) {
            settings.validate(viva::VivaSettings::Need::Orders);
        }
        binding.terminal = std::make_shared<viva::OrdersTerminal>(settings, clock);
    } else {
        throw core::ConfigError(section + ".nsp", "\"" + nsp +
                                                      "\" is not a network (mellon, viva, "
                                                      "viva-orders, gptom)");
    }
    return binding;
}

} // namespace

std::map<std::string, TerminalBinding> terminalsFromConfig(const Config& config,
                                                           const core::Clock& clock) {
    std::map<std::string, TerminalBinding> terminals;
    for (const auto& name : config.sections("terminal")) {
        terminals.emplace(name, bind(config, name, clock, true));
    }
    return terminals;
}

TerminalBinding accountTerminalFromConfig(const Config& config, const std::string& name,
                                          const core::Clock& clock) {
    const auto names = config.sections("terminal");
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        throw core::InputError("terminal",
                               "the configuration has no [terminal." + name + "] section");
    }
    return bind(config, name, clock, false);
}

} // namespace fiscpos::plugin
