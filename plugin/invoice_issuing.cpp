#include "plugin/invoice_issuing.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "einvoice/provider_invoice.hpp"
#include "plugin/mydata_payment.hpp"
#include "plugin/provider_settings.hpp"
#include "signing/provider_error.hpp"

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
    return std::make_unique<signing::ProviderInvoices>(providerApiOptions(config));
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
    return answer;
}

InvoiceIssuing::InvoiceIssuing(CashJournal& journal, signing::ProviderInvoices& provider)
    : journal_(journal)
    , provider_(provider) {}

IssueOutcome InvoiceIssuing::issue(const std::string& entryId, const ProgressListener& progress,
                                   const std::string& field) {
    const JournalEntry entry = journal_.get(entryId);
    mydataPaymentLine(entry, field); // an approved card payment, or the reason it is not
    const auto say = [&](const std::string& step, const std::string& text) {
        if (progress) {
            progress(entry.id, step, text);
        }
    };
    const einvoice::Invoice invoice = journaledInvoice(journal_, entry, field);
    const std::vector<JournalEntry> payments = invoicePayments(journal_, entry, invoice);
    const std::string uid = invoice.uid();
    Known known = knownIssuance(journal_, payments);
    const std::string on = known.issuedOn.value_or(entry.id);

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

    if (known.issued && !known.issued->queued()) {
        say("issued", describe(*known.issued));
        return {journal_.get(on), *known.issued, true};
    }
    try {
        if (known.issued) {
            // Queued at the provider: its MARK may have come since.
            say("reading", "asking the provider whether invoice " + uid + " reached myDATA");
            const auto now = provider_.read(known.issued->id, record);
            if (now.queued()) {
                keepExchanges();
                say("queued", describe(now));
                return {journal_.get(on), now, false};
            }
            const JournalEntry kept = keepIssued(now);
            say("issued", describe(now));
            return {kept, now, false};
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
        return {kept, issued, false};
    } catch (const signing::ProviderError& e) {
        keepExchanges();
        if (e.retryable()) {
            throw core::TransportError(core::TransportError::Stage::Exchange,
                                       std::string("the provider could not issue invoice ") + uid +
                                           " now (" + e.what() +
                                           "); run issue again later, it will not issue twice");
        }
        journal_.append(on, EventRecord::make(event_kind::InvoiceRefused, e.what()));
        throw;
    } catch (const core::TransportError&) {
        keepExchanges();
        throw;
    }
}

} // namespace fiscpos::plugin
