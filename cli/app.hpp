#pragma once

namespace fiscpos::cli {

// Runs `fiscpos` with the process's arguments; returns the exit status.
int runFiscpos(int argc, char** argv);

} // namespace fiscpos::cli
