#include "plugin/pairing.hpp"

#include "core/files.hpp"

#include "core/errors.hpp"
#include "mellon/webecr_client.hpp"
#include "plugin/config_writer.hpp"
#include "plugin/mellon_settings.hpp"
#include "plugin/terminal_settings.hpp"

#include <algorithm>

namespace fiscpos::plugin {

std::string mellonTerminalName(const Config& config, const std::string& name,
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
    const std::string setting = "terminal." + name + ".nsp";
    const std::string nsp = config.require(setting);
    if (nsp != "mellon") {
        throw core::ConfigError(setting, "is \"" + nsp +
                                             "\"; pairing and the WebECR terminal list are for "
                                             "nsp = mellon");
    }
    return name;
}

void pairMellonTerminal(const std::filesystem::path& configFile, const std::string& terminal,
                        std::string code, const std::function<void(const std::string&)>& progress) {
    const Config config = Config::load(configFile);
    mellonTerminalName(config, terminal, "terminal");
    code.erase(
        std::remove_if(code.begin(), code.end(), [](char c) { return c == ' ' || c == '-'; }),
        code.end());
    if (code.empty()) {
        throw core::InputError("code", "is empty (type the code the terminal shows)");
    }
    auto settings = webEcrSettings(config, terminal, false); // pairing replaces the key
    mellon::WebEcrClient client(settings);
    if (progress) {
        progress("pairing: redeeming the code with " + settings.url + " as " + settings.username);
    }
    const std::string section = "terminal." + terminal;
    // A key the file takes from the environment stays there: the reference is kept, and the
    // installer is told where the new key goes.
    const auto reference = environmentReference(configFile, section, "api_key");
    const std::string apiKey = client.redeem(code);
    if (reference) {
        // The key never goes into a message (progress lines reach consoles and ERP logs): it is
        // written to a file only its owner can read, beside the configuration.
        const auto keyFile = configFile.parent_path() / (terminal + ".api_key");
        core::writePrivateFile(keyFile, apiKey + "\n", "api_key");
        if (progress) {
            progress("paired: [" + section + "] api_key is read from the environment variable " +
                     *reference + ", left as it is in " + configFile.string() + "; set " +
                     *reference + " to the new key, which is in " + keyFile.string() +
                     " (mode 0600), where fiscpos runs, then delete that file (the old key no "
                     "longer works)");
        }
        return;
    }
    setConfigValue(configFile.string(), section, "api_key", apiKey);
    if (progress) {
        progress("paired: api_key saved to " + configFile.string());
    }
}

std::vector<core::TerminalDevice> networkDevices(const Config& config, const std::string& name,
                                                 const core::Clock& clock) {
    return accountTerminalFromConfig(config, name, clock).terminal->devices();
}

} // namespace fiscpos::plugin
