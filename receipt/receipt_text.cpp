#include "receipt/receipt_text.hpp"

#include "core/errors.hpp"
#include "core/html.hpp"

namespace fiscpos::receipt {

namespace {

bool el(ReceiptLanguage language) {
    return language == ReceiptLanguage::Greek;
}

// "11.1" → a retail receipt, "1.x"/"2.x" → an invoice; the word a customer expects.
std::string documentWord(const std::string& type, ReceiptLanguage language) {
    if (type.starts_with("11.")) {
        return el(language) ? "Απόδειξη" : "Receipt";
    }
    if (type.starts_with("1.") || type.starts_with("2.")) {
        return el(language) ? "Τιμολόγιο" : "Invoice";
    }
    return el(language) ? "Παραστατικό" : "Document";
}

std::string documentLabel(const ReceiptFacts& facts) {
    return facts.series.empty() ? facts.aa : facts.series + "-" + facts.aa;
}

// YYYY-MM-DD → dd/mm/yyyy (Greek and English readers alike), else as written.
std::string displayDate(const std::string& date) {
    if (date.size() == 10 && date[4] == '-' && date[7] == '-') {
        return date.substr(8, 2) + "/" + date.substr(5, 2) + "/" + date.substr(0, 4);
    }
    return date;
}

std::string groupedDigits(const std::string& digits, char separator) {
    std::string out;
    const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out += digits.substr(0, first);
    for (std::size_t i = first; i < digits.size(); i += 3) {
        out += separator;
        out += digits.substr(i, 3);
    }
    return out;
}

// The trade name, or the VAT number when the invoice names none.
std::string issuerShown(const ReceiptFacts& facts, ReceiptLanguage language) {
    if (!facts.issuer.empty()) {
        return facts.issuer;
    }
    return (el(language) ? "ΑΦΜ " : "VAT ") + facts.issuerVat;
}

struct Lines {
    std::string heading;  // issuer (VAT)
    std::string document; // document, number, date
    std::string paid;     // amount by card
    std::optional<std::string> mark;
    std::string link;
    std::string uid;
    std::optional<std::string> authentication;
    std::optional<std::string> queued;
};

Lines lines(const ReceiptFacts& facts, ReceiptLanguage language) {
    Lines out;
    out.heading = issuerShown(facts, language);
    if (!facts.issuer.empty() && !facts.issuerVat.empty()) {
        out.heading += (el(language) ? " (ΑΦΜ " : " (VAT ") + facts.issuerVat + ")";
    }
    out.document = documentWord(facts.documentType, language) + " " + documentLabel(facts) + ", " +
                   displayDate(facts.date);
    out.paid = (el(language) ? "Πληρωμή με κάρτα: " : "Paid by card: ") +
               displayAmount(facts.amount, facts.currency, language);
    if (facts.mark) {
        out.mark = (el(language) ? "ΜΑΡΚ: " : "MARK: ") + *facts.mark;
    }
    out.link = el(language) ? "Το παραστατικό σας: " : "Your document: ";
    out.uid = "UID: " + facts.uid;
    if (facts.authenticationCode) {
        out.authentication =
            (el(language) ? "Κωδικός αυθεντικοποίησης: " : "Authentication code: ") +
            *facts.authenticationCode;
    }
    if (facts.queued()) {
        out.queued = el(language) ? "Ο πάροχος έχει εκδώσει το παραστατικό και θα το διαβιβάσει "
                                    "στο myDATA· ο ΜΑΡΚ θα φανεί στον σύνδεσμο."
                                  : "The provider has issued the document and will transmit it "
                                    "to myDATA; the MARK will show at the link.";
    }
    return out;
}

} // namespace

ReceiptLanguage receiptLanguage(std::string_view code, const std::string& field) {
    if (code == "el") {
        return ReceiptLanguage::Greek;
    }
    if (code == "en") {
        return ReceiptLanguage::English;
    }
    throw core::InputError(field, "\"" + std::string(code) + "\" is not a language (use el or en)");
}

void checkReceiptUrl(std::string_view url) {
    bool blank = false;
    for (char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        blank = blank || byte <= 0x20 || byte == 0x7F;
    }
    if (!(url.starts_with("https://") || url.starts_with("http://")) || blank ||
        url.size() <= std::string_view("https://").size()) {
        throw core::InputError("receipt.url", "\"" + std::string(url) +
                                                  "\" is not an absolute http(s) URL without "
                                                  "spaces");
    }
}

std::string displayAmount(core::Money amount, std::string_view currency, ReceiptLanguage language) {
    const std::string plain = amount.toString(); // "-1234.56"
    const bool negative = plain.starts_with('-');
    const std::string digits = plain.substr(negative ? 1 : 0);
    const auto dot = digits.find('.');
    const std::string whole = digits.substr(0, dot);
    const std::string cents = dot == std::string::npos ? "00" : digits.substr(dot + 1);
    const std::string sign = negative ? "-" : "";
    if (el(language)) {
        const std::string unit = currency == "EUR" ? "€" : std::string(currency);
        return sign + groupedDigits(whole, '.') + "," + cents + " " + unit;
    }
    return std::string(currency) + " " + sign + groupedDigits(whole, ',') + "." + cents;
}

ReceiptText receiptText(const ReceiptFacts& facts, ReceiptLanguage language) {
    checkReceiptUrl(facts.url);
    const Lines text = lines(facts, language);
    const std::string amount = displayAmount(facts.amount, facts.currency, language);
    ReceiptText out;
    out.subject = documentWord(facts.documentType, language) + " " + documentLabel(facts) + " · " +
                  issuerShown(facts, language) + " · " + amount;
    out.plain = text.heading + "\n" + text.document + "\n" + text.paid + "\n";
    if (text.mark) {
        out.plain += *text.mark + "\n";
    }
    out.plain += text.link + facts.url + "\n\n" + text.uid + "\n";
    if (text.authentication) {
        out.plain += *text.authentication + "\n";
    }
    if (text.queued) {
        out.plain += *text.queued + "\n";
    }
    std::string word = documentWord(facts.documentType, language);
    if (el(language)) {
        // Lower case after the colon, as a sentence reads: "απόδειξη R-9".
        word = word == "Απόδειξη" ? "απόδειξη" : word == "Τιμολόγιο" ? "τιμολόγιο" : "παραστατικό";
    } else {
        word = word == "Receipt" ? "receipt" : word == "Invoice" ? "invoice" : "document";
    }
    out.sms = issuerShown(facts, language) + ": " + word + " " + documentLabel(facts) + ", " +
              amount + (el(language) ? " με κάρτα" : " by card");
    if (facts.mark) {
        out.sms += (el(language) ? ", ΜΑΡΚ " : ", MARK ") + *facts.mark;
    }
    out.sms += ": " + facts.url;
    return out;
}

std::string receiptHtml(const ReceiptFacts& facts, ReceiptLanguage language,
                        std::string_view imageSource) {
    checkReceiptUrl(facts.url);
    const Lines text = lines(facts, language);
    const std::string url = core::htmlEscape(facts.url);
    std::string html =
        std::string("<!DOCTYPE html>\n<html lang=\"") + (el(language) ? "el" : "en") +
        "\">\n<head><meta charset=\"utf-8\"><title>" +
        core::htmlEscape(documentWord(facts.documentType, language) + " " + documentLabel(facts)) +
        "</title></head>\n<body style=\"font-family:sans-serif\">\n<p><strong>" +
        core::htmlEscape(text.heading) + "</strong><br>\n" + core::htmlEscape(text.document) +
        "<br>\n" + core::htmlEscape(text.paid) + "</p>\n";
    if (text.mark) {
        html += "<p>" + core::htmlEscape(*text.mark) + "</p>\n";
    }
    html += "<p>" + core::htmlEscape(text.link) + "<a href=\"" + url + "\">" + url + "</a></p>\n";
    if (!imageSource.empty()) {
        html += "<p><img src=\"" + core::htmlEscape(imageSource) +
                "\" alt=\"QR\" width=\"200\" height=\"200\"></p>\n";
    }
    html += "<p style=\"color:#555\">" + core::htmlEscape(text.uid);
    if (text.authentication) {
        html += "<br>\n" + core::htmlEscape(*text.authentication);
    }
    html += "</p>\n";
    if (text.queued) {
        html += "<p>" + core::htmlEscape(*text.queued) + "</p>\n";
    }
    html += "</body>\n</html>\n";
    return html;
}

} // namespace fiscpos::receipt
