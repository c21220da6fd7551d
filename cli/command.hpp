// One `fiscpos` sub-command: its options, its help and what it does.
#pragma once

#include "cli/output.hpp"
#include "core/i18n.hpp"
#include "core/money.hpp"

#include <Poco/Util/OptionSet.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::cli {

// The options a command was given, by long name.
class CommandArgs {
public:
    void set(const std::string& name, const std::string& value) { values_[name] = value; }
    bool has(const std::string& name) const { return values_.contains(name); }
    std::optional<std::string> get(const std::string& name) const;
    // InputError naming "--name" when it was not given.
    std::string require(const std::string& name) const;
    // An amount in euros ("--amount 12.40"), when it was given; InputError naming "--name" when
    // it is not one.
    std::optional<core::Money> money(const std::string& name) const;
    // Words after the command that are not options ("journal show ENTRY").
    void addWord(const std::string& word) { words_.push_back(word); }
    const std::vector<std::string>& words() const { return words_; }

private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> words_;
};

// What every command may use: the output (human or --json) and the configuration file, if any.
struct CommandContext {
    Output& out;
    std::optional<std::string> configFile;
    std::optional<std::string> language; // --lang, as given

    // --lang, or nullopt to take [display] language; InputError naming --lang when it is neither
    // el nor en.
    std::optional<core::Language> requestedLanguage() const;

    // The --config file; ConfigError naming --config with `why` when none was given.
    const std::string& requireConfigFile(const std::string& why) const;
};

// Whether a command refuses to run without an option (Poco says "Required option not
// specified").
enum class Need { Optional, Required };

// One option of a command as `fiscpos COMMAND --help` lists it: "--name=ARGUMENT  help".
struct OptionSpec {
    std::string name;
    std::string help;
    std::string argument = {}; // what its value is called ("FILE"); empty for a flag (--preauth)
    Need need = Need::Optional;
};

// A command as its user meets it: its name, its help and the options and words it takes.
struct CommandSpec {
    std::string name;
    // One line in the list of `fiscpos --help`, and the header of the command's own help.
    std::string summary;
    // Shown under the options in `fiscpos COMMAND --help`.
    std::string details;
    std::vector<OptionSpec> options;
    // Shown after the command name in its usage line.
    std::string usage = "[OPTIONS]";
    // How many words (non-option arguments) the command takes; more are refused.
    std::size_t maxWords = 0;
};

// What a command does with the options it was given; returns the exit status (see ExitCode).
using CommandRun = std::function<int(const CommandArgs& args, CommandContext& context)>;

class Command {
public:
    Command(CommandSpec spec, CommandRun run);

    const CommandSpec& spec() const { return spec_; }
    const std::string& name() const { return spec_.name; }
    // The options of the spec, for parsing them and for the help.
    void defineOptions(Poco::Util::OptionSet& options) const;
    int run(const CommandArgs& args, CommandContext& context) const { return run_(args, context); }

private:
    CommandSpec spec_;
    CommandRun run_;
};

// The exit statuses of the design: what a calling script or ERP branches on.
enum ExitCode : int {
    ExitDone = 0,       // approved, verified, done
    ExitBadInput = 1,   // bad input or configuration, or a signature that does not verify
    ExitNotCharged = 2, // declined, cancelled, failed: nothing was charged
    ExitInDoubt = 3,    // do not charge again; run status or reconcile
};

std::vector<Command> allCommands();

} // namespace fiscpos::cli
