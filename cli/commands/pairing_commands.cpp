// fiscpos pair and fiscpos terminals: the installer's commands for a terminal's section.
// pair redeems the code a terminal shows (on networks that pair by a code) and writes the key into
// the terminal's section of the configuration file; terminals lists the devices the network
// account reports, so that the installer can fill in the section's device ids and tid.
#include "cli/commands/commands.hpp"

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "network/network_module.hpp"
#include "plugin/pairing.hpp"

#include <algorithm>

namespace fiscpos::cli {

namespace {

core::Config loadConfig(const CommandContext& context, const std::string& command) {
    return core::Config::load(context.requireConfigFile(
        command + " needs the configuration file that holds the [terminal.NAME] section"));
}

// The networks that pair by a code ("mellon"), and with `howTo` each one's way, for the help.
std::string pairingNetworks(bool howTo = false) {
    const auto& networks = network::builtinNetworks();
    std::string text;
    for (const auto& nsp : networks.names()) {
        if (const auto& pairing = networks.find(nsp)->pairing) {
            text += (text.empty() ? ""
                     : howTo      ? "\n"
                                  : ", ") +
                    nsp + (howTo ? ": " + pairing->howTo : "");
        }
    }
    return text;
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

int runPair(const CommandArgs& args, CommandContext& context) {
    Output& out = context.out;
    const auto config = loadConfig(context, "pair");
    const std::string terminal = args.require("terminal");
    plugin::pairedNetwork(config, terminal, "--terminal");
    const std::string code = args.require("code");
    if (code.find_first_not_of(" -") == std::string::npos) {
        throw core::InputError("--code", "is empty (type the code the terminal shows)");
    }
    std::string last;
    plugin::pairTerminal(*context.configFile, terminal, code,
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

int runTerminals(const CommandArgs& args, CommandContext& context) {
    Output& out = context.out;
    const auto config = loadConfig(context, "terminals");
    const std::string name = args.require("terminal");
    const auto names = config.sections("terminal");
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        throw core::InputError("--terminal",
                               "the configuration has no [terminal." + name + "] section");
    }
    const std::string section = "terminal." + name;
    core::SystemClock clock;
    out.progress("terminals: asking the network of [" + section + "] for its devices");
    core::Json listed;
    try {
        listed = plugin::networkDevices(config, name, clock);
    } catch (const core::Error& e) {
        if (e.code() != "pair_again") {
            throw;
        }
        throw core::Error(e.code(), std::string(e.what()) +
                                        " (pair again: fiscpos pair "
                                        "--terminal " +
                                        name + " --code CODE)");
    }
    const auto& devices = listed["devices"];
    out.line(padded("ID", 24) + padded("TID", 10) + padded("STATUS", 10) + "NAME");
    for (const auto& device : devices) {
        out.line(padded(device["id"], 24) + padded(device["tid"], 10) +
                 padded(device["status"], 10) + device["name"].get<std::string>() +
                 (device["configured"].get<bool>() ? "  (configured)" : ""));
    }
    out.line(devices.empty() ? "the account reports no devices"
                             : listed["hint"].get<std::string>() + " [" + section + "]");
    out.result({{"ok", true}, {"terminal", name}, {"devices", devices}});
    return ExitDone;
}

} // namespace

Command makePairCommand() {
    return Command(
        {"pair",
         "pair a terminal: redeem the code it shows and save its key to the configuration",
         "For terminals whose network pairs by a code. pair redeems the code with the account of "
         "[terminal.NAME] and writes the key into that section of the --config file; the other "
         "lines and comments stay as they are. The key is not printed.\n" +
             pairingNetworks(true) +
             "\nExample:\n  fiscpos --config fiscpos.ini pair --terminal A3 --code 12345678",
         {{"terminal", "the [terminal.NAME] section (nsp = " + pairingNetworks() + ")", "NAME",
           Need::Required},
          {"code", "the code the terminal shows", "CODE", Need::Required}}},
        runPair);
}

Command makeTerminalsCommand() {
    std::string hints;
    const auto& networks = network::builtinNetworks();
    for (const auto& nsp : networks.names()) {
        hints += "\n" + nsp + ": " + networks.find(nsp)->devicesHint;
    }
    return Command(
        {"terminals",
         "list the terminals a network account reports (to fill in the section's device id and "
         "tid)",
         "Lists the devices the network reports for the account of [terminal.NAME] (its account "
         "settings; a terminal that pairs must be paired first), marking the one the section "
         "names:" +
             hints + "\nExample:\n  fiscpos --config fiscpos.ini terminals --terminal A3",
         {{"terminal", "a [terminal.NAME] section", "NAME", Need::Required}}},
        runTerminals);
}

} // namespace fiscpos::cli
