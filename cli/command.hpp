// One `fiscpos` sub-command: its options, its help and what it does.
#pragma once

#include "cli/output.hpp"

#include <Poco/Util/OptionSet.h>

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
};

class Command {
public:
    virtual ~Command() = default;
    virtual std::string name() const = 0;
    virtual std::string summary() const = 0;
    // Text shown under the options in `fiscpos COMMAND --help`.
    virtual std::string details() const { return {}; }
    virtual void defineOptions(Poco::Util::OptionSet& options) const = 0;
    // How many words (non-option arguments) the command takes; more are refused.
    virtual std::size_t maxWords() const { return 0; }
    // Shown after the command name in its usage line.
    virtual std::string usage() const { return "[OPTIONS]"; }
    // Returns the exit status (see ExitCode).
    virtual int run(const CommandArgs& args, CommandContext& context) = 0;
};

// The exit statuses of the design: what a calling script or ERP branches on.
enum ExitCode : int {
    ExitDone = 0,       // approved, verified, done
    ExitBadInput = 1,   // bad input or configuration, or a signature that does not verify
    ExitNotCharged = 2, // declined, cancelled, failed: nothing was charged
    ExitInDoubt = 3,    // do not charge again; run status or reconcile
};

std::vector<std::unique_ptr<Command>> allCommands();

} // namespace fiscpos::cli
