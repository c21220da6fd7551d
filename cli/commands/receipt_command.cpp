// fiscpos receipt: the customer's receipt of an issued invoice — its message and QR code, and, with
// --email / --sms, sent once per recipient (the journal is the outbox: a rerun sends nothing new
// and says when it was sent; --resend sends again and journals why).
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "core/files.hpp"
#include "einvoice/receipt.hpp"
#include "plugin/receipt_channels.hpp"

namespace fiscpos::cli {

namespace {

int runReceipt(const CommandArgs& args, CommandContext& context) {
    PaymentContext payments(context, false);
    plugin::ReceiptDelivery delivery(payments.journal());
    plugin::ReceiptRequest request;
    request.entryId = entryArg(args, payments.journal());
    request.language = plugin::receiptLanguage(payments.config(), args.get("lang"), "--lang");
    request.resend = args.has("resend");
    request.reason = args.get("reason").value_or("");
    if (args.has("reason") && !request.resend) {
        throw core::InputError("--reason",
                               "says why a receipt is sent again: use it with --resend");
    }
    if (const auto email = args.get("email")) {
        request.destinations.push_back({plugin::ReceiptChannel::Email, *email, "--email"});
    }
    if (const auto number = args.get("sms")) {
        request.destinations.push_back({plugin::ReceiptChannel::Sms, *number, "--sms"});
    }
    if (request.resend && request.destinations.empty()) {
        throw core::InputError("--resend", "needs --email or --sms: whom to send it to again");
    }
    if (!request.destinations.empty()) {
        plugin::setUpReceiptChannels(delivery, payments.config());
    }
    const plugin::ReceiptOutcome outcome =
        request.destinations.empty()
            ? delivery.prepare(request.entryId, request.language, "--entry")
            : delivery.deliver(request, payments.progress(context.out), "--entry");
    const std::string& url = outcome.facts.url;
    if (const auto svg = args.get("qr-svg")) {
        core::writePrivateFile(*svg, einvoice::qrSvg(url), "--qr-svg");
    }
    if (const auto png = args.get("qr-png")) {
        core::writePrivateFile(*png, einvoice::qrPng(url), "--qr-png");
    }
    int exit = ExitDone;
    if (request.destinations.empty()) {
        context.out.line(outcome.text.plain);
        context.out.line(einvoice::qrText(url));
    }
    for (const auto& sent : outcome.deliveries) {
        const std::string channel =
            sent.destination.channel == plugin::ReceiptChannel::Email ? "e-mail" : "SMS";
        std::string line = sent.state + "  " + channel + " to " + sent.destination.to;
        if (sent.state == "ALREADY_SENT") {
            line += " (at " + sent.at + "; --resend sends it again)";
        } else if (sent.state == "UNKNOWN") {
            line += " — may have been sent; never sent again on its own (--resend if the "
                    "customer did not get it)";
            exit = ExitInDoubt;
        } else if (sent.state == "REFUSED") {
            line += " — not sent: " + sent.detail;
            exit = exit == ExitInDoubt ? exit : ExitBadInput;
        }
        if (!sent.delivery.empty()) {
            line += " — delivery: " + sent.delivery;
        }
        context.out.line(line);
        context.out.field("outbox", sent.outboxId);
    }
    context.out.result(plugin::receiptOutcomeJson(outcome));
    return exit;
}

} // namespace

Command makeReceiptCommand() {
    return Command(
        {"receipt",
         "the customer's receipt of an issued invoice: message and QR code, or sent by e-mail "
         "or SMS once per recipient",
         "Without --email or --sms it prints the message and the QR code of the receipt link. "
         "With them it sends the message through [mail] / [sms]; a recipient already sent to "
         "gets nothing new (exit 0, it says when); a message that may have left without an "
         "answer is UNKNOWN (exit 3) and is never sent again unless --resend; a refusal (exit 1) "
         "may be tried again. Language: --lang, else [receipt] language, else Greek.",
         {entryOption("the approved payment whose invoice was issued (fiscpos issue)"),
          {"email", "e-mail the receipt to this address", "ADDRESS"},
          {"sms", "send the receipt link by SMS to this number (+30…)", "NUMBER"},
          {"resend", "send again to a recipient already sent to (journaled, with --reason)"},
          {"reason", "why it is sent again", "TEXT"},
          {"lang", "el (Greek, the default) or en", "LANG"},
          {"qr-svg", "write the QR code of the receipt link as SVG", "FILE"},
          {"qr-png", "write the QR code of the receipt link as PNG", "FILE"}}},
        runReceipt);
}

} // namespace fiscpos::cli
