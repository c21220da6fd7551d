// fiscpos demo: the demo is a program of its own, fiscpos-demo (demo/), so that this production
// binary carries no simulator. The command stays to tell whoever learnt `fiscpos demo` where it
// went, with the options it took, instead of "not a fiscpos command".
#include "cli/commands/commands.hpp"

namespace fiscpos::cli {

Command makeMovedDemoCommand() {
    return Command({"demo",
                    "moved: the demo is its own program, fiscpos-demo (scripts/demo.sh runs it)",
                    "",
                    {{"provider-key", "(see fiscpos-demo --help)", "PEM"},
                     {"xsd-dir", "(see fiscpos-demo --help)", "DIR"}}},
                   [](const CommandArgs&, CommandContext& context) {
                       context.out.error(
                           "input",
                           "the demo is a program of its own now: run fiscpos-demo with the "
                           "same options (build/demo/fiscpos-demo in a build, or "
                           "scripts/demo.sh)");
                       return ExitBadInput;
                   });
}

} // namespace fiscpos::cli
