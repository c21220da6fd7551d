#include "plugin/payment_signature.hpp"

#include "core/errors.hpp"

namespace fiscpos::plugin {

signing::SignatureRequest signatureRequestFor(const einvoice::Invoice& invoice, core::Money payment,
                                              const std::string& tid, signing::Nsp nsp,
                                              signing::SignatureDuration duration) {
    if (payment.cents() <= 0) {
        throw core::InputError("amount", "the card payment must be more than 0.00");
    }
    if (payment > invoice.totals.gross) {
        throw core::InputError("amount", "the card payment " + payment.toString() +
                                             " is more than the invoice's gross total " +
                                             invoice.totals.gross.toString());
    }
    if (tid.empty()) {
        throw core::InputError("tid", "the terminal's TID is required");
    }
    signing::SignatureRequest request;
    request.nsp = nsp;
    request.mark = invoice.mark;
    request.issuerVat = invoice.issuer.vat;
    request.branch = invoice.issuer.branch;
    request.series = invoice.series;
    request.number = invoice.aa;
    request.issuedAt = invoice.issuedAt;
    request.invoiceType = invoice.type;
    request.net = invoice.totals.net;
    request.vat = invoice.totals.vat;
    request.total = invoice.totals.gross;
    request.payment = payment;
    request.duration = duration;
    request.terminalId = tid;
    return request;
}

void checkSignatureMatches(const signing::ProviderSignature& signature,
                           const einvoice::Invoice& invoice,
                           const signing::SignatureRequest& request) {
    const signing::InputText input = signature.inputText();
    auto mismatch = [](const std::string& field, const std::string& got,
                       const std::string& expected) {
        throw core::ResponseError("input." + field, "the provider signed " + got + " but " +
                                                        expected +
                                                        " is about to be charged; nothing was sent "
                                                        "to the terminal");
    };
    if (input.layout() != signing::layoutFor(request.nsp)) {
        mismatch("layout", std::string(signing::layoutName(input.layout())),
                 std::string(signing::layoutName(signing::layoutFor(request.nsp))));
    }
    const std::string iso = invoice.uid(core::UidSeriesEncoding::Iso8859_7);
    const std::string utf8 = invoice.uid(core::UidSeriesEncoding::Utf8);
    if (input.uid() != iso && input.uid() != utf8) {
        mismatch("uid", input.uid(),
                 "invoice " + invoice.series + "-" + invoice.aa + " (" + iso + ")");
    }
    if (input.mark() != invoice.mark.value_or("")) {
        mismatch("mark", "MARK \"" + input.mark() + "\"",
                 "MARK \"" + invoice.mark.value_or("") + "\"");
    }
    const std::pair<const char*, std::pair<core::Money, core::Money>> amounts[] = {
        {"net", {input.net(), request.net}},
        {"vat", {input.vat(), request.vat}},
        {"total", {input.total(), request.total}},
        {"payable", {input.payable(), request.payment}},
    };
    for (const auto& [field, values] : amounts) {
        if (values.first != values.second) {
            mismatch(field, values.first.toString(), values.second.toString());
        }
    }
    if (input.tid() != request.terminalId) {
        mismatch("tid", "TID " + input.tid(), "TID " + request.terminalId);
    }
}

} // namespace fiscpos::plugin
