#include "plugin/pairing.hpp"

#include "core/files.hpp"

#include "core/errors.hpp"
#include "plugin/config_writer.hpp"
#include "plugin/terminal_settings.hpp"

#include <algorithm>

namespace fiscpos::plugin {

const network::NetworkModule& pairedNetwork(const core::Config& config, const std::string& name,
                                            const std::string& field) {
    const auto names = config.sections("terminal");
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string known;
        for (const auto& each : names) {
            known += (known.empty() ? "" : ", ") + each;
        }
        throw core::InputError(field, "the configuration has no [terminal." + name + "] section (" +
                                          (known.empty() ? "it has none" : "it has " + known) +
                                          ")");
    }
    const auto& networks = network::builtinNetworks();
    const auto& module = networks.of(config, name);
    if (!module.pairing) {
        std::string pairing;
        for (const auto& nsp : networks.names()) {
            if (networks.find(nsp)->pairing) {
                pairing += (pairing.empty() ? "" : ", ") + nsp;
            }
        }
        throw core::ConfigError(
            "terminal." + name + ".nsp",
            "is \"" + module.nsp + "\": " + module.title +
                " terminals are not paired by a code (networks that are: " + pairing + ")");
    }
    return module;
}

void pairTerminal(const std::filesystem::path& configFile, const std::string& terminal,
                  std::string code, const std::function<void(const std::string&)>& progress) {
    const core::Config config = core::Config::load(configFile);
    const auto& pairing = *pairedNetwork(config, terminal, "terminal").pairing;
    code.erase(
        std::remove_if(code.begin(), code.end(), [](char c) { return c == ' ' || c == '-'; }),
        code.end());
    if (code.empty()) {
        throw core::InputError("code", "is empty (type the code the terminal shows)");
    }
    if (progress) {
        progress("pairing: " + pairing.describe(config, terminal));
    }
    const std::string section = "terminal." + terminal;
    const std::string& setting = pairing.keySetting;
    // A key the file takes from the environment stays there: the reference is kept, and the
    // installer is told where the new key goes.
    const auto reference = environmentReference(configFile, section, setting);
    const std::string apiKey = pairing.redeem(config, terminal, code);
    if (reference) {
        // The key never goes into a message (progress lines reach consoles and ERP logs): it is
        // written to a file only its owner can read, beside the configuration.
        const auto keyFile = configFile.parent_path() / (terminal + "." + setting);
        core::writePrivateFile(keyFile, apiKey + "\n", setting);
        if (progress) {
            progress("paired: [" + section + "] " + setting +
                     " is read from the environment variable " + *reference +
                     ", left as it is in " + configFile.string() + "; set " + *reference +
                     " to the new key, which is in " + keyFile.string() +
                     " (mode 0600), where fiscpos runs, then delete that file (the old key no "
                     "longer works)");
        }
        return;
    }
    setConfigValue(configFile.string(), section, setting, apiKey);
    if (progress) {
        progress("paired: " + setting + " saved to " + configFile.string());
    }
}

core::Json networkDevices(const core::Config& config, const std::string& name,
                          const core::Clock& clock) {
    const auto binding = accountTerminalFromConfig(config, name, clock);
    const auto& module = network::builtinNetworks().of(config, name);
    const std::string section = "terminal." + name;
    const std::string tid = config.getOr(section + ".tid", "");
    const std::string id = module.devicesIdSetting.empty()
                               ? ""
                               : config.getOr(section + "." + module.devicesIdSetting, "");
    core::Json list = core::Json::array();
    for (const auto& device : binding.terminal->devices()) {
        const bool configured = !tid.empty() && device.tid == tid &&
                                (module.devicesIdSetting.empty() || device.id == id);
        core::Json entry{{"id", device.id},
                         {"tid", device.tid},
                         {"name", device.name},
                         {"status", device.status},
                         {"configured", configured}};
        if (!module.devicesIdSetting.empty()) {
            entry[module.devicesIdSetting] = device.id;
        }
        for (const auto& [key, value] : device.details.items()) {
            entry.emplace(key, value);
        }
        list.push_back(std::move(entry));
    }
    return {{"devices", list}, {"hint", module.devicesHint}};
}

} // namespace fiscpos::plugin
