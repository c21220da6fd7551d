#include "plugin/invoice_issuing.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "einvoice/provider_invoice.hpp"
#include "plugin/mydata_payment.hpp"
#include "signing/provider_error.hpp"
#include "signing/provider_module.hpp"

#include <algorithm>

namespace fiscpos::plugin {

namespace {

// What the journal already knows of the invoice's issuance, over the entries that paid it.
struct Known {
    std::optional<signing::IssuedInvoice> issued;
    std::optional<std::string> issuedOn; // the entry it is journaled on
    bool requested = false;              // an invoice.issuing was written: a request may have left
};

Known knownIssuance(const CashJournal& journal, const std::vector<JournalEntry>& payments) {
    Known known;
    for (const auto& entry : payments) {
        for (const auto& event : journal.events(entry.id)) {
            const std::string& kind = event.record.kind;
            if (kind == event_kind::InvoiceIssuing) {
                known.requested = true;
                known.issuedOn = known.issuedOn.value_or(entry.id);
            } else if (kind == event_kind::InvoiceIssued && event.record.responseBody) {
                known.issued = signing::IssuedInvoice::fromProviderJson(core::parseJson(
                    *event.record.responseBody, "journaled invoice", core::JsonOrigin::Response));
                known.issuedOn = entry.id;
            }
        }
    }
    return known;
}

std::string describe(const signing::IssuedInvoice& issued) {
    return issued.queued()
               ? "queued at the provider (myDATA not reached yet, no MARK), receipt " + issued.url
               : "MARK " + *issued.mark + ", receipt " + issued.url;
}

} // namespace

einvoice::Invoice journaledInvoice(const CashJournal& journal, const JournalEntry& entry,
                                   const std::string& field) {
    for (const auto& event : journal.events(entry.id)) {
        if (event.record.kind == event_kind::Opened && event.record.requestBody &&
            !event.record.requestBody->empty()) {
            return einvoice::parseInvoice(*event.record.requestBody);
        }
    }
    throw core::InputError(field, "entry " + entry.id +
                                      " keeps no invoice (a void or a batch close is no sale)");
}

std::vector<JournalEntry> invoicePayments(const CashJournal& journal, const JournalEntry& entry,
                                          const einvoice::Invoice& invoice) {
    JournalFilter filter;
    filter.invoiceUid = invoice.uid();
    filter.states = {EntryState::Approved};
    std::vector<JournalEntry> paid;
    bool found = false;
    for (auto& other : journal.list(filter)) {
        if ((other.kind == EntryKind::Sale || other.kind == EntryKind::Completion) &&
            !other.voided()) {
            found = found || other.id == entry.id;
            paid.push_back(std::move(other));
        }
    }
    if (!found) {
        // An --invoice of another document, or an entry journaled without its UID.
        return {entry};
    }
    return paid;
}

std::optional<signing::IssuedInvoice> issuedInvoiceOf(const CashJournal& journal,
                                                      const JournalEntry& entry,
                                                      const einvoice::Invoice& invoice) {
    return knownIssuance(journal, invoicePayments(journal, entry, invoice)).issued;
}

std::unique_ptr<signing::ProviderInvoices> makeProviderInvoices(const core::Config& config) {
    return signing::builtinProviders().invoices(config);
}

core::Json issueOutcomeJson(const IssueOutcome& outcome) {
    const auto& issued = outcome.issued;
    core::Json answer{{"ok", true},
                      {"entry", outcome.entry.id},
                      {"state", issued.queued() ? "QUEUED" : "ISSUED"},
                      {"uid", issued.uid},
                      {"mark", issued.mark ? core::Json(*issued.mark) : core::Json(nullptr)},
                      {"url", issued.url},
                      {"provider_id", issued.id},
                      {"from_journal", outcome.fromJournal}};
    if (issued.authenticationCode) {
        answer["authentication_code"] = *issued.authenticationCode;
    }
    if (outcome.payment) {
        const auto& added = *outcome.payment;
        const auto money = [](const std::optional<core::Money>& amount) {
            return amount ? core::Json(amount->toString()) : core::Json(nullptr);
        };
        // Found stored after a lost answer: added, its payment MARK not known here.
        const bool storedEarlier = added.raw.value("stored_earlier", false);
        answer["payment"] = {{"state", added.queued() && !storedEarlier ? "QUEUED" : "ADDED"},
                             {"payment_mark", added.paymentMethodMark
                                                  ? core::Json(*added.paymentMethodMark)
                                                  : core::Json(nullptr)},
                             {"total_paid", money(added.totalPaid)},
                             {"total_unpaid", money(added.totalUnpaid)}};
    }
    return answer;
}

InvoiceIssuing::InvoiceIssuing(CashJournal& journal, signing::ProviderInvoices& provider,
                               signing::Signer* signatures)
    : journal_(journal)
    , provider_(provider)
    , signatures_(signatures) {}

IssueOutcome InvoiceIssuing::issue(const std::string& entryId, const ProgressListener& progress,
                                   const std::string& field) {
    const JournalEntry entry = journal_.get(entryId);
    mydataPaymentLine(entry, field); // an approved card payment, or the reason it is not
    const auto say = [&](const std::string& step, const std::string& text) {
        if (progress) {
            progress(entry.id, step, text);
        }
    };
    einvoice::Invoice invoice = journaledInvoice(journal_, entry, field);
    const std::vector<JournalEntry> payments = invoicePayments(journal_, entry, invoice);
    // A payment taken while the provider could not be reached (autonomous mode) is reported with
    // myDATA's transmissionFailure 1, unless the ERP's invoice says otherwise already.
    if (!invoice.transmissionFailure &&
        std::any_of(payments.begin(), payments.end(),
                    [](const JournalEntry& paid) { return paid.autonomous(); })) {
        invoice.transmissionFailure = 1;
    }
    const std::string uid = invoice.uid();
    // A card paid later reads its own entry's events below; only an issuance needs the others'.
    const Known known = invoice.mark ? Known{} : knownIssuance(journal_, payments);
    // A deferred payment is journaled on its own entry; an issuance on the first that issued.
    const std::string on = invoice.mark ? entry.id : known.issuedOn.value_or(entry.id);

    std::vector<core::HttpExchange> exchanges;
    const core::HttpObserver record = [&exchanges](const core::HttpExchange& exchange) {
        exchanges.push_back(exchange);
    };
    const auto keepExchanges = [&] {
        for (const auto& exchange : exchanges) {
            journal_.append(on, EventRecord::fromExchange(event_kind::ProviderResponse, exchange));
        }
        exchanges.clear();
    };
    const auto keepIssued = [&](const signing::IssuedInvoice& issued) {
        keepExchanges();
        auto event = EventRecord::make(event_kind::InvoiceIssued, describe(issued));
        event.responseBody = core::dumpJson(issued.raw);
        return journal_.append(on, event);
    };

    // A card paid later: added to the invoice issued earlier, on this entry.
    const auto addDeferred = [&]() -> IssueOutcome {
        const std::string& mark = *invoice.mark;
        std::optional<signing::AddedPayment> added;
        std::optional<signing::IssuedInvoice> read;
        bool requested = false;
        for (const auto& event : journal_.events(entry.id)) {
            const std::string& kind = event.record.kind;
            if (kind == event_kind::InvoicePaymentAdding) {
                requested = true;
            } else if (kind == event_kind::InvoicePaymentAdded && event.record.responseBody) {
                added = signing::AddedPayment::fromProviderJson(core::parseJson(
                    *event.record.responseBody, "journaled payment", core::JsonOrigin::Response));
            } else if (kind == event_kind::InvoiceIssued && event.record.responseBody) {
                read = signing::IssuedInvoice::fromProviderJson(core::parseJson(
                    *event.record.responseBody, "journaled invoice", core::JsonOrigin::Response));
            }
        }
        const bool fromJournal = added.has_value() && read.has_value();
        if (!added) {
            const core::Json items =
                einvoice::providerPaymentItems({mydataPaymentLine(entry, field)});
            bool stored = false;
            if (requested) {
                if (signatures_ == nullptr || !entry.signature) {
                    throw core::TransportError(core::TransportError::Stage::Exchange,
                                               "the card payment may have reached invoice MARK " +
                                                   mark + " already; run issue again");
                }
                say("checking",
                    "asking the provider whether the payment reached invoice MARK " + mark);
                const auto pending = signatures_->listPending();
                stored = std::none_of(pending.begin(), pending.end(), [&](const auto& signature) {
                    return signature.signatureBase64 == *entry.signature;
                });
            } else {
                auto event = EventRecord::make(event_kind::InvoicePaymentAdding,
                                               "the card payment, to invoice MARK " + mark);
                event.requestBody = core::dumpJson({{"mark", mark}, {"payments", items}});
                journal_.append(entry.id, event);
            }
            if (stored) {
                signing::AddedPayment found;
                found.invoiceMark = mark;
                found.raw = {{"invoice_mark", mark}, {"stored_earlier", true}};
                added = found;
            } else {
                say("adding", "adding the card payment to invoice MARK " + mark);
                added = provider_.addPayments(mark, items, record);
            }
            keepExchanges();
            auto event = EventRecord::make(
                event_kind::InvoicePaymentAdded,
                stored ? "held by the provider already: the payment's signature is no longer "
                         "pending"
                : added->queued() ? "added, myDATA not reached yet"
                                  : "added, payment MARK " + *added->paymentMethodMark);
            event.responseBody = core::dumpJson(added->raw);
            journal_.append(entry.id, event);
        }
        if (!read || read->queued()) {
            read = provider_.read(mark, record);
            keepExchanges();
            auto event = EventRecord::make(event_kind::InvoiceIssued, describe(*read));
            event.responseBody = core::dumpJson(read->raw);
            journal_.append(entry.id, event);
        }
        say(added->queued() ? "queued" : "added",
            "the card payment is on invoice MARK " + mark + ", receipt " + read->url);
        return {journal_.get(entry.id), *read, fromJournal, added};
    };

    if (known.issued && !known.issued->queued()) {
        say("issued", describe(*known.issued));
        return {journal_.get(on), *known.issued, true, std::nullopt};
    }
    try {
        if (invoice.mark) {
            return addDeferred();
        }
        if (known.issued) {
            // Queued at the provider: its MARK may have come since.
            say("reading", "asking the provider whether invoice " + uid + " reached myDATA");
            const auto now = provider_.read(known.issued->id, record);
            if (now.queued()) {
                keepExchanges();
                say("queued", describe(now));
                return {journal_.get(on), now, false, std::nullopt};
            }
            const JournalEntry kept = keepIssued(now);
            say("issued", describe(now));
            return {kept, now, false, std::nullopt};
        }

        std::vector<einvoice::PaymentLine> lines;
        for (const auto& paid : payments) {
            lines.push_back(mydataPaymentLine(paid, field));
        }
        const core::Json body = einvoice::providerInvoiceBody(invoice, lines);
        if (!known.requested) {
            auto event = EventRecord::make(event_kind::InvoiceIssuing, "invoice " + uid);
            event.requestBody = core::dumpJson(body);
            journal_.append(on, event);
        }
        say("issuing",
            "issuing invoice " + invoice.series + "-" + invoice.aa + " through the provider");
        const auto issued = provider_.issue(body, uid, known.requested, record);
        const JournalEntry kept = keepIssued(issued);
        say(issued.queued() ? "queued" : "issued", describe(issued));
        return {kept, issued, false, std::nullopt};
    } catch (const signing::ProviderError& e) {
        keepExchanges();
        if (e.retryable()) {
            throw core::TransportError(core::TransportError::Stage::Exchange,
                                       std::string("the provider could not issue invoice ") + uid +
                                           " now (" + e.what() +
                                           "); run issue again later, it will not issue twice");
        }
        journal_.append(invoice.mark ? entry.id : on,
                        EventRecord::make(event_kind::InvoiceRefused, e.what()));
        throw;
    } catch (const core::TransportError&) {
        keepExchanges();
        throw;
    }
}

} // namespace fiscpos::plugin
