// fiscpos pair and fiscpos terminals: the installer's commands for a Mellon WebECR terminal.
// pair redeems the code the terminal shows under "Link with 3rd party services" and writes the API
// key into the terminal's section of the configuration file; terminals lists the devices the
// network reports, so that the installer can fill in pos_id and tid.
#include "cli/commands/commands.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "mellon/webecr_client.hpp"
#include "plugin/config.hpp"
#include "plugin/mellon_settings.hpp"
#include "plugin/pairing.hpp"

#include <algorithm>

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;

plugin::Config loadConfig(const CommandContext& context, const std::string& command) {
    if (!context.configFile) {
        throw core::ConfigError("--config", command + " needs the configuration file that holds "
                                                      "the [terminal.NAME] section");
    }
    return plugin::Config::load(*context.configFile);
}

// The section of --terminal, which must exist and be a Mellon WebECR terminal.
std::string mellonTerminal(const plugin::Config& config, const CommandArgs& args) {
    return plugin::mellonTerminalName(config, args.require("terminal"), "--terminal");
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

class PairCommand final : public Command {
public:
    std::string name() const override { return "pair"; }
    std::string summary() const override {
        return "pair a Mellon terminal: redeem its code and save the API key to the configuration";
    }
    std::string details() const override {
        return "On the terminal, \"Link with 3rd party services\" shows a code (valid for 5 "
               "minutes). pair redeems it with the integrator account of [terminal.NAME] (url, "
               "username, password) and writes the API key as api_key into that section of the "
               "--config file; the other lines and comments stay as they are. The key is not "
               "printed.\nExample:\n  fiscpos --config fiscpos.ini pair --terminal A3 --code "
               "12345678";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("terminal", "", "the [terminal.NAME] section (nsp = mellon)")
                              .required(true)
                              .argument("NAME"));
        options.addOption(
            Option("code", "", "the code the terminal shows").required(true).argument("CODE"));
    }

    int run(const CommandArgs& args, CommandContext& context) override {
        Output& out = context.out;
        const auto config = loadConfig(context, "pair");
        const std::string terminal = mellonTerminal(config, args);
        const std::string code = args.require("code");
        if (code.find_first_not_of(" -") == std::string::npos) {
            throw core::InputError("--code", "is empty (type the code the terminal shows)");
        }
        std::string last;
        plugin::pairMellonTerminal(*context.configFile, terminal, code,
                                   [&out, &last](const std::string& text) {
                                       last = text;
                                       out.progress(text);
                                   });
        const std::string file = *context.configFile;
        // A key read from the environment was left there: the last line says where it went.
        out.line(last.find("environment variable") != std::string::npos
                     ? last
                     : "paired: [terminal." + terminal + "] api_key saved to " + file);
        out.line("next: fiscpos --config " + file + " terminals --terminal " + terminal +
                 " (to find pos_id and tid)");
        out.result({{"ok", true}, {"terminal", terminal}, {"saved_to", file}});
        return ExitDone;
    }
};

// Viva and GP tom: the devices their API reports, through the terminal adapter.
int listNetworkDevices(const plugin::Config& config, const std::string& name, Output& out) {
    core::SystemClock clock;
    out.progress("terminals: asking the network of [terminal." + name + "] for its devices");
    const auto devices = plugin::networkDevices(config, name, clock);
    const std::string tid = config.getOr("terminal." + name + ".tid", "");
    core::Json list = core::Json::array();
    out.line(padded("ID", 24) + padded("TID", 10) + padded("STATUS", 10) + "NAME");
    for (const auto& device : devices) {
        const bool configured = !tid.empty() && device.tid == tid;
        out.line(padded(device.id, 24) + padded(device.tid, 10) + padded(device.status, 10) +
                 device.name + (configured ? "  (configured)" : ""));
        list.push_back({{"id", device.id},
                        {"tid", device.tid},
                        {"name", device.name},
                        {"status", device.status},
                        {"configured", configured}});
    }
    out.line(devices.empty() ? "the account reports no devices"
                             : "set the device's TID as tid (and, for Viva, its ID as "
                               "terminal_id) in [terminal." +
                                   name + "]");
    out.result({{"ok", true}, {"terminal", name}, {"devices", list}});
    return ExitDone;
}

class TerminalsCommand final : public Command {
public:
    std::string name() const override { return "terminals"; }
    std::string summary() const override {
        return "list the terminals a network account reports (to fill in pos_id / terminal_id and "
               "tid)";
    }
    std::string details() const override {
        return "Mellon: uses [terminal.NAME] (url, username, password, api_key) and lists every "
               "terminal of the account: put its id as pos_id and its TID as tid in the section. "
               "Viva and GP tom: lists the devices their API reports for the section's account "
               "(Viva: put the device's ID as terminal_id).\n"
               "Example:\n  fiscpos --config fiscpos.ini terminals --terminal A3";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(
            Option("terminal", "", "a [terminal.NAME] section").required(true).argument("NAME"));
    }

    int run(const CommandArgs& args, CommandContext& context) override {
        Output& out = context.out;
        const auto config = loadConfig(context, "terminals");
        const std::string name = args.require("terminal");
        if (config.getOr("terminal." + name + ".nsp", "mellon") != "mellon") {
            return listNetworkDevices(config, name, out);
        }
        const std::string terminal = mellonTerminal(config, args);
        const std::string section = "terminal." + terminal;
        const auto settings = plugin::webEcrSettings(config, terminal);
        if (settings.apiKey.empty()) {
            throw core::ConfigError(section + ".api_key",
                                    "is not set: pair the terminal first (fiscpos pair "
                                    "--terminal " +
                                        terminal + " --code CODE)");
        }
        mellon::WebEcrClient client(settings);
        out.progress("terminals: asking " + settings.url + " for the terminals of " +
                     settings.username);
        std::vector<mellon::TerminalInfo> devices;
        try {
            devices = client.terminals();
        } catch (const mellon::PairingRequired& e) {
            throw mellon::PairingRequired(std::string(e.what()) +
                                          " (pair again: fiscpos pair "
                                          "--terminal " +
                                          terminal + " --code CODE)");
        }
        core::Json list = core::Json::array();
        out.line(padded("POS_ID", 10) + padded("TID", 10) + padded("STATUS", 8) + "NAME");
        for (const auto& device : devices) {
            const bool configured = device.id == settings.posId && device.tid == settings.tid;
            const std::string status = device.locked ? "locked" : "free";
            out.line(padded(device.id, 10) + padded(device.tid, 10) + padded(status, 8) +
                     device.friendlyName + (configured ? "  (configured)" : ""));
            list.push_back({{"pos_id", device.id},
                            {"tid", device.tid},
                            {"name", device.friendlyName},
                            {"merchant", device.merchant},
                            {"locked", device.locked},
                            {"configured", configured}});
        }
        if (devices.empty()) {
            out.line("the account reports no terminals");
        } else {
            out.line("set pos_id = <POS_ID> and tid = <TID> of the terminal in [" + section + "]");
        }
        out.result({{"ok", true}, {"terminal", terminal}, {"devices", list}});
        return ExitDone;
    }
};

} // namespace

std::unique_ptr<Command> makePairCommand() {
    return std::make_unique<PairCommand>();
}

std::unique_ptr<Command> makeTerminalsCommand() {
    return std::make_unique<TerminalsCommand>();
}

} // namespace fiscpos::cli
