#include "plugin/terminal_settings.hpp"

#include "core/errors.hpp"
#include "network/network_module.hpp"

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
void refuseEmptyUrls(const core::Config& config, const std::string& section) {
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
std::string terminalId(const core::Config& config, const std::string& section) {
    const std::string tid = config.require(section + ".tid");
    if (!std::all_of(tid.begin(), tid.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        throw core::ConfigError(section + ".tid", "\"" + tid +
                                                      "\" is not a terminal id: a TID is digits "
                                                      "only (see fiscpos terminals)");
    }
    return tid;
}

TerminalBinding bind(const core::Config& config, const std::string& name, const core::Clock& clock,
                     bool forPayments) {
    const std::string section = "terminal." + name;
    const auto& module = network::builtinNetworks().of(config, name);
    refuseEmptyUrls(config, section);
    TerminalBinding binding;
    binding.name = name;
    binding.network = module.nsp;
    binding.tid = terminalId(config, section);
    binding.providerId = config.getOr(section + ".provider_id", "");
    binding.nsp = module.signatureNsp(config, name);
    const std::string autonomous = config.getOr(section + ".autonomous", "off");
    if (autonomous != "allow" && autonomous != "off") {
        throw core::ConfigError(section + ".autonomous",
                                "is \"" + autonomous +
                                    "\": allow (a payment may go ahead without the provider's "
                                    "signature while the provider cannot be reached) or off");
    }
    binding.autonomousAllowed = autonomous == "allow";
    binding.terminal = module.terminal(config, name, clock,
                                       forPayments ? network::TerminalUse::Payments
                                                   : network::TerminalUse::Account);
    return binding;
}

} // namespace

std::map<std::string, TerminalBinding> terminalsFromConfig(const core::Config& config,
                                                           const core::Clock& clock) {
    std::map<std::string, TerminalBinding> terminals;
    for (const auto& name : config.sections("terminal")) {
        try {
            terminals.emplace(name, bind(config, name, clock, true));
        } catch (const core::InputError&) {
            TerminalBinding unusable;
            unusable.name = name;
            unusable.network = config.getOr("terminal." + name + ".nsp", "");
            unusable.unusable = std::current_exception();
            terminals.emplace(name, std::move(unusable));
        }
    }
    return terminals;
}

TerminalBinding accountTerminalFromConfig(const core::Config& config, const std::string& name,
                                          const core::Clock& clock) {
    const auto names = config.sections("terminal");
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        throw core::InputError("terminal",
                               "the configuration has no [terminal." + name + "] section");
    }
    return bind(config, name, clock, false);
}

} // namespace fiscpos::plugin
