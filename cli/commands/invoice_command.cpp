// fiscpos invoice: the myDATA InvoicesDoc of an approved payment's invoice — the invoice the ERP
// sent with the payment (kept in the journal) or --invoice FILE, with every approved card payment
// of it (type 7, tid, transactionId, signature) — validated against AADE's XSD when a folder of
// them is configured ([mydata] xsd_dir) or given.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/mydata_payment.hpp"

#include <iostream>

namespace fiscpos::cli {

namespace {

int runInvoice(const CommandArgs& args, CommandContext& context) {
    PaymentContext payments(context, false);
    const auto entry = payments.journal().get(entryArg(args, payments.journal()));
    plugin::mydataPaymentLine(entry, "--entry"); // an approved payment, or the reason not
    // The invoice as the ERP sent it with the payment (the journal keeps it), or the file
    // given; every approved card payment of the same invoice goes into it.
    const einvoice::Invoice invoice =
        args.get("invoice") ? einvoice::loadInvoiceFile(*args.get("invoice"))
                            : plugin::journaledInvoice(payments.journal(), entry, "--entry");
    std::vector<einvoice::PaymentLine> lines;
    for (const auto& paid : plugin::invoicePayments(payments.journal(), entry, invoice)) {
        lines.push_back(plugin::mydataPaymentLine(paid, "--entry"));
    }
    const std::string xml = einvoice::invoicesDoc(invoice, lines);
    std::string validated = "not validated (no XSD folder: set [mydata] xsd_dir or --xsd-dir)";
    std::optional<std::filesystem::path> dir;
    if (auto given = args.get("xsd-dir")) {
        dir = *given;
    } else {
        dir = payments.config().getPath("mydata.xsd_dir");
    }
    if (dir) {
        einvoice::XsdValidator validator(*dir);
        validator.validate(xml, einvoice::MydataSchema::InvoicesDoc);
        validated = "valid against " +
                    validator.schemaFile(einvoice::MydataSchema::InvoicesDoc).filename().string();
    }
    if (context.out.json()) {
        context.out.result({{"ok", true}, {"entry", entry.id}, {"xml", xml}, {"xsd", validated}});
    } else {
        std::cout << xml;
        if (!xml.empty() && xml.back() != '\n') {
            std::cout << '\n';
        }
    }
    context.out.progress("InvoicesDoc " + validated);
    return ExitDone;
}

} // namespace

Command makeInvoiceCommand() {
    return Command({"invoice",
                    "the myDATA XML of an approved payment (type 7, tid, transactionId, signature)",
                    "",
                    {entryOption("the approved payment's entry"),
                     invoiceOption("the invoice (default: the one journaled with the payment)",
                                   Need::Optional),
                     {"xsd-dir", "AADE's myDATA XSD folder (default: [mydata] xsd_dir)", "DIR"}}},
                   runInvoice);
}

} // namespace fiscpos::cli
