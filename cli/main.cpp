#include "cli/app.hpp"

int main(int argc, char** argv) {
    return fiscpos::cli::runCommandLine(argc, argv, fiscpos::cli::allCommands());
}
