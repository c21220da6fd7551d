// The invoice JSON the ERP passes (einvoice::parseInvoice). An invoice that parses also gets its
// UID (both series encodings) and its myDATA InvoicesDoc, paid in cash, as `fiscpos invoice`
// builds it.
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "fuzz/fuzz_support.hpp"

using fiscpos::fuzz::refusable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    refusable([&] {
        const auto invoice = fiscpos::einvoice::parseInvoice(fiscpos::fuzz::text(data, size));
        refusable([&] { (void)invoice.uid(); });
        refusable([&] { (void)invoice.uid(fiscpos::core::UidSeriesEncoding::Utf8); });
        refusable([&] {
            const auto cash = fiscpos::einvoice::simplePaymentLine(3, invoice.totals.gross);
            (void)fiscpos::einvoice::invoicesDoc(invoice, {cash});
        });
    });
    return 0;
}
