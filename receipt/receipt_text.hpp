// What the customer reads after a card payment (contract receipt-delivery.md §2): the issuer, the
// document and its date, the amount paid by card, the provider's receipt link and the MARK when
// known, in Greek (the default) or English — as an e-mail (subject, plain text, HTML) and as an
// SMS. Never a card number, an approval code or the provider's signature.
#pragma once

#include "core/money.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::receipt {

enum class ReceiptLanguage { Greek, English };

// "el" or "en"; an InputError naming `field` otherwise.
ReceiptLanguage receiptLanguage(std::string_view code, const std::string& field);

struct ReceiptFacts {
    std::string issuer;       // trade name; empty when the invoice names none (the VAT shows)
    std::string issuerVat;    // ΑΦΜ
    std::string series;       // as printed
    std::string aa;           // the document number, as printed
    std::string documentType; // myDATA invoice type, "11.1"
    std::string date;         // YYYY-MM-DD, the document's date
    core::Money amount;       // what the card paid
    std::string currency = "EUR";
    std::string url;                 // the provider's receipt link, byte for byte
    std::optional<std::string> mark; // myDATA MARK, when known
    std::string uid;
    std::optional<std::string> authenticationCode;

    // The provider has issued the document but not reached myDATA yet (no MARK).
    bool queued() const { return !mark.has_value(); }
};

// The link must be an absolute http(s) URL without blanks or control characters: an InputError
// naming "receipt.url" otherwise.
void checkReceiptUrl(std::string_view url);

struct ReceiptText {
    std::string subject; // "Απόδειξη R-9 · ΚΑΦΕ ΑΛΦΑ · 12,40 €"
    std::string plain;   // the e-mail's text part, and what `fiscpos receipt` prints
    std::string sms;     // one line: issuer, document, amount, MARK, link
};

ReceiptText receiptText(const ReceiptFacts& facts, ReceiptLanguage language);

// The e-mail's HTML part: the same facts, escaped, with the QR code as the image `imageSource`
// (e.g. "cid:qr-ENTRY@fiscpos") when not empty.
std::string receiptHtml(const ReceiptFacts& facts, ReceiptLanguage language,
                        std::string_view imageSource);

// An amount as a Greek reader writes it: "1.234,56 €" (EUR) or "1.234,56 USD"; in English
// "EUR 1,234.56".
std::string displayAmount(core::Money amount, std::string_view currency, ReceiptLanguage language);

} // namespace fiscpos::receipt
