#include "cli/commands/commands.hpp"

namespace fiscpos::cli {

// In the order `fiscpos --help` lists them.
std::vector<Command> allCommands() {
    return {makePayCommand(),       makeRefundCommand(),    makeVoidCommand(),
            makeCaptureCommand(),   makeCancelCommand(),    makeBatchCloseCommand(),
            makeStatusCommand(),    makeReconcileCommand(), makeJournalCommand(),
            makeInvoiceCommand(),   makeIssueCommand(),     makeReceiptCommand(),
            makePairCommand(),      makeTerminalsCommand(), makeServeCommand(),
            makeMovedDemoCommand(), makeSignCommand(),      makeVerifySignatureCommand()};
}

} // namespace fiscpos::cli
