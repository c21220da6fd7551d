#include "einvoice/provider_invoice.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace fiscpos::einvoice {

namespace {

using core::decimalNumber;
using core::Json;

Json party(const Party& party, bool withCountry) {
    Json out{{"vat_number", party.vat}, {"branch_code", party.branch}};
    if (withCountry) {
        out["country_code"] = party.country;
    }
    if (party.name) {
        out["name"] = *party.name;
    }
    return out;
}

Json classification(const IncomeClassification& income, Money amount) {
    Json out = Json::object();
    if (income.type) {
        out["type"] = *income.type;
    }
    out["category"] = income.category;
    out["amount"] = decimalNumber(amount);
    return out;
}

Json line(const InvoiceLine& line) {
    Json out = Json::object();
    if (line.description) {
        out["description"] = *line.description;
    }
    out["quantity"] = line.quantity ? core::exactDecimal(*line.quantity) : Json(1);
    out["unit_price"] = decimalNumber(line.unitPrice.value_or(line.net));
    out["net_amount"] = decimalNumber(line.net);
    out["vat_category"] = line.vatCategory;
    out["vat_amount"] = decimalNumber(line.vat);
    out["classifications"] = Json::array({classification(line.income, line.net)});
    return out;
}

// The lines' classifications summed per (type, category), in the order first seen.
Json summaryClassifications(const std::vector<InvoiceLine>& lines) {
    std::vector<std::pair<IncomeClassification, Money>> sums;
    for (const InvoiceLine& l : lines) {
        auto it = std::find_if(sums.begin(), sums.end(), [&l](const auto& sum) {
            return sum.first.type == l.income.type && sum.first.category == l.income.category;
        });
        if (it == sums.end()) {
            sums.emplace_back(l.income, l.net);
        } else {
            it->second = it->second + l.net;
        }
    }
    Json out = Json::array();
    for (const auto& [income, amount] : sums) {
        out.push_back(classification(income, amount));
    }
    return out;
}

void refuseOtherTaxes(const InvoiceTotals& totals) {
    const std::pair<const char*, Money> others[] = {{"withheld", totals.withheld},
                                                    {"fees", totals.fees},
                                                    {"stamp", totals.stamp},
                                                    {"other", totals.other},
                                                    {"deductions", totals.deductions}};
    for (const auto& [name, amount] : others) {
        if (amount != Money()) {
            throw core::InputError(std::string("invoice.totals.") + name,
                                   "is " + amount.toString() +
                                       "; issuing through the provider carries VAT only, so an "
                                       "invoice with other taxes or deductions is issued by the "
                                       "ERP itself");
        }
    }
}

} // namespace

Json providerPaymentItems(const std::vector<PaymentLine>& payments) {
    Json items = Json::array();
    for (const PaymentLine& payment : payments) {
        Json item{{"type", payment.type}, {"amount", decimalNumber(payment.amount)}};
        if (payment.info) {
            item["info"] = *payment.info;
        }
        if (payment.tip) {
            item["tip_amount"] = decimalNumber(*payment.tip);
        }
        if (payment.transactionId) {
            item["transaction_id"] = *payment.transactionId;
        }
        if (payment.providersSignature) {
            item["signature"] = payment.providersSignature->signature;
        }
        items.push_back(std::move(item));
    }
    return items;
}

Json providerInvoiceBody(const Invoice& invoice, const std::vector<PaymentLine>& payments) {
    refuseOtherTaxes(invoice.totals);
    Money paid;
    for (const PaymentLine& payment : payments) {
        paid = paid + payment.amount;
    }
    if (!payments.empty() && paid != invoice.totals.gross) {
        throw core::InputError("payments", "the payments add up to " + paid.toString() +
                                               ", the invoice's gross total is " +
                                               invoice.totals.gross.toString());
    }

    // Value 3 is an ERP's own transmission (contract provider-invoices.md §1); through the
    // provider it is 1, 2 or 4.
    if (invoice.transmissionFailure == 3) {
        throw core::InputError("transmission_failure",
                               "3 is for an ERP's own transmission to myDATA; an invoice issued "
                               "through the provider takes 1, 2 or 4");
    }

    Json body = Json::object();
    body["issuer"] = party(invoice.issuer, false);
    if (invoice.counterpart) {
        body["counterpart"] = party(*invoice.counterpart, true);
    }
    body["header"] = Json{{"series", invoice.series},
                          {"number", invoice.aa},
                          {"issued_at", invoice.issuedAt},
                          {"invoice_type", invoice.type},
                          {"currency", invoice.currency}};
    if (!payments.empty()) {
        body["payment_methods"] = providerPaymentItems(payments);
    }
    if (invoice.transmissionFailure) {
        body["transmission_failure"] = *invoice.transmissionFailure;
    }
    Json lines = Json::array();
    for (const InvoiceLine& l : invoice.lines) {
        lines.push_back(line(l));
    }
    body["lines"] = std::move(lines);
    body["summary"] = Json{{"total_net_amount", decimalNumber(invoice.totals.net)},
                           {"total_vat_amount", decimalNumber(invoice.totals.vat)},
                           {"total_gross_amount", decimalNumber(invoice.totals.gross)},
                           {"classifications", summaryClassifications(invoice.lines)}};
    return body;
}

} // namespace fiscpos::einvoice
