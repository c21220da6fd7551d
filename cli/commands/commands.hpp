#pragma once

#include "cli/command.hpp"

#include <memory>

namespace fiscpos::cli {

std::unique_ptr<Command> makeVerifySignatureCommand();
std::unique_ptr<Command> makeSignCommand();
// `fiscpos demo` says where the demo is now (fiscpos-demo).
std::unique_ptr<Command> makeMovedDemoCommand();
std::unique_ptr<Command> makePayCommand();
std::unique_ptr<Command> makeStatusCommand();
std::unique_ptr<Command> makeRefundCommand();
std::unique_ptr<Command> makeVoidCommand();
std::unique_ptr<Command> makeCaptureCommand();
std::unique_ptr<Command> makeCancelCommand();
std::unique_ptr<Command> makeBatchCloseCommand();
std::unique_ptr<Command> makeReconcileCommand();
std::unique_ptr<Command> makeJournalCommand();
std::unique_ptr<Command> makeInvoiceCommand();
std::unique_ptr<Command> makePairCommand();
std::unique_ptr<Command> makeTerminalsCommand();
std::unique_ptr<Command> makeServeCommand();

} // namespace fiscpos::cli
