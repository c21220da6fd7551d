// Steps 2 and 3 of the payment: what the provider is asked to sign for an invoice and a card
// payment, and the check of the provider's answer against what is about to be charged.
#pragma once

#include "core/money.hpp"
#include "einvoice/invoice.hpp"
#include "signing/signature.hpp"

#include <string>

namespace fiscpos::plugin {

// The provider request for paying `payment` of `invoice` on terminal `tid` of network `nsp`.
// InputError "amount" when the payment is zero or more than the invoice's gross total.
signing::SignatureRequest signatureRequestFor(const einvoice::Invoice& invoice, core::Money payment,
                                              const std::string& tid, signing::Nsp nsp,
                                              signing::SignatureDuration duration);

// The provider's Input must say what is about to be charged: the invoice's UID (in either Greek
// encoding of the series), its MARK, its totals, this payment, this terminal, in the layout of this
// network. Throws core::ResponseError naming the first Input field that differs.
void checkSignatureMatches(const signing::ProviderSignature& signature,
                           const einvoice::Invoice& invoice,
                           const signing::SignatureRequest& request);

} // namespace fiscpos::plugin
