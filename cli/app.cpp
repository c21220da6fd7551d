// The `fiscpos` command: global options with Poco::Util::Application, then one sub-command with
// options of its own. Every error reaches the user as one clear line (and a JSON object with
// --json), never as an exception or a stack trace.
#include "cli/app.hpp"

#include "cli/command.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "signing/provider_error.hpp"

#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionProcessor.h>

#include <iostream>
#include <sstream>

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

const char* const usageLine = "[--config FILE] [--json] COMMAND [OPTIONS]";

// The options of `command` as given in `argv`, and --help. Returns true when its help was asked
// for. `shownAs` is how the user calls it: "fiscpos pay", "fiscpos-demo".
bool parseCommandOptions(const Command& command, const std::string& shownAs,
                         const std::vector<std::string>& argv, CommandArgs& args) {
    OptionSet options;
    command.defineOptions(options);
    options.addOption(Option("help", "h", "show this command's help"));
    Poco::Util::OptionProcessor processor(options);
    processor.setUnixStyle(true);
    bool help = false;
    for (const auto& argument : argv) {
        std::string name;
        std::string value;
        if (processor.process(argument, name, value)) {
            if (name.empty()) {
                continue; // the option's value follows in the next argument
            }
            if (name == "help") {
                help = true;
            } else {
                args.set(name, value);
            }
        } else if (args.words().size() < command.spec().maxWords && !argument.starts_with("-")) {
            args.addWord(argument);
        } else {
            throw core::InputError(command.name(), "unexpected argument \"" + argument +
                                                       "\" (see " + shownAs + " --help)");
        }
    }
    if (!help) {
        processor.checkRequired();
    }
    return help;
}

// Help text under the options: each paragraph wrapped at 80 columns, but a line that begins with a
// space (an example, a list) is printed as written, so that a command can be copied from it.
void writeHelpText(std::ostream& stream, const std::string& text) {
    constexpr std::size_t width = 80;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.front() == ' ') {
            stream << line << '\n';
            continue;
        }
        std::istringstream words(line);
        std::string current;
        for (std::string word; words >> word;) {
            if (!current.empty() && current.size() + 1 + word.size() > width) {
                stream << current << '\n';
                current.clear();
            }
            current += (current.empty() ? "" : " ") + word;
        }
        stream << current << '\n';
    }
}

void printCommandHelp(const Command& command, const std::string& shownAs, bool standalone,
                      std::ostream& stream) {
    OptionSet options;
    command.defineOptions(options);
    options.addOption(Option("help", "h", "show this command's help"));
    if (standalone) {
        options.addOption(Option("json", "", "print one JSON object on stdout"));
        options.addOption(Option("version", "", "print the version and exit"));
    }
    Poco::Util::HelpFormatter formatter(options);
    formatter.setUnixStyle(true);
    formatter.setCommand(shownAs);
    formatter.setUsage(command.spec().usage);
    formatter.setHeader(command.spec().summary);
    formatter.format(stream);
    if (!command.spec().details.empty()) {
        stream << '\n';
        writeHelpText(stream, command.spec().details);
    }
}

// Parses the command's options and runs it; every error becomes one clear line (and a JSON
// object with --json) and its exit status.
int runCommand(const Command& command, const std::string& shownAs,
               const std::vector<std::string>& argv, Output& out,
               const std::optional<std::string>& configFile, bool standalone = false,
               const std::optional<std::string>& language = std::nullopt) {
    try {
        CommandArgs args;
        if (parseCommandOptions(command, shownAs, argv, args)) {
            printCommandHelp(command, shownAs, standalone, std::cout);
            return ExitDone;
        }
        CommandContext context{out, configFile, language};
        if (const auto requested = context.requestedLanguage()) {
            out.setLanguage(*requested);
        }
        return command.run(args, context);
    } catch (const Poco::Util::OptionException& e) {
        out.error("input",
                  command.name() + ": " + e.displayText() + " (see " + shownAs + " --help)");
        return ExitBadInput;
    } catch (const core::InputError& e) {
        out.error(e.code(), e.what(), e.field());
        return ExitBadInput;
    } catch (const signing::ProviderError& e) {
        out.error(e.code(), e.what(), e.field());
        return ExitBadInput;
    } catch (const core::TransportError& e) {
        out.error(e.code(), e.what());
        return e.outcomeUnknown() ? ExitInDoubt : ExitBadInput;
    } catch (const core::Error& e) {
        out.error(e.code(), e.what());
        return ExitBadInput;
    } catch (const Poco::Exception& e) {
        out.error("internal", e.displayText());
        return ExitBadInput;
    } catch (const std::exception& e) {
        out.error("internal", e.what());
        return ExitBadInput;
    }
}

class FiscposApplication final : public Poco::Util::Application {
public:
    FiscposApplication(std::vector<std::string> commandArgs, std::vector<Command> commands)
        : commandArgs_(std::move(commandArgs))
        , commands_(std::move(commands)) {
        setUnixOptions(true);
    }

    int exitCode() const { return exitCode_; }

protected:
    void defineOptions(OptionSet& options) override {
        options.addOption(Option("help", "h", "show this help, or a command's help")
                              .callback(Poco::Util::OptionCallback<FiscposApplication>(
                                  this, &FiscposApplication::onHelp)));
        options.addOption(Option("version", "", "print the version and exit"));
        options.addOption(Option("config", "c", "configuration file (INI; see samples/fiscpos.ini)")
                              .argument("FILE"));
        options.addOption(Option("json", "", "print one JSON object on stdout"));
        options.addOption(Option("lang", "",
                                 "the language people read: el (Greek) or en (default: [display] "
                                 "language, el)")
                              .argument("LANG"));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Poco::Util::Application::handleOption(name, value);
        if (name == "version") {
            version_ = true;
        } else if (name == "config") {
            configFile_ = value;
        } else if (name == "json") {
            json_ = true;
        } else if (name == "lang") {
            language_ = value;
        }
    }

    int main(const ArgVec&) override {
        Output out(std::cout, std::cerr, json_);
        exitCode_ = dispatch(out);
        return exitCode_;
    }

private:
    void onHelp(const std::string&, const std::string&) { help_ = true; }

    int dispatch(Output& out) {
        if (version_) {
            if (json_) {
                out.result({{"version", FISCPOS_VERSION}});
            } else {
                std::cout << "fiscpos " << FISCPOS_VERSION << '\n';
            }
            return ExitDone;
        }
        if (commandArgs_.empty()) {
            printGlobalHelp(help_ ? std::cout : std::cerr);
            return help_ ? ExitDone : ExitBadInput;
        }
        std::string commandName = commandArgs_.front();
        std::vector<std::string> rest(commandArgs_.begin() + 1, commandArgs_.end());
        if (commandName == "help") {
            if (rest.empty()) {
                printGlobalHelp(std::cout);
                return ExitDone;
            }
            commandName = rest.front();
            rest = {"--help"};
        }
        const Command* command = find(commandName);
        if (command == nullptr) {
            out.error("input", "\"" + commandName +
                                   "\" is not a fiscpos command; run fiscpos --help for the list");
            return ExitBadInput;
        }
        return runCommand(*command, "fiscpos " + commandName, rest, out, configFile_, false,
                          language_);
    }

    const Command* find(const std::string& name) const {
        for (const auto& command : commands_) {
            if (command.name() == name) {
                return &command;
            }
        }
        return nullptr;
    }

    void printGlobalHelp(std::ostream& stream) {
        Poco::Util::HelpFormatter formatter(options());
        formatter.setUnixStyle(true);
        formatter.setCommand("fiscpos");
        formatter.setUsage(usageLine);
        formatter.setHeader(
            "Card payments with the e-invoicing provider's signature (AADE A.1155/2023): the "
            "provider's Input/Signature pair, the payment networks, the cash journal.");
        std::ostringstream footer;
        footer << "Commands:\n";
        for (const auto& command : commands_) {
            std::string name = "  " + command.name();
            name.resize(20, ' ');
            footer << name << command.spec().summary << '\n';
        }
        footer << "\nRun 'fiscpos COMMAND --help' for a command's options.\n"
               << "Exit status: 0 approved/verified/done; 1 bad input or configuration (the "
                  "message names the field); 2 not charged; 3 in doubt (do not charge again; run "
                  "status or reconcile).";
        formatter.format(stream);
        stream << '\n';
        writeHelpText(stream, footer.str());
    }

    std::vector<std::string> commandArgs_;
    std::vector<Command> commands_;
    std::optional<std::string> configFile_;
    std::optional<std::string> language_;
    bool json_ = false;
    bool help_ = false;
    bool version_ = false;
    int exitCode_ = ExitBadInput;
};

bool takesValue(const std::string& arg) {
    return arg == "--config" || arg == "-c" || arg == "--lang";
}

} // namespace

int runCommandLine(int argc, char** argv, std::vector<Command> commands) {
    // Global options come before the command name; everything from the command on is the
    // command's own.
    std::vector<std::string> global{argv[0]};
    std::vector<std::string> commandArgs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (!commandArgs.empty() || (arg.empty() || arg[0] != '-')) {
            commandArgs.push_back(arg);
        } else {
            global.push_back(arg);
            if (takesValue(arg) && i + 1 < argc) {
                global.emplace_back(argv[++i]);
            }
        }
    }
    FiscposApplication app(std::move(commandArgs), std::move(commands));
    try {
        std::vector<char*> pointers;
        for (auto& arg : global) {
            pointers.push_back(arg.data());
        }
        app.init(static_cast<int>(pointers.size()), pointers.data());
    } catch (const Poco::Exception& e) {
        std::cerr << "fiscpos: error: " << e.displayText() << " (see fiscpos --help)" << std::endl;
        return ExitBadInput;
    }
    app.run();
    return app.exitCode();
}

int runCommandAlone(int argc, char** argv, const Command& command) {
    const std::string program = "fiscpos-" + command.name();
    bool json = false;
    bool version = false;
    std::vector<std::string> rest;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json") {
            json = true;
        } else if (arg == "--version") {
            version = true;
        } else {
            rest.push_back(arg);
        }
    }
    Output out(std::cout, std::cerr, json);
    if (version) {
        if (json) {
            out.result({{"version", FISCPOS_VERSION}});
        } else {
            std::cout << program << " " << FISCPOS_VERSION << '\n';
        }
        return ExitDone;
    }
    return runCommand(command, program, rest, out, std::nullopt, true);
}

} // namespace fiscpos::cli
