// fiscpos invoice: the myDATA XML of an approved payment — its paymentMethodDetails, or the whole
// InvoicesDoc when the invoice is given — validated against AADE's XSD when a folder of them is
// configured ([mydata] xsd_dir) or given.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "plugin/mydata_payment.hpp"

#include <iostream>

namespace fiscpos::cli {

namespace {

using Poco::Util::Option;

class InvoiceCommand final : public Command {
public:
    std::string name() const override { return "invoice"; }
    std::string summary() const override {
        return "the myDATA XML of an approved payment (type 7, tid, transactionId, signature)";
    }
    void defineOptions(Poco::Util::OptionSet& options) const override {
        options.addOption(
            Option("entry", "", "the approved payment's entry").required(true).argument("ENTRY"));
        options.addOption(
            Option("invoice", "", "the invoice, for the whole InvoicesDoc").argument("FILE"));
        options.addOption(Option("xsd-dir", "",
                                 "AADE's myDATA XSD folder (default: [mydata] "
                                 "xsd_dir)")
                              .argument("DIR"));
    }
    int run(const CommandArgs& args, CommandContext& context) override {
        PaymentContext payments(context, false);
        const auto entry = payments.journal().get(args.require("entry"));
        const auto line = plugin::mydataPaymentLine(entry, "--entry");
        std::string xml = einvoice::paymentMethodDetailsFragment(line);
        std::string validated = "not validated (no XSD folder: set [mydata] xsd_dir or --xsd-dir)";
        if (auto file = args.get("invoice")) {
            xml = einvoice::invoicesDoc(einvoice::loadInvoiceFile(*file), {line});
            std::optional<std::filesystem::path> dir;
            if (auto given = args.get("xsd-dir")) {
                dir = *given;
            } else {
                dir = payments.config().getPath("mydata.xsd_dir");
            }
            if (dir) {
                einvoice::XsdValidator validator(*dir);
                validator.validate(xml, einvoice::MydataSchema::InvoicesDoc);
                validated =
                    "valid against " +
                    validator.schemaFile(einvoice::MydataSchema::InvoicesDoc).filename().string();
            }
        }
        if (context.out.json()) {
            context.out.result(
                {{"ok", true}, {"entry", entry.id}, {"xml", xml}, {"xsd", validated}});
        } else {
            std::cout << xml;
            if (!xml.empty() && xml.back() != '\n') {
                std::cout << '\n';
            }
        }
        if (args.has("invoice")) {
            context.out.progress("InvoicesDoc " + validated);
        }
        return ExitDone;
    }
};

} // namespace

std::unique_ptr<Command> makeInvoiceCommand() {
    return std::make_unique<InvoiceCommand>();
}

} // namespace fiscpos::cli
