// fiscpos sign: asks the configured provider for the Input/Signature of a card payment, checks the
// Input against the invoice and prints the pair. An installer uses it to check the provider
// settings; nothing is charged.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "cli/commands/signature_view.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/payment_signature.hpp"
#include "plugin/provider_settings.hpp"
#include "plugin/terminal_settings.hpp"

namespace fiscpos::cli {

namespace {

int runSign(const CommandArgs& args, CommandContext& context) {
    Output& out = context.out;
    const auto config = core::Config::load(context.requireConfigFile(
        "sign needs a configuration file with a [provider] section (see samples/fiscpos.ini)"));
    const auto invoice = invoiceFile(args).second;
    const auto amount = args.money("amount").value_or(invoice.totals.gross);
    core::SystemClock clock;
    std::string tid;
    signing::Nsp nsp = signing::Nsp::WebEcr;
    if (auto terminal = args.get("terminal")) {
        // The signature layout is the terminal's own, as a payment on it would ask for.
        const auto terminals = plugin::terminalsFromConfig(config, clock);
        const auto it = terminals.find(*terminal);
        if (it == terminals.end()) {
            throw core::InputError("--terminal", "\"" + *terminal +
                                                     "\" is not a [terminal.NAME] section of "
                                                     "the configuration");
        }
        it->second.requireUsable();
        tid = it->second.tid;
        nsp = it->second.nsp;
    } else {
        tid = args.require("tid");
        nsp = signing::parseNsp(args.get("nsp").value_or("webecr"), "--nsp");
    }
    auto signer = plugin::makeSigner(config, clock);
    const auto request =
        plugin::signatureRequestFor(invoice, amount, tid, nsp, plugin::signatureDuration(config));
    out.progress("signing: asking the provider for " + amount.toString() + " EUR on TID " + tid +
                 " (" + std::string(signing::nspName(nsp)) + ")");
    const auto signature = signer->sign(request);
    plugin::checkSignatureMatches(signature, invoice, request);
    out.progress("signed: record " + signature.id + ", the Input matches the invoice");
    if (signature.expired) {
        out.progress("warning: this signature expired at " + signature.expiresAt +
                     "; a terminal will refuse it (issue the invoice now and sign again, e.g. with "
                     "--issued-now)");
    }
    showSignature(out, signature);
    out.result({{"ok", true}, {"signature", signatureJson(signature)}});
    return ExitDone;
}

} // namespace

Command makeSignCommand() {
    return Command(
        {"sign",
         "ask the provider for a card payment's Input/Signature (charges nothing)",
         "Uses the [provider] section of the configuration. The terminal is either a "
         "[terminal.NAME] section (--terminal) or given as --tid and --nsp.\n"
         "Example:\n  fiscpos --config fiscpos.ini sign --invoice sale.json --tid 99000031 --nsp "
         "webecr",
         {invoiceOption("the invoice (JSON, see samples/invoices)"),
          issuedNowOption(),
          amountOption("the card payment (default: the invoice's gross)"),
          terminalOption(Need::Optional),
          {"tid", "the terminal's TID (instead of --terminal)", "TID"},
          {"nsp", "the network: webecr (default) or viva (with --tid)", "NSP"}}},
        runSign);
}

} // namespace fiscpos::cli
