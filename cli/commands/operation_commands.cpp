// fiscpos capture | cancel | batch-close: the operations beyond a sale that some networks offer —
// capturing a pre-authorisation, stopping a payment in progress, closing a terminal's batch.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;

class CaptureCommand final : public Command {
public:
    std::string name() const override { return "capture"; }
    std::string summary() const override {
        return "capture an approved pre-authorisation (books the amount, with the invoice's "
               "signature)";
    }
    std::string details() const override {
        return "A \"completion\" entry linked to the pre-authorisation (fiscpos pay --preauth). "
               "The amount may be less than what was reserved, never more. Exit status as for "
               "pay.\nExample:\n  fiscpos --config fiscpos.ini capture --entry PREAUTH --invoice "
               "sale.json";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("entry", "", "the approved pre-authorisation's entry")
                              .required(true)
                              .argument("ENTRY"));
        options.addOption(Option("invoice", "", "the invoice of the sale (JSON)")
                              .required(true)
                              .argument("FILE"));
        options.addOption(
            Option("amount", "", "how much (default: the invoice's gross)").argument("EUR"));
        options.addOption(Option("key", "", "idempotency key: the same key never captures twice")
                              .argument("KEY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        plugin::CaptureRequest request;
        request.preauthEntry = args.require("entry");
        request.invoiceJson = readFile(args.require("invoice"), "--invoice");
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        if (auto amount = args.get("amount")) {
            request.amount = core::Money::parse(*amount, "--amount");
        }
        request.idempotencyKey = args.get("key");
        const auto entry = payments.service().capture(request, payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

class CancelCommand final : public Command {
public:
    std::string name() const override { return "cancel"; }
    std::string summary() const override {
        return "ask the terminal to stop a payment that is still open";
    }
    std::string details() const override {
        return "For a payment another fiscpos (or the ERP) is running. A payment that has not "
               "reached the terminal yet stops before it is sent; one on the terminal is aborted "
               "where the network allows it (Viva), and the payment's own process records how it "
               "really ended (an abort request proves nothing: the card may have paid). Prints "
               "the entry as it stands; run fiscpos status --entry ENTRY later.\n"
               "Example:\n  fiscpos --config fiscpos.ini cancel --entry ENTRY";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(
            Option("entry", "", "the open payment's entry").required(true).argument("ENTRY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        const auto entry =
            payments.service().cancel(args.require("entry"), payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

class BatchCloseCommand final : public Command {
public:
    std::string name() const override { return "batch-close"; }
    std::string summary() const override {
        return "close a terminal's batch (GP tom) and journal the network's totals";
    }
    std::string details() const override {
        return "A \"batch_close\" entry that books nothing and keeps the totals the network "
               "reports. Networks that close their batches by themselves (Mellon, Viva) refuse "
               "it before anything is written.\nExample:\n  fiscpos --config fiscpos.ini "
               "batch-close --terminal G1";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(Option("terminal", "", "a [terminal.NAME] section of the configuration")
                              .required(true)
                              .argument("NAME"));
        options.addOption(
            Option("key", "", "idempotency key: the same key never closes twice").argument("KEY"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context);
        const auto entry = payments.service().closeBatch(args.require("terminal"), args.get("key"),
                                                         payments.progress(context.out));
        return reportEntry(context.out, entry);
    }
};

} // namespace

std::unique_ptr<Command> makeCaptureCommand() {
    return std::make_unique<CaptureCommand>();
}
std::unique_ptr<Command> makeCancelCommand() {
    return std::make_unique<CancelCommand>();
}
std::unique_ptr<Command> makeBatchCloseCommand() {
    return std::make_unique<BatchCloseCommand>();
}

} // namespace fiscpos::cli
