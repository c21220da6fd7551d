// fiscpos verify-signature: checks a provider's Input/Signature pair with the provider's public
// key, the way a terminal does before it charges.
#include "cli/commands/commands.hpp"

#include "core/errors.hpp"
#include "signing/ecdsa.hpp"
#include "signing/input_text.hpp"
#include "signing/signature_text.hpp"

namespace fiscpos::cli {

namespace {

int runVerifySignature(const CommandArgs& args, CommandContext& context) {
    Output& out = context.out;
    const std::string input = args.require("input");
    const auto key = signing::PublicKey::fromPemFile(args.require("public-key"));
    signing::Bytes der;
    try {
        der = signing::decodeSignature(args.require("signature"));
    } catch (const core::CryptoError& e) {
        throw core::InputError("--signature", e.what());
    }
    const auto layout = args.get("layout") ? signing::parseLayout(*args.get("layout"), "--layout")
                                           : signing::InputLayout::Mellon;

    const bool verified = key.verify(input, der);
    core::Json result{{"ok", verified},
                      {"verified", verified},
                      {"input", input},
                      {"signature_base64", signing::toBase64(der)},
                      {"signature_hex", signing::toHexUpper(der)},
                      {"signature_der_bytes", der.size()},
                      {"public_key", key.spkiBase64()}};

    std::string fieldsProblem;
    try {
        const auto parsed = signing::InputText::parse(input, layout);
        result["fields"] = {{"layout", std::string(signing::layoutName(layout))},
                            {"uid", parsed.uid()},
                            {"mark", parsed.mark()},
                            {"timestamp", parsed.timestamp()},
                            {"net", parsed.net().toString()},
                            {"vat", parsed.vat().toString()},
                            {"total", parsed.total().toString()},
                            {"payable", parsed.payable().toString()},
                            {"tid", parsed.tid()}};
    } catch (const core::InputError& e) {
        fieldsProblem = e.what();
        result["fields_error"] = fieldsProblem;
    }

    out.line(verified ? "verified: the signature matches the Input and the public key"
                      : "NOT verified: the signature does not match this Input and public key");
    out.field("Input", input);
    out.field("Signature", std::to_string(der.size()) + "-byte DER, " + signing::toBase64(der));
    if (result.contains("fields")) {
        const auto& f = result["fields"];
        out.field("layout", f["layout"].get<std::string>());
        out.field("UID", f["uid"].get<std::string>());
        out.field("MARK", f["mark"].get<std::string>().empty() ? "(none: paid with the invoice)"
                                                               : f["mark"].get<std::string>());
        out.field("signed at", f["timestamp"].get<std::string>() + " (Athens time)");
        out.field("net/VAT/total", f["net"].get<std::string>() + " / " +
                                       f["vat"].get<std::string>() + " / " +
                                       f["total"].get<std::string>() + " EUR");
        out.field("payable", f["payable"].get<std::string>() + " EUR");
        out.field("TID", f["tid"].get<std::string>());
    } else {
        out.field("fields", "not readable as a " + std::string(signing::layoutName(layout)) +
                                " Input: " + fieldsProblem);
    }
    out.result(result);
    if (!verified) {
        out.progress("the signature does not verify: do not send it to a terminal");
    }
    return verified ? ExitDone : ExitBadInput;
}

} // namespace

Command makeVerifySignatureCommand() {
    return Command(
        {"verify-signature",
         "check a provider's Input/Signature pair with its public key",
         "The Input is the provider's signed clear text, verbatim (quote it: it holds ';').\n"
         "The signature is DER, as base64 or hex (either case). Exit status 0 when it verifies, 1 "
         "when it does not or when an argument is malformed.\n"
         "Example:\n  fiscpos verify-signature --public-key provider-public.pem \\\n"
         "    --input 'D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC;;20240510164340;100;24;124;124;"
         "99000031' \\\n    --signature MEUCIQ...",
         {{"input", "the signed clear text (the provider's Input)", "TEXT", Need::Required},
          {"signature", "the signature, base64 or hex DER", "B64|HEX", Need::Required},
          {"public-key", "the provider's public key (PEM file)", "PEM", Need::Required},
          {"layout", "read the Input's fields in this layout: mellon (default) or viva",
           "LAYOUT"}}},
        runVerifySignature);
}

} // namespace fiscpos::cli
