// fiscpos-demo: sign and verify a sample card payment, and take a sale, a refund and a void,
// against the simulator running in this process. Nothing leaves the machine.
#include "cli/app.hpp"
#include "demo/demo_command.hpp"

int main(int argc, char** argv) {
    return fiscpos::cli::runCommandAlone(argc, argv, fiscpos::demo::makeDemoCommand());
}
