#include "plugin/c_abi/c_api_methods.hpp"

#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/mydata_payment.hpp"
#include "plugin/pairing.hpp"
#include "plugin/receipt_channels.hpp"

namespace fiscpos::plugin::c_abi {

namespace {

using core::Json;
using core::JsonFields;
using core::JsonOrigin;

MethodResult entryResult(const JournalEntry& entry) {
    MethodResult result{entryToJson(entry), entryStatus(entry.state)};
    result.response["ok"] = result.status == 0;
    return result;
}

// The invoice as an object or as a JSON string holding one; returns its text as the ERP sent it.
std::string invoiceText(const JsonFields& fields) {
    const Json& invoice = fields.require("invoice");
    if (invoice.is_string()) {
        return invoice.get<std::string>();
    }
    if (!invoice.is_object()) {
        fields.fail("invoice", "must be an invoice object or a JSON string holding one");
    }
    return core::dumpJson(invoice);
}

PayRequest payRequestOf(const JsonFields& fields) {
    PayRequest request;
    request.terminal = fields.requireString("terminal");
    request.invoiceJson = invoiceText(fields);
    request.invoice = einvoice::parseInvoice(request.invoiceJson);
    request.amount = fields.optionalMoney("amount");
    request.tip = fields.optionalMoney("tip").value_or(core::Money());
    request.idempotencyKey = fields.optionalString("idempotency_key");
    request.customerEmail = fields.optionalString("email");
    request.customerPhone = fields.optionalString("phone");
    if (!fields.isNull("instalments")) {
        const std::int64_t instalments = fields.requireInteger("instalments");
        if (instalments < 0 || instalments > 36) {
            fields.fail("instalments", std::to_string(instalments) + " is not from 0 to 36");
        }
        request.instalments = static_cast<int>(instalments);
    }
    if (!fields.isNull("preauth")) {
        request.preauth = fields.requireBool("preauth");
    }
    if (!fields.isNull("iris")) {
        request.iris = fields.requireBool("iris");
    }
    if (auto autonomous = fields.optionalString("autonomous")) {
        request.autonomous =
            core::parseAutonomousReason(*autonomous, fields.fieldName("autonomous"));
    }
    if (!fields.isNull("preload_minutes")) {
        const std::int64_t minutes = fields.requireInteger("preload_minutes");
        if (minutes < 1 || minutes > 60 * 60) {
            fields.fail("preload_minutes", std::to_string(minutes) + " is not from 1 to 3600");
        }
        request.preload = std::chrono::minutes(minutes);
    }
    return request;
}

// A paid entry's answer, with its invoice when [provider] issue = on_approval.
MethodResult paidResult(PaymentRuntime& runtime, const JournalEntry& entry,
                        const ProgressListener& progress) {
    MethodResult result = entryResult(entry);
    if (auto issued = runtime.issueOnApproval(entry, progress)) {
        result.response["invoice"] = *issued;
    }
    return result;
}

MethodResult pay(PaymentRuntime& runtime, const JsonFields& fields,
                 const ProgressListener& progress) {
    return paidResult(runtime, runtime.service().pay(payRequestOf(fields), progress), progress);
}

// {"entry"?: the sale (none: an unreferenced refund on "terminal"), "invoice": the credit note,
//  "terminal"?, "amount"?, "idempotency_key"?}
RefundRequest refundRequestOf(const JsonFields& fields) {
    RefundRequest request;
    request.originalEntry = fields.optionalString("entry");
    request.terminal = fields.optionalString("terminal").value_or("");
    request.creditNoteJson = invoiceText(fields);
    request.creditNote = einvoice::parseInvoice(request.creditNoteJson);
    request.amount = fields.optionalMoney("amount");
    request.idempotencyKey = fields.optionalString("idempotency_key");
    return request;
}

MethodResult refund(PaymentRuntime& runtime, const JsonFields& fields,
                    const ProgressListener& progress) {
    return entryResult(runtime.service().refund(refundRequestOf(fields), progress));
}

// {"entry": the sale, "idempotency_key"?}
MethodResult voidSale(PaymentRuntime& runtime, const JsonFields& fields,
                      const ProgressListener& progress) {
    return entryResult(runtime.service().voidSale(
        fields.requireString("entry"), fields.optionalString("idempotency_key"), progress));
}

// {"entry": the approved pre-authorisation, "invoice", "amount"?, "idempotency_key"?}
CaptureRequest captureRequestOf(const JsonFields& fields) {
    CaptureRequest request;
    request.preauthEntry = fields.requireString("entry");
    request.invoiceJson = invoiceText(fields);
    request.invoice = einvoice::parseInvoice(request.invoiceJson);
    request.amount = fields.optionalMoney("amount");
    request.idempotencyKey = fields.optionalString("idempotency_key");
    return request;
}

MethodResult capture(PaymentRuntime& runtime, const JsonFields& fields,
                     const ProgressListener& progress) {
    return entryResult(runtime.service().capture(captureRequestOf(fields), progress));
}

// {"entry": an open payment}: the entry as it stands once the terminal was asked to stop it.
MethodResult cancel(PaymentRuntime& runtime, const JsonFields& fields,
                    const ProgressListener& progress) {
    const auto entry = runtime.service().cancel(fields.requireString("entry"), progress);
    return {entryToJson(entry), 0};
}

// {"terminal": NAME, "idempotency_key"?}
MethodResult closeBatch(PaymentRuntime& runtime, const JsonFields& fields,
                        const ProgressListener& progress) {
    return entryResult(runtime.service().closeBatch(
        fields.requireString("terminal"), fields.optionalString("idempotency_key"), progress));
}

// {"terminal": NAME, "code": the code the terminal shows}: the API key goes into the
// configuration file the handle was opened with, never into the answer.
MethodResult pair(PaymentRuntime& runtime, const JsonFields& fields,
                  const ProgressListener& progress) {
    const std::string terminal = fields.requireString("terminal");
    pairTerminal(runtime.configFile(), terminal, fields.requireString("code"),
                 [&](const std::string& text) {
                     if (progress) {
                         progress("", "pairing", text);
                     }
                 });
    return {{{"ok", true}, {"terminal", terminal}, {"saved_to", runtime.configFile().string()}}, 0};
}

MethodResult status(PaymentRuntime& runtime, const JsonFields& fields,
                    const ProgressListener& progress) {
    return entryResult(runtime.service().status(fields.requireString("entry"), progress));
}

MethodResult reconcile(PaymentRuntime& runtime, const JsonFields& fields,
                       const ProgressListener& progress) {
    std::optional<core::TimePoint> since;
    if (auto text = fields.optionalString("since")) {
        since = core::toTimePoint(core::parseIso8601(*text, fields.fieldName("since")));
    }
    Json entries = Json::array();
    bool settled = true;
    for (const auto& entry : runtime.service().reconcile(since, progress)) {
        settled = settled && !entry.open();
        entries.push_back(entryToJson(entry));
    }
    Json autonomous = Json::array();
    for (const auto& done : runtime.completeAutonomous(progress)) {
        settled = settled && done["state"] != "NOT_ISSUED";
        autonomous.push_back(done);
    }
    return {{{"ok", settled}, {"entries", entries}, {"autonomous", autonomous}}, settled ? 0 : 3};
}

MethodResult journal(PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener&) {
    const std::string action = fields.optionalString("action").value_or("list");
    auto& cashJournal = runtime.journal();
    if (action == "list") {
        Json entries = Json::array();
        for (const auto& entry : cashJournal.list()) {
            entries.push_back(entryToJson(entry));
        }
        return {{{"ok", true}, {"entries", entries}}, 0};
    }
    if (action == "show") {
        const auto entry = cashJournal.get(fields.requireString("entry"));
        Json events = Json::array();
        for (const auto& event : cashJournal.events(entry.id)) {
            events.push_back(eventToJson(event));
        }
        Json shown = entryToJson(entry);
        shown["events"] = events;
        shown["ok"] = true;
        return {shown, 0};
    }
    if (action == "verify") {
        const auto report = cashJournal.verify();
        Json answer = report.toJson();
        answer["ok"] = report.ok;
        return {answer, report.ok ? 0 : 1};
    }
    fields.fail("action", "\"" + action + "\" is not list, show or verify");
}

// The myDATA paymentMethodDetails of an approved entry; the whole InvoicesDoc as well when the
// request carries the invoice.
MethodResult invoice(PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener&) {
    const auto entry = runtime.journal().get(fields.requireString("entry"));
    const auto line = mydataPaymentLine(entry, fields.fieldName("entry"));
    Json answer{{"ok", true},
                {"entry", entry.id},
                {"payment_method_details", einvoice::paymentMethodDetailsFragment(line)}};
    if (!fields.isNull("invoice")) {
        answer["invoices_doc"] =
            einvoice::invoicesDoc(einvoice::parseInvoice(invoiceText(fields)), {line});
    }
    return {answer, 0};
}

// {"entry": an approved payment}: its invoice issued through the provider, once (see
// plugin/invoice_issuing.hpp); 0 issued or queued, 3 when it cannot be known yet.
MethodResult issue(PaymentRuntime& runtime, const JsonFields& fields,
                   const ProgressListener& progress) {
    return {issueOutcomeJson(
                runtime.issue(fields.requireString("entry"), progress, fields.fieldName("entry"))),
            0};
}

// {"terminal": NAME}: the devices of the network account of [terminal.NAME], to fill in the
// section's device ids.
MethodResult terminals(PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener&) {
    const std::string name = fields.requireString("terminal");
    if (!runtime.config().get("terminal." + name + ".nsp")) {
        fields.fail("terminal", "\"" + name + "\" is not a configured terminal");
    }
    const auto listed = networkDevices(runtime.config(), name, runtime.clock());
    return {{{"ok", true}, {"terminal", name}, {"devices", listed["devices"]}}, 0};
}

// {"entry": an approved payment whose invoice was issued, "email"?, "sms"?, "resend"?, "reason"?,
//  "language"? ("el" | "en")}: the receipt's message, sent once per recipient (see
// plugin/receipt_delivery.hpp); 0 sent or sent before, 1 refused (may be tried again), 3 when a
// message may have left without an answer.
MethodResult receipt(PaymentRuntime& runtime, const JsonFields& fields,
                     const ProgressListener& progress) {
    ReceiptDelivery delivery(runtime.journal());
    ReceiptRequest request;
    request.entryId = fields.requireString("entry");
    request.language = receiptLanguage(runtime.config(), fields.optionalString("language"),
                                       fields.fieldName("language"));
    if (const auto email = fields.optionalString("email")) {
        request.destinations.push_back({ReceiptChannel::Email, *email, fields.fieldName("email")});
    }
    if (const auto number = fields.optionalString("sms")) {
        request.destinations.push_back({ReceiptChannel::Sms, *number, fields.fieldName("sms")});
    }
    request.resend = !fields.isNull("resend") && fields.requireBool("resend");
    request.reason = fields.optionalString("reason").value_or("");
    if (request.destinations.empty()) {
        return {receiptOutcomeJson(
                    delivery.prepare(request.entryId, request.language, fields.fieldName("entry"))),
                0};
    }
    setUpReceiptChannels(delivery, runtime.config());
    const auto outcome = delivery.deliver(request, progress, fields.fieldName("entry"));
    int status = 0;
    for (const auto& sent : outcome.deliveries) {
        status = sent.state == "UNKNOWN" ? 3 : sent.state == "REFUSED" && status == 0 ? 1 : status;
    }
    return {receiptOutcomeJson(outcome), status};
}

using Method = MethodResult (*)(PaymentRuntime&, const JsonFields&, const ProgressListener&);

// Every method of the C ABI and `serve`, by the name the caller gives.
constexpr std::pair<std::string_view, Method> methods[] = {
    {"pay", pay},       {"refund", refund},          {"void", voidSale},   {"capture", capture},
    {"cancel", cancel}, {"close_batch", closeBatch}, {"status", status},   {"reconcile", reconcile},
    {"pair", pair},     {"terminals", terminals},    {"journal", journal}, {"invoice", invoice},
    {"issue", issue},   {"receipt", receipt}};

// The methods that wait on a terminal, started (PaymentService::start...): each starts its
// operation with a completion that hands `done` the answer the method would return.
using Starter = JournalEntry (*)(PaymentRuntime&, const JsonFields&, const ProgressListener&,
                                 const StartedDone&);

Completion completionOf(const StartedDone& done,
                        const std::function<MethodResult(const JournalEntry&)>& answer) {
    return [done, answer](const JournalEntry& entry, std::exception_ptr error) {
        done([&] {
            if (error) {
                std::rethrow_exception(error);
            }
            return answer(entry);
        });
    };
}

constexpr std::pair<std::string_view, Starter> starters[] = {
    {"pay",
     [](PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener& progress,
        const StartedDone& done) {
         return runtime.service().startPay(
             payRequestOf(fields), progress,
             completionOf(done, [&runtime, progress](const JournalEntry& entry) {
                 return paidResult(runtime, entry, progress);
             }));
     }},
    {"refund",
     [](PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener& progress,
        const StartedDone& done) {
         return runtime.service().startRefund(refundRequestOf(fields), progress,
                                              completionOf(done, entryResult));
     }},
    {"void",
     [](PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener& progress,
        const StartedDone& done) {
         return runtime.service().startVoid(fields.requireString("entry"),
                                            fields.optionalString("idempotency_key"), progress,
                                            completionOf(done, entryResult));
     }},
    {"capture",
     [](PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener& progress,
        const StartedDone& done) {
         return runtime.service().startCapture(captureRequestOf(fields), progress,
                                               completionOf(done, entryResult));
     }},
    {"close_batch",
     [](PaymentRuntime& runtime, const JsonFields& fields, const ProgressListener& progress,
        const StartedDone& done) {
         return runtime.service().startCloseBatch(fields.requireString("terminal"),
                                                  fields.optionalString("idempotency_key"),
                                                  progress, completionOf(done, entryResult));
     }},
};

} // namespace

MethodResult startMethod(PaymentRuntime& runtime, const std::string& method,
                         const core::Json& request, const ProgressListener& progress,
                         const StartedDone& done) {
    const JsonFields fields(request, "", JsonOrigin::Input);
    std::string names;
    for (const auto& [name, start] : starters) {
        if (name == method) {
            const JournalEntry opened = start(runtime, fields, progress, done);
            return {Json{{"ok", true}, {"started", true}, {"entry", entryToJson(opened)}}, 0};
        }
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    throw core::InputError("method", "\"" + method + "\" cannot be started: only " + names +
                                         " wait on a terminal; call it with fiscpos_call");
}

MethodResult callMethod(PaymentRuntime& runtime, const std::string& method,
                        const core::Json& request, const ProgressListener& progress) {
    const JsonFields fields(request, "", JsonOrigin::Input);
    std::string names;
    for (const auto& [name, call] : methods) {
        if (name == method) {
            return call(runtime, fields, progress);
        }
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    throw core::InputError("method", "\"" + method + "\" is not one of " + names);
}

std::vector<std::string> methodNames() {
    std::vector<std::string> names;
    for (const auto& item : methods) {
        names.emplace_back(item.first);
    }
    return names;
}

std::vector<std::string> startableMethodNames() {
    std::vector<std::string> names;
    for (const auto& item : starters) {
        names.emplace_back(item.first);
    }
    return names;
}

} // namespace fiscpos::plugin::c_abi
