#include "einvoice/mydata_xml.hpp"

#include "core/errors.hpp"
#include "einvoice/libxml_handles.hpp"

#include <algorithm>

namespace fiscpos::einvoice {

namespace {

using core::InputError;
using libxml::chars;

// ProviderSignatureType/SigningAuthor: xs:string maxLength 20.
constexpr std::size_t maxSigningAuthorLength = 20;
// PaymentMethodDetailType/tid: xs:string maxLength 200.
constexpr std::size_t maxTidLength = 200;

std::string paymentField(std::size_t index, std::string_view name) {
    return "payments[" + std::to_string(index) + "]." + std::string(name);
}

// The rules of mydata.md §3/§4 that the XSD cannot express, and the XSD's own limits, checked
// before anything is written so that a bad line names its field.
void checkPayment(const PaymentLine& line, std::size_t index) {
    if (line.type < payment_type::domesticAccount || line.type > payment_type::iris) {
        throw InputError(paymentField(index, "type"),
                         std::to_string(line.type) + " is not a myDATA payment method (1..8)");
    }
    if (line.amount < Money{}) {
        throw InputError(paymentField(index, "amount"), "must not be negative");
    }
    if (line.tip && *line.tip < Money{}) {
        throw InputError(paymentField(index, "tip"), "must not be negative");
    }
    if ((line.type == payment_type::pos || line.type == payment_type::iris) &&
        line.transactionId.value_or("").empty()) {
        throw InputError(paymentField(index, "transactionId"),
                         "is required for a card (POS) or IRIS payment");
    }
    if (line.tid && line.tid->size() > maxTidLength) {
        throw InputError(paymentField(index, "tid"),
                         "longer than " + std::to_string(maxTidLength) + " characters");
    }
    if (line.providersSignature) {
        const ProvidersSignature& signature = *line.providersSignature;
        if (signature.signingAuthor.empty() ||
            signature.signingAuthor.size() > maxSigningAuthorLength) {
            throw InputError(paymentField(index, "signingAuthor"),
                             "must be 1 to " + std::to_string(maxSigningAuthorLength) +
                                 " characters (the provider's id)");
        }
        if (signature.signature.empty()) {
            throw InputError(paymentField(index, "signature"), "must not be empty");
        }
        if (line.tid.value_or("").empty()) {
            throw InputError(paymentField(index, "tid"),
                             "is required when the payment carries a provider signature");
        }
    }
}

void checkPayments(const std::vector<PaymentLine>& payments) {
    for (std::size_t i = 0; i < payments.size(); ++i) {
        checkPayment(payments[i], i);
    }
}

xmlNode* addText(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text) {
    return xmlNewTextChild(parent, ns, chars(name), chars(text));
}

xmlNode* addElement(xmlNode* parent, xmlNs* ns, const char* name) {
    return xmlNewChild(parent, ns, chars(name), nullptr);
}

// PaymentMethodDetailType children, in the XSD's sequence order, all in namespace `inv`.
void writePaymentDetails(xmlNode* details, xmlNs* inv, const PaymentLine& line) {
    addText(details, inv, "type", std::to_string(line.type));
    addText(details, inv, "amount", line.amount.toString());
    if (line.info) {
        addText(details, inv, "paymentMethodInfo", *line.info);
    }
    if (line.tip) {
        addText(details, inv, "tipAmount", line.tip->toString());
    }
    if (line.transactionId) {
        addText(details, inv, "transactionId", *line.transactionId);
    }
    if (line.tid) {
        addText(details, inv, "tid", *line.tid);
    }
    if (line.providersSignature) {
        xmlNode* signature = addElement(details, inv, "ProvidersSignature");
        addText(signature, inv, "SigningAuthor", line.providersSignature->signingAuthor);
        addText(signature, inv, "Signature", line.providersSignature->signature);
    }
}

void writeParty(xmlNode* parent, xmlNs* inv, const char* name, const Party& party) {
    xmlNode* node = addElement(parent, inv, name);
    addText(node, inv, "vatNumber", party.vat);
    addText(node, inv, "country", party.country);
    addText(node, inv, "branch", std::to_string(party.branch));
    if (party.name) {
        addText(node, inv, "name", *party.name);
    }
}

void writeIncome(xmlNode* parent, xmlNs* inv, xmlNs* icls, const IncomeClassification& income,
                 Money amount) {
    xmlNode* node = addElement(parent, inv, "incomeClassification");
    if (income.type) {
        addText(node, icls, "classificationType", *income.type);
    }
    addText(node, icls, "classificationCategory", income.category);
    addText(node, icls, "amount", amount.toString());
}

void writeSummary(xmlNode* invoiceNode, xmlNs* inv, xmlNs* icls, const Invoice& invoice) {
    const InvoiceTotals& totals = invoice.totals;
    xmlNode* summary = addElement(invoiceNode, inv, "invoiceSummary");
    addText(summary, inv, "totalNetValue", totals.net.toString());
    addText(summary, inv, "totalVatAmount", totals.vat.toString());
    addText(summary, inv, "totalWithheldAmount", totals.withheld.toString());
    addText(summary, inv, "totalFeesAmount", totals.fees.toString());
    addText(summary, inv, "totalStampDutyAmount", totals.stamp.toString());
    addText(summary, inv, "totalOtherTaxesAmount", totals.other.toString());
    addText(summary, inv, "totalDeductionsAmount", totals.deductions.toString());
    addText(summary, inv, "totalGrossValue", totals.gross.toString());

    // One classification per (type, category), summing the lines' net, in order of appearance.
    std::vector<std::pair<IncomeClassification, Money>> sums;
    for (const InvoiceLine& line : invoice.lines) {
        auto same = std::find_if(sums.begin(), sums.end(), [&](const auto& entry) {
            return entry.first.type == line.income.type &&
                   entry.first.category == line.income.category;
        });
        if (same == sums.end()) {
            sums.emplace_back(line.income, line.net);
        } else {
            same->second = same->second + line.net;
        }
    }
    for (const auto& [income, amount] : sums) {
        writeIncome(summary, inv, icls, income, amount);
    }
}

std::string serialize(xmlDoc* doc) {
    xmlChar* memory = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc, &memory, &size, "UTF-8", 1);
    const libxml::CharsPtr owned(memory);
    if (owned == nullptr || size <= 0) {
        throw core::Error("xml", "libxml2 could not serialise the myDATA document");
    }
    return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

// A new document whose root element is `rootName` in the namespace `rootNamespace` (as the
// default namespace); the namespace is returned through `rootNs`.
libxml::DocPtr newDocument(const char* rootName, const char* rootNamespace, xmlNs*& rootNs) {
    libxml::DocPtr doc(xmlNewDoc(chars("1.0")));
    xmlNode* rootNode = xmlNewDocNode(doc.get(), nullptr, chars(rootName), nullptr);
    xmlDocSetRootElement(doc.get(), rootNode);
    rootNs = xmlNewNs(rootNode, chars(rootNamespace), nullptr);
    xmlSetNs(rootNode, rootNs);
    return doc;
}

} // namespace

PaymentLine cardPaymentLine(const CardPayment& card) {
    PaymentLine line;
    line.type = card.iris ? payment_type::iris : payment_type::pos;
    line.amount = card.amount;
    line.tip = card.tip;
    line.transactionId = card.transactionId;
    if (!card.tid.empty()) {
        line.tid = card.tid;
    }
    if (!card.signingAuthor.empty() || !card.signature.empty()) {
        line.providersSignature = ProvidersSignature{card.signingAuthor, card.signature};
    }
    return line;
}

PaymentLine simplePaymentLine(int type, Money amount) {
    PaymentLine line;
    line.type = type;
    line.amount = amount;
    return line;
}

std::string invoicesDoc(const Invoice& invoice, const std::vector<PaymentLine>& payments) {
    checkPayments(payments);
    if (!payments.empty()) {
        Money paid;
        for (const PaymentLine& line : payments) {
            paid = paid + line.amount;
        }
        if (paid != invoice.totals.gross) {
            throw InputError("payments", "the payment amounts add up to " + paid.toString() +
                                             ", the invoice total is " +
                                             invoice.totals.gross.toString());
        }
    }

    xmlNs* inv = nullptr;
    libxml::DocPtr doc = newDocument("InvoicesDoc", invoiceNamespace, inv);
    xmlNode* rootNode = xmlDocGetRootElement(doc.get());
    xmlNs* icls = xmlNewNs(rootNode, chars(incomeClassificationNamespace), chars("icls"));

    xmlNode* invoiceNode = addElement(rootNode, inv, "invoice");
    if (invoice.transmissionFailure) {
        addText(invoiceNode, inv, "transmissionFailure",
                std::to_string(*invoice.transmissionFailure));
    }
    writeParty(invoiceNode, inv, "issuer", invoice.issuer);
    if (invoice.counterpart) {
        writeParty(invoiceNode, inv, "counterpart", *invoice.counterpart);
    }
    xmlNode* header = addElement(invoiceNode, inv, "invoiceHeader");
    addText(header, inv, "series", invoice.series);
    addText(header, inv, "aa", invoice.aa);
    addText(header, inv, "issueDate", invoice.issueDate());
    addText(header, inv, "invoiceType", invoice.type);
    addText(header, inv, "currency", invoice.currency);

    if (!payments.empty()) {
        xmlNode* methods = addElement(invoiceNode, inv, "paymentMethods");
        for (const PaymentLine& line : payments) {
            writePaymentDetails(addElement(methods, inv, "paymentMethodDetails"), inv, line);
        }
    }

    int lineNumber = 0;
    for (const InvoiceLine& line : invoice.lines) {
        xmlNode* details = addElement(invoiceNode, inv, "invoiceDetails");
        addText(details, inv, "lineNumber", std::to_string(++lineNumber));
        addText(details, inv, "netValue", line.net.toString());
        addText(details, inv, "vatCategory", std::to_string(line.vatCategory));
        addText(details, inv, "vatAmount", line.vat.toString());
        writeIncome(details, inv, icls, line.income, line.net);
    }
    writeSummary(invoiceNode, inv, icls, invoice);
    return serialize(doc.get());
}

std::string paymentMethodsDoc(const std::string& invoiceMark,
                              const std::vector<PaymentLine>& payments,
                              const std::optional<std::string>& entityVatNumber) {
    if (!isMark(invoiceMark)) {
        throw InputError("invoiceMark", "\"" + invoiceMark + "\" is not a myDATA MARK (digits)");
    }
    if (entityVatNumber && entityVatNumber->empty()) {
        throw InputError("entityVatNumber", "must not be empty (leave it out instead)");
    }
    checkPayments(payments);
    if (std::none_of(payments.begin(), payments.end(),
                     [](const PaymentLine& line) { return line.type == payment_type::pos; })) {
        throw InputError("payments", "a PaymentMethodsDoc needs at least one card (POS, type 7) "
                                     "payment line");
    }

    xmlNs* paymentNs = nullptr;
    libxml::DocPtr doc = newDocument("PaymentMethodsDoc", paymentMethodNamespace, paymentNs);
    xmlNode* rootNode = xmlDocGetRootElement(doc.get());
    xmlNs* inv = xmlNewNs(rootNode, chars(invoiceNamespace), chars("inv"));

    xmlNode* methods = addElement(rootNode, paymentNs, "paymentMethods");
    addText(methods, paymentNs, "invoiceMark", invoiceMark);
    if (entityVatNumber) {
        addText(methods, paymentNs, "entityVatNumber", *entityVatNumber);
    }
    for (const PaymentLine& line : payments) {
        writePaymentDetails(addElement(methods, paymentNs, "paymentMethodDetails"), inv, line);
    }
    return serialize(doc.get());
}

std::string paymentMethodDetailsFragment(const PaymentLine& payment) {
    checkPayment(payment, 0);
    xmlNs* inv = nullptr;
    libxml::DocPtr doc = newDocument("paymentMethodDetails", invoiceNamespace, inv);
    xmlNode* details = xmlDocGetRootElement(doc.get());
    writePaymentDetails(details, inv, payment);

    const libxml::BufferPtr buffer(xmlBufferCreate());
    if (buffer == nullptr || xmlNodeDump(buffer.get(), doc.get(), details, 0, 1) < 0) {
        throw core::Error("xml", "libxml2 could not serialise the paymentMethodDetails element");
    }
    return std::string(libxml::view(xmlBufferContent(buffer.get())));
}

} // namespace fiscpos::einvoice
