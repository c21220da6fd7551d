#pragma once

#include "cli/command.hpp"

namespace fiscpos::cli {

Command makeVerifySignatureCommand();
Command makeSignCommand();
// `fiscpos demo` says where the demo is now (fiscpos-demo).
Command makeMovedDemoCommand();
Command makePayCommand();
Command makeStatusCommand();
Command makeRefundCommand();
Command makeVoidCommand();
Command makeCaptureCommand();
Command makeCancelCommand();
Command makeBatchCloseCommand();
Command makeReconcileCommand();
Command makeJournalCommand();
Command makeInvoiceCommand();
Command makeIssueCommand();
Command makeReceiptCommand();
Command makePairCommand();
Command makeTerminalsCommand();
Command makeServeCommand();

} // namespace fiscpos::cli
