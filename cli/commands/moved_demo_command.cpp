// fiscpos demo: the demo is a program of its own, fiscpos-demo (demo/), so that this production
// binary carries no simulator. The command stays to tell whoever learnt `fiscpos demo` where it
// went, with the options it took, instead of "not a fiscpos command".
#include "cli/commands/commands.hpp"

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;

class MovedDemoCommand final : public Command {
public:
    std::string name() const override { return "demo"; }
    std::string summary() const override {
        return "moved: the demo is its own program, fiscpos-demo (scripts/demo.sh runs it)";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("provider-key", "", "(see fiscpos-demo --help)").argument("PEM"));
        options.addOption(Option("xsd-dir", "", "(see fiscpos-demo --help)").argument("DIR"));
    }
    int run(const CommandArgs&, CommandContext& context) override {
        context.out.error("input",
                          "the demo is a program of its own now: run fiscpos-demo with the same "
                          "options (build/demo/fiscpos-demo in a build, or scripts/demo.sh)");
        return ExitBadInput;
    }
};

} // namespace

std::unique_ptr<Command> makeMovedDemoCommand() {
    return std::make_unique<MovedDemoCommand>();
}

} // namespace fiscpos::cli
