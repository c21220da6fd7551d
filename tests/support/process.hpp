// Runs a program of the build (fiscpos, fiscpos-sim) as a child process, for tests that exercise
// what a user runs.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fiscpos::test {

struct ProcessResult {
    int exitCode = -1;
    std::string out; // stdout
    std::string err; // stderr
};

// Runs `program` with `args` to completion, feeding nothing on stdin.
ProcessResult runProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& environment = {});

// The fiscpos executable of this build.
std::filesystem::path fiscposBinary();

} // namespace fiscpos::test
