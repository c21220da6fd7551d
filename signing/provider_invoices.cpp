#include "signing/provider_invoices.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "signing/provider_error.hpp"

#include <Poco/String.h>

namespace fiscpos::signing {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;
using core::JsonFields;
using core::JsonOrigin;

// The record inside a body: the provider wraps some answers in "data".
const Json& unwrapped(const Json& body) {
    if (body.is_object()) {
        const auto data = body.find("data");
        if (data != body.end() && data->is_object()) {
            return *data;
        }
    }
    return body;
}

// Whether a 422 says the UID was submitted already ("... uid X has already been submitted").
bool saysUidAlreadySubmitted(const ProviderError& error) {
    if (error.status() != 422) {
        return false;
    }
    const auto it = error.fieldErrors().find("uid");
    if (it != error.fieldErrors().end()) {
        return true;
    }
    const std::string message = Poco::toLower(error.providerMessage());
    return message.find("uid") != std::string::npos && message.find("already") != std::string::npos;
}

// A lost answer: nothing, a 5xx, or the provider's lock on the UID (423): the invoice may exist.
bool answerLost(const HttpResponse& response) {
    return response.status >= 500 || response.status == 423;
}

} // namespace

IssuedInvoice IssuedInvoice::fromProviderJson(const Json& record, std::string_view context) {
    const JsonFields fields(record, std::string(context), JsonOrigin::Response);
    IssuedInvoice invoice;
    invoice.id = fields.optionalScalarText("id").value_or("");
    if (invoice.id.empty()) {
        fields.fail("id", "missing: the provider's record has no id");
    }
    invoice.uid = Poco::toUpper(fields.requireString("uid"));
    if (invoice.uid.size() != 40 || !core::allHex(invoice.uid)) {
        fields.fail("uid", "expected the invoice UID (40 hexadecimal characters)");
    }
    invoice.mark = fields.optionalScalarText("mark");
    if (invoice.mark && (invoice.mark->empty() || !core::allDigits(*invoice.mark))) {
        fields.fail("mark", "expected the myDATA MARK (digits)");
    }
    invoice.authenticationCode = fields.optionalScalarText("authentication_code");
    invoice.icode = fields.optionalScalarText("icode");
    invoice.url = fields.optionalString("url").value_or("");
    if (invoice.url.empty()) {
        invoice.url = fields.optionalString("downloadingInvoiceUrl").value_or("");
    }
    if (!invoice.url.starts_with("https://") && !invoice.url.starts_with("http://")) {
        fields.fail("url", "expected the receipt link (an http or https URL)");
    }
    if (const auto failure = fields.optionalInteger("transmission_failure")) {
        invoice.transmissionFailure = static_cast<int>(*failure);
    }
    invoice.raw = record;
    return invoice;
}

AddedPayment AddedPayment::fromProviderJson(const Json& record, std::string_view context) {
    const JsonFields fields(record, std::string(context), JsonOrigin::Response);
    AddedPayment added;
    added.invoiceMark = fields.optionalScalarText("invoice_mark");
    added.paymentMethodMark = fields.optionalScalarText("payment_method_mark");
    added.invoiceTotal = fields.optionalMoney("invoice_total");
    added.totalPaid = fields.optionalMoney("total_paid_amount");
    added.totalUnpaid =
        fields.optionalMoney("total_unpaid_amount", core::Money::Sign::AllowNegative);
    added.raw = record;
    return added;
}

ProviderInvoices::ProviderInvoices(const ProviderClientOptions& options)
    : api_(options) {}

void ProviderInvoices::onEvent(std::function<void(const std::string&)> listener) {
    listener_ = std::move(listener);
}

void ProviderInvoices::notify(const std::string& line) const {
    if (listener_) {
        listener_(line);
    }
}

IssuedInvoice ProviderInvoices::accept(const HttpResponse& response,
                                       std::string_view context) const {
    if (!response.ok()) {
        ProviderApi::refuse(response);
    }
    return IssuedInvoice::fromProviderJson(unwrapped(response.json(context)), context);
}

IssuedInvoice ProviderInvoices::issue(const Json& body, const std::string& uid,
                                      bool mayHaveBeenSent, const core::HttpObserver& record) {
    if (mayHaveBeenSent) {
        notify("look for invoice " + uid + " at the provider before issuing it");
        if (auto found = findByUid(uid, record)) {
            return *found;
        }
    }
    const auto post = [&] {
        return api_.send(HttpRequest::json("POST", "/v2/invoices", body), record);
    };
    const auto issued = [&](const HttpResponse& response) {
        try {
            return accept(response, "invoice");
        } catch (const ProviderError& e) {
            if (!saysUidAlreadySubmitted(e)) {
                throw;
            }
            notify("the provider holds invoice " + uid + " already: read it");
            if (auto found = findByUid(uid, record)) {
                return *found;
            }
            throw;
        }
    };

    notify("issue invoice " + uid + " through the provider");
    std::string lost;
    try {
        const HttpResponse response = post();
        if (!answerLost(response)) {
            return issued(response);
        }
        lost = "the provider answered HTTP " + std::to_string(response.status);
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            throw; // no connection was made: nothing reached the provider
        }
        lost = e.what();
    }

    // The invoice may have been issued although its answer was lost: never issue blindly.
    notify("look for invoice " + uid + " at the provider (" + lost + ")");
    std::optional<IssuedInvoice> found;
    try {
        found = findByUid(uid, record);
    } catch (const core::Error& e) {
        throw core::TransportError(core::TransportError::Stage::Exchange,
                                   "the provider's answer to issuing invoice " + uid +
                                       " was lost (" + lost +
                                       ") and looking it up by its UID failed: " + e.what());
    }
    if (found) {
        return *found;
    }
    notify("issue invoice " + uid + " again (the provider holds none under its UID)");
    const HttpResponse again = post();
    if (answerLost(again)) {
        throw core::TransportError(core::TransportError::Stage::Exchange,
                                   "the provider answered HTTP " + std::to_string(again.status) +
                                       " twice to issuing invoice " + uid +
                                       "; it may have been issued: ask again by its UID later");
    }
    return issued(again);
}

std::optional<IssuedInvoice> ProviderInvoices::findByUid(const std::string& uid,
                                                         const core::HttpObserver& record) {
    const std::string wanted = Poco::toUpper(uid);
    if (wanted.size() != 40 || !core::allHex(wanted)) {
        throw core::InputError("uid", "expected an invoice UID (40 hexadecimal characters)");
    }
    const HttpResponse response = api_.send(HttpRequest::get("/v2/invoices?uid=" + wanted), record);
    if (!response.ok()) {
        ProviderApi::refuse(response);
    }
    const Json body = response.json("provider invoices");
    const JsonFields fields(body, "invoices", JsonOrigin::Response);
    const Json& data = fields.require("data");
    if (!data.is_array()) {
        fields.fail("data", "expected an array of invoices");
    }
    for (std::size_t i = 0; i < data.size(); ++i) {
        const std::string context = "invoices.data[" + std::to_string(i) + "]";
        const JsonFields item(data[i], context, JsonOrigin::Response);
        // The list may carry only ids: the record itself is read when it lacks the UID.
        if (!item.has("uid") || !item.has("url")) {
            const std::string id = item.optionalScalarText("id").value_or("");
            if (id.empty()) {
                item.fail("id", "missing: the provider's record has no id");
            }
            IssuedInvoice full = read(id, record);
            if (full.uid == wanted) {
                return full;
            }
            continue;
        }
        IssuedInvoice invoice = IssuedInvoice::fromProviderJson(data[i], context);
        if (invoice.uid == wanted) {
            return invoice;
        }
    }
    return std::nullopt;
}

IssuedInvoice ProviderInvoices::read(const std::string& idOrMark,
                                     const core::HttpObserver& record) {
    notify("read invoice " + idOrMark + " at the provider");
    return accept(
        api_.send(HttpRequest::get("/v2/invoices/" + ProviderApi::segment(idOrMark, "invoice")),
                  record),
        "invoice");
}

AddedPayment ProviderInvoices::addPayments(const std::string& idOrMark, const Json& payments,
                                           const core::HttpObserver& record) {
    const Json body{{"issuer_vat_number", companyVat(record)}, {"payments", payments}};
    notify("add the card payment to invoice " + idOrMark + " at the provider");
    const HttpResponse response = api_.send(
        HttpRequest::json("POST",
                          "/v2/invoices/" + ProviderApi::segment(idOrMark, "invoice") + "/payments",
                          body),
        record);
    if (!response.ok()) {
        ProviderApi::refuse(response);
    }
    return AddedPayment::fromProviderJson(unwrapped(response.json("payments")), "payments");
}

std::string ProviderInvoices::companyVat(const core::HttpObserver& record) {
    if (companyVat_) {
        return *companyVat_;
    }
    const HttpResponse response = api_.send(HttpRequest::get("/v2/company"), record);
    if (!response.ok()) {
        ProviderApi::refuse(response);
    }
    const Json body = response.json("company");
    const JsonFields fields(unwrapped(body), "company", JsonOrigin::Response);
    const std::string vat = fields.optionalScalarText("vat_number").value_or("");
    if (vat.size() != 9 || !core::allDigits(vat)) {
        fields.fail("vat_number", "expected the company's VAT number (9 digits)");
    }
    companyVat_ = vat;
    return vat;
}

} // namespace fiscpos::signing
