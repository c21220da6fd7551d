// The invoice as the provider's invoices API takes it (contract provider-invoices.md §3): JSON,
// not myDATA XML. Values are sent as the ERP gave them, never computed, except where the provider
// requires a field the ERP may leave out: a line without quantity and unit_price goes as 1 × its
// net. Nulls and empty arrays are left out. A card payment carries its transaction id and the
// provider's signature (signed_text); the provider adds the terminal id and its own approval
// number from its signature record.
#pragma once

#include "core/json.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"

#include <vector>

namespace fiscpos::einvoice {

// The body of POST /v2/invoices. `payments` must add up to the invoice's gross total (InputError
// naming "payments" otherwise). An invoice with withheld, fee, stamp, other-tax or deduction
// amounts is refused (InputError naming the total): this body carries VAT only.
core::Json providerInvoiceBody(const Invoice& invoice, const std::vector<PaymentLine>& payments);

// The payment_methods items of `payments` (also the "payments" of a deferred card payment).
core::Json providerPaymentItems(const std::vector<PaymentLine>& payments);

} // namespace fiscpos::einvoice
