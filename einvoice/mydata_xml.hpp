// myDATA XML documents that carry card payments (mydata.md): InvoicesDoc (SendInvoices) with
// paymentMethods, and PaymentMethodsDoc (SendPaymentsMethod) for a card payment made after the
// invoice got its MARK. Written with libxml2 as UTF-8 with an XML declaration; elements appear in
// the XSD's sequence order.
#pragma once

#include "einvoice/invoice.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fiscpos::einvoice {

inline constexpr const char* invoiceNamespace = "http://www.aade.gr/myDATA/invoice/v1.0";
inline constexpr const char* incomeClassificationNamespace =
    "https://www.aade.gr/myDATA/incomeClassificaton/v1.0"; // sic, as in the XSD
inline constexpr const char* paymentMethodNamespace =
    "https://www.aade.gr/myDATA/paymentMethod/v1.0";

// myDATA payment method codes (PaymentMethodDetailType/type, mydata.md §5).
namespace payment_type {
inline constexpr int domesticAccount = 1;
inline constexpr int foreignAccount = 2;
inline constexpr int cash = 3;
inline constexpr int cheque = 4;
inline constexpr int onCredit = 5;
inline constexpr int webBanking = 6;
inline constexpr int pos = 7;
inline constexpr int iris = 8;
} // namespace payment_type

// ProviderSignatureType: the e-invoicing provider's signature of a card payment.
struct ProvidersSignature {
    std::string signingAuthor; // the provider's AADE approval number, at most 20 characters
    std::string signature;     // verbatim from the provider (base64 DER)
};

// One paymentMethodDetails. Texts are copied verbatim into the XML.
struct PaymentLine {
    int type = 0;                    // payment_type::*
    Money amount;                    // this line's share of the invoice total
    std::optional<std::string> info; // paymentMethodInfo, e.g. an IBAN
    std::optional<Money> tip;
    std::optional<std::string> transactionId; // required for POS (type 7)
    std::optional<std::string> tid;           // terminal id; required with a signature
    std::optional<ProvidersSignature> providersSignature;
};

// An approved card (or IRIS) payment as the terminal and the provider reported it.
struct CardPayment {
    bool iris = false; // the network reported an IRIS instant payment: type 8 instead of 7
    Money amount;      // the signed Payable
    std::optional<Money> tip;
    std::string transactionId; // the network's AADE transaction id (mydata.md §7)
    std::string tid;
    std::string signingAuthor; // empty together with signature: no ProvidersSignature
    std::string signature;
};

PaymentLine cardPaymentLine(const CardPayment& card);
// A payment line without card details (cash, on credit, ...).
PaymentLine simplePaymentLine(int type, Money amount);

// InvoicesDoc with one invoice. `payments` may be empty (no paymentMethods element); otherwise
// their amounts must add up to the invoice's gross total. Bad payment lines are InputErrors
// naming "payments[i].<field>".
std::string invoicesDoc(const Invoice& invoice, const std::vector<PaymentLine>& payments);

// PaymentMethodsDoc for an invoice that already has a MARK; the children of paymentMethodDetails
// are in the invoice namespace. At least one line must be a POS payment (type 7).
std::string paymentMethodsDoc(const std::string& invoiceMark,
                              const std::vector<PaymentLine>& payments,
                              const std::optional<std::string>& entityVatNumber = std::nullopt);

// One <paymentMethodDetails> element in the invoice namespace, without XML declaration, for
// an ERP that writes its own InvoicesDoc.
std::string paymentMethodDetailsFragment(const PaymentLine& payment);

} // namespace fiscpos::einvoice
