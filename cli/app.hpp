#pragma once

#include "cli/command.hpp"

#include <vector>

namespace fiscpos::cli {

// Runs `fiscpos` with the process's arguments and its commands; returns the exit status.
int runCommandLine(int argc, char** argv, std::vector<Command> commands);

// Runs one command as a program of its own, "fiscpos-NAME [--json] [OPTIONS]" (fiscpos-demo):
// its options, --help, --json and --version, with the errors and exit statuses of fiscpos NAME.
int runCommandAlone(int argc, char** argv, const Command& command);

} // namespace fiscpos::cli
