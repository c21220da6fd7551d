// fiscpos capture | cancel | batch-close: the operations beyond a sale that some networks offer —
// capturing a pre-authorisation, stopping a payment in progress, closing a terminal's batch.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"

#include <tuple>

namespace fiscpos::cli {

Command makeCaptureCommand() {
    return entryCommand(
        {"capture",
         "capture an approved pre-authorisation (books the amount, with the invoice's signature)",
         "A \"completion\" entry linked to the pre-authorisation (fiscpos pay --preauth). The "
         "amount may be less than what was reserved, never more. Exit status as for pay.\n"
         "Example:\n  fiscpos --config fiscpos.ini capture --entry PREAUTH --invoice sale.json",
         {entryOption("the approved pre-authorisation's entry"),
          invoiceOption("the invoice of the sale (JSON)"), issuedNowOption(),
          amountOption("how much (default: the invoice's gross)"), keyOption("captures")}},
        [](const CommandArgs& args, PaymentCall& call) {
            plugin::CaptureRequest request;
            request.preauthEntry = entryArg(args, call.runtime.journal());
            std::tie(request.invoiceJson, request.invoice) = invoiceFile(args);
            request.amount = args.money("amount");
            request.idempotencyKey = args.get("key");
            return call.service.capture(request, call.progress);
        });
}

Command makeCancelCommand() {
    return entryQueryCommand(
        {"cancel",
         "ask the terminal to stop a payment that is still open",
         "For a payment another fiscpos (or the ERP) is running. A payment that has not reached "
         "the terminal yet stops before it is sent; one on the terminal is aborted where the "
         "network allows it (Viva), and the payment's own process records how it really ended (an "
         "abort request proves nothing: the card may have paid). Prints the entry as it stands; "
         "run fiscpos status --entry ENTRY later.\n"
         "Example:\n  fiscpos --config fiscpos.ini cancel --entry ENTRY",
         {entryOption("the open payment's entry")}},
        &plugin::PaymentService::cancel);
}

Command makeBatchCloseCommand() {
    return keyedCommand(
        {"batch-close",
         "close a terminal's batch (GP tom) and journal the network's totals",
         "A \"batch_close\" entry that books nothing and keeps the totals the network reports. "
         "Networks that close their batches by themselves (Mellon, Viva) refuse it before "
         "anything is written.\n"
         "Example:\n  fiscpos --config fiscpos.ini batch-close --terminal G1",
         {terminalOption(Need::Required), keyOption("closes")}},
        "terminal", &plugin::PaymentService::closeBatch);
}

} // namespace fiscpos::cli
