#include "cli/commands/commands.hpp"

namespace fiscpos::cli {

std::vector<std::unique_ptr<Command>> allCommands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(makePayCommand());
    commands.push_back(makeRefundCommand());
    commands.push_back(makeVoidCommand());
    commands.push_back(makeCaptureCommand());
    commands.push_back(makeCancelCommand());
    commands.push_back(makeBatchCloseCommand());
    commands.push_back(makeStatusCommand());
    commands.push_back(makeReconcileCommand());
    commands.push_back(makeJournalCommand());
    commands.push_back(makeInvoiceCommand());
    commands.push_back(makePairCommand());
    commands.push_back(makeTerminalsCommand());
    commands.push_back(makeServeCommand());
    commands.push_back(makeMovedDemoCommand());
    commands.push_back(makeSignCommand());
    commands.push_back(makeVerifySignatureCommand());
    return commands;
}

} // namespace fiscpos::cli
