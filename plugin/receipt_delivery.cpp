#include "plugin/receipt_delivery.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"
#include "core/text.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/mydata_payment.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace fiscpos::plugin {

namespace {

enum class RowState { Sending, Handover, Sent, Refused, Unknown };

// One outbox row as the entry's events tell it.
struct Row {
    std::string outboxId;
    ReceiptDestination destination;
    std::string uid;
    RowState state = RowState::Sending;
    std::string at;
    std::string gatewayId;
    std::string detail;
    int reportParts = 1; // the parts the reports speak of (1: a gateway that reports a message)
    std::set<std::pair<int, std::string>> reports; // (part, state) seen
    std::map<int, sms::DeliveryState> partStates;  // the latest report of each part

    // "" before any report; FAILED when a part failed; DELIVERED when every part was.
    std::string delivery() const {
        if (partStates.empty()) {
            return "";
        }
        int delivered = 0;
        for (const auto& [part, reported] : partStates) {
            if (reported == sms::DeliveryState::Failed) {
                return "FAILED";
            }
            delivered += reported == sms::DeliveryState::Delivered ? 1 : 0;
        }
        return delivered >= reportParts ? "DELIVERED" : "PENDING";
    }
};

constexpr auto channelNames = core::nameTable<ReceiptChannel>(
    {{ReceiptChannel::Email, "email"}, {ReceiptChannel::Sms, "sms"}});

// The SMS reference of an outbox row and back: "<uuid>.receipt.<n>" ⇄ "<uuid's hex>.r<n>", within
// the 40 characters a gateway keeps.
std::string gatewayReference(const std::string& outboxId) {
    std::string reference;
    for (char c : outboxId) {
        if (c != '-') {
            reference += c;
        }
    }
    const std::string long_ = ".receipt.";
    if (const auto at = reference.find(long_); at != std::string::npos) {
        reference.replace(at, long_.size(), ".r");
    }
    return reference.size() > 40 ? reference.substr(reference.size() - 40) : reference;
}

std::vector<Row> outboxRows(const std::vector<JournalEvent>& events) {
    std::vector<Row> rows;
    const auto find = [&rows](const std::string& id) -> Row* {
        for (auto& row : rows) {
            if (row.outboxId == id) {
                return &row;
            }
        }
        return nullptr;
    };
    for (const auto& event : events) {
        const std::string& kind = event.record.kind;
        if (!kind.starts_with("receipt.")) {
            continue;
        }
        const auto& body = kind == event_kind::ReceiptSending ? event.record.requestBody
                                                              : event.record.responseBody;
        if (!body) {
            continue;
        }
        const core::Json data =
            core::parseJson(*body, "journaled receipt", core::JsonOrigin::Response);
        const std::string id = data.value("outbox", "");
        Row* row = find(id);
        if (kind == event_kind::ReceiptSending) {
            const auto channel = channelNames.find(data.value("channel", ""));
            if (!channel) {
                continue;
            }
            if (row == nullptr) {
                Row made;
                made.outboxId = id;
                made.destination = {*channel, data.value("to", ""), ""};
                made.uid = data.value("uid", "");
                made.at = event.at;
                rows.push_back(std::move(made));
            } else {
                row->state = RowState::Sending;
                row->at = event.at;
            }
            continue;
        }
        if (row == nullptr) {
            continue;
        }
        if (kind == event_kind::ReceiptReport) {
            const int part = data.value("part", 1);
            const std::string state = data.value("state", "PENDING");
            row->reportParts = std::max(row->reportParts, data.value("parts", 1));
            row->reports.insert({part, state});
            row->partStates[part] = state == "DELIVERED" ? sms::DeliveryState::Delivered
                                    : state == "FAILED"  ? sms::DeliveryState::Failed
                                                         : sms::DeliveryState::Pending;
            continue;
        }
        row->at = event.at;
        row->detail = data.value("detail", "");
        if (kind == event_kind::ReceiptHandover) {
            row->state = RowState::Handover;
        } else if (kind == event_kind::ReceiptSent) {
            row->state = RowState::Sent;
            row->gatewayId = data.value("gateway_id", "");
        } else if (kind == event_kind::ReceiptRefused) {
            row->state = RowState::Refused;
        } else if (kind == event_kind::ReceiptUnknown) {
            row->state = RowState::Unknown;
        }
    }
    return rows;
}

EventRecord receiptEvent(const char* kind, const std::string& note, const core::Json& data) {
    auto event = EventRecord::make(kind, note);
    if (std::string(kind) == event_kind::ReceiptSending) {
        event.requestBody = core::dumpJson(data);
    } else {
        event.responseBody = core::dumpJson(data);
    }
    return event;
}

std::string describeDestination(const ReceiptDestination& to) {
    return std::string(to.channel == ReceiptChannel::Email ? "e-mail to " : "SMS to ") + to.to;
}

} // namespace

std::string_view channelName(ReceiptChannel channel) {
    return channelNames.name(channel);
}

core::Json receiptOutcomeJson(const ReceiptOutcome& outcome) {
    bool ok = true;
    core::Json deliveries = core::Json::array();
    for (const auto& delivery : outcome.deliveries) {
        ok = ok && (delivery.state == "SENT" || delivery.state == "ALREADY_SENT");
        deliveries.push_back(
            {{"channel", channelName(delivery.destination.channel)},
             {"to", delivery.destination.to},
             {"outbox", delivery.outboxId},
             {"state", delivery.state},
             {"at", delivery.at},
             {"gateway_id", delivery.gatewayId},
             {"detail", delivery.detail},
             {"delivery",
              delivery.delivery.empty() ? core::Json(nullptr) : core::Json(delivery.delivery)}});
    }
    const auto& facts = outcome.facts;
    return {{"ok", ok},
            {"entry", outcome.entry.id},
            {"uid", facts.uid},
            {"mark", facts.mark ? core::Json(*facts.mark) : core::Json(nullptr)},
            {"url", facts.url},
            {"subject", outcome.text.subject},
            {"message", outcome.text.plain},
            {"sms_text", outcome.text.sms},
            {"deliveries", deliveries}};
}

ReceiptDelivery::ReceiptDelivery(CashJournal& journal)
    : journal_(journal) {}

void ReceiptDelivery::setChannel(ReceiptChannel channel, ChannelSender sender) {
    channels_[channel] = std::move(sender);
}

ReceiptOutcome ReceiptDelivery::prepare(const std::string& entryId,
                                        receipt::ReceiptLanguage language,
                                        const std::string& field) const {
    const JournalEntry entry = journal_.get(entryId);
    mydataPaymentLine(entry, field); // an approved card payment, or the reason it is not
    const einvoice::Invoice invoice = journaledInvoice(journal_, entry, field);
    const auto issued = issuedInvoiceOf(journal_, entry, invoice);
    if (!issued) {
        throw core::InputError(field, "the invoice of entry " + entry.id +
                                          " is not issued yet: run fiscpos issue --entry " +
                                          entry.id + " first");
    }
    receipt::ReceiptFacts facts;
    facts.issuer = invoice.issuer.name.value_or("");
    facts.issuerVat = invoice.issuer.vat;
    facts.series = invoice.series;
    facts.aa = invoice.aa;
    facts.documentType = invoice.type;
    facts.date = invoice.issueDate();
    facts.amount = entry.amount;
    facts.currency = entry.currency;
    facts.url = issued->url;
    facts.mark = issued->mark;
    facts.uid = issued->uid;
    facts.authenticationCode = issued->authenticationCode;
    ReceiptOutcome outcome{entry, facts, receipt::receiptText(facts, language), {}};
    return outcome;
}

ReceiptOutcome ReceiptDelivery::deliver(const ReceiptRequest& request,
                                        const ProgressListener& progress,
                                        const std::string& field) {
    ReceiptOutcome outcome = prepare(request.entryId, request.language, field);
    std::vector<ReceiptDestination> destinations;
    for (const auto& destination : request.destinations) {
        const bool email = destination.channel == ReceiptChannel::Email;
        const auto channel = channels_.find(destination.channel);
        if (channel == channels_.end()) {
            throw core::InputError(email ? "mail" : "sms",
                                   email ? "no [mail] section: cannot e-mail the receipt"
                                         : "no [sms] section: cannot text the receipt");
        }
        auto checked = destination;
        checked.to = channel->second.recipient(destination.to, destination.field);
        if (channel->second.check) {
            channel->second.check(checked.to, outcome.text);
        }
        destinations.push_back(std::move(checked));
    }
    for (const auto& destination : destinations) {
        outcome.deliveries.push_back(deliverOne(outcome, destination, request, progress));
    }
    outcome.entry = journal_.get(outcome.entry.id);
    return outcome;
}

DeliveryOutcome ReceiptDelivery::deliverOne(const ReceiptOutcome& prepared,
                                            const ReceiptDestination& to,
                                            const ReceiptRequest& request,
                                            const ProgressListener& progress) {
    const std::string& entryId = prepared.entry.id;
    const auto say = [&](const std::string& step, const std::string& text) {
        if (progress) {
            progress(entryId, step, text);
        }
    };
    // The deliveries of one entry take turns, across processes and instances.
    const auto lock = journal_.lock("receipt:" + entryId);
    const std::vector<Row> rows = outboxRows(journal_.events(entryId));
    const Row* latest = nullptr;
    for (const auto& row : rows) {
        if (row.destination.channel == to.channel && row.destination.to == to.to &&
            row.uid == prepared.facts.uid) {
            latest = &row;
        }
    }
    DeliveryOutcome outcome;
    outcome.destination = to;
    std::optional<std::string> reuse; // an e-mail row that provably never left
    if (latest != nullptr && !request.resend) {
        outcome.outboxId = latest->outboxId;
        outcome.at = latest->at;
        outcome.gatewayId = latest->gatewayId;
        outcome.detail = latest->detail;
        outcome.delivery = latest->delivery();
        switch (latest->state) {
        case RowState::Sent:
            outcome.state = "ALREADY_SENT";
            say("already-sent", describeDestination(to) + " was sent at " + latest->at +
                                    " (outbox " + latest->outboxId + "); --resend sends it again");
            return outcome;
        case RowState::Unknown:
            outcome.state = "UNKNOWN";
            say("unknown", describeDestination(to) + " may have been sent at " + latest->at +
                               " (no answer came); it is never sent again on its own: --resend "
                               "if the customer did not get it");
            return outcome;
        case RowState::Handover:
        case RowState::Sending:
            if (latest->state == RowState::Sending && to.channel == ReceiptChannel::Email) {
                reuse = latest->outboxId; // stopped before the end of the message left
                break;
            }
            outcome.state = "UNKNOWN";
            outcome.detail = "the sending process stopped before the answer was kept";
            journal_.append(
                entryId, receiptEvent(event_kind::ReceiptUnknown,
                                      describeDestination(to) + ": " + outcome.detail,
                                      {{"outbox", latest->outboxId}, {"detail", outcome.detail}}));
            say("unknown", describeDestination(to) + " may have been sent (" + outcome.detail +
                               "); it is never sent again on its own: --resend if the customer "
                               "did not get it");
            return outcome;
        case RowState::Refused:
            break; // not accepted: a new row
        }
    }
    outcome.outboxId = reuse.value_or(entryId + ".receipt." + std::to_string(rows.size() + 1));
    const OutboxMessage message{
        outcome.outboxId, gatewayReference(outcome.outboxId), to.to, prepared.facts, prepared.text,
        request.language};
    core::Json sending{
        {"outbox", outcome.outboxId},
        {"channel", channelName(to.channel)},
        {"to", to.to},
        {"uid", prepared.facts.uid},
        {"text", to.channel == ReceiptChannel::Email ? prepared.text.plain : prepared.text.sms}};
    if (to.channel == ReceiptChannel::Email) {
        sending["subject"] = prepared.text.subject;
    }
    if (request.resend) {
        sending["reason"] =
            request.reason.empty() ? "sent again at the cashier's request" : request.reason;
    }
    if (reuse) {
        sending["attempt"] = "again: the previous attempt stopped before the message left";
    }
    say("sending", describeDestination(to) + " (outbox " + outcome.outboxId + ")");
    journal_.append(entryId,
                    receiptEvent(event_kind::ReceiptSending,
                                 describeDestination(to) + (request.resend ? ", sent again" : ""),
                                 sending));
    const auto handover = [&] {
        journal_.append(entryId,
                        receiptEvent(event_kind::ReceiptHandover,
                                     describeDestination(to) + ": the end of the message leaves",
                                     {{"outbox", outcome.outboxId}}));
    };
    const SendResult result = channels_.at(to.channel).send(message, handover);
    outcome.gatewayId = result.gatewayId;
    outcome.detail = result.detail;
    const core::Json data{{"outbox", outcome.outboxId},
                          {"gateway_id", result.gatewayId},
                          {"parts", result.parts},
                          {"detail", result.detail}};
    const std::string who = describeDestination(to);
    if (result.outcome == SendResult::Outcome::Accepted) {
        say("accepted",
            who + " accepted" + (result.gatewayId.empty() ? "" : " as " + result.gatewayId));
        const auto kept = journal_.append(
            entryId, receiptEvent(event_kind::ReceiptSent, who + " accepted", data));
        outcome.state = "SENT";
        outcome.at = kept.updatedAt;
        say("sent", who + " sent");
        return outcome;
    }
    const bool refused = result.outcome == SendResult::Outcome::Refused;
    journal_.append(entryId,
                    receiptEvent(refused ? event_kind::ReceiptRefused : event_kind::ReceiptUnknown,
                                 who + (refused ? " refused: " : ": ") + result.detail, data));
    outcome.state = refused ? "REFUSED" : "UNKNOWN";
    say(refused ? "refused" : "unknown",
        who + (refused ? " was not accepted (" + result.detail + "); sending it again is safe"
                       : " may have been sent (" + result.detail +
                             "); it is never sent again on its own"));
    return outcome;
}

namespace {

// The other way of gatewayReference: "44b610f57164460491f522085437d6b9.r1" →
// {"44b610f5-7164-4604-91f5-22085437d6b9", "44b610f5-7164-4604-91f5-22085437d6b9.receipt.1"};
// nullopt for anything else.
std::optional<std::pair<std::string, std::string>> rowOfReference(const std::string& reference) {
    const auto dot = reference.find(".r");
    if (dot != 32 || reference.size() <= dot + 2 ||
        !core::allHex(std::string_view(reference).substr(0, 32)) ||
        !core::allDigits(std::string_view(reference).substr(dot + 2))) {
        return std::nullopt;
    }
    const std::string hex = reference.substr(0, 32);
    const std::string entry = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
                              "-" + hex.substr(16, 4) + "-" + hex.substr(20);
    return std::pair{entry, entry + ".receipt." + reference.substr(dot + 2)};
}

} // namespace

ReceiptDelivery::ReportOutcome ReceiptDelivery::recordReport(const sms::DeliveryReport& report,
                                                             const std::string& note) {
    const auto row = rowOfReference(report.reference);
    if (!row || !journal_.find(row->first)) {
        return ReportOutcome::Unknown;
    }
    const auto lock = journal_.lock("receipt:" + row->first);
    const auto rows = outboxRows(journal_.events(row->first));
    const auto found = std::find_if(rows.begin(), rows.end(), [&](const Row& kept) {
        return kept.outboxId == row->second && kept.destination.channel == ReceiptChannel::Sms &&
               kept.gatewayId == report.gatewayId;
    });
    if (found == rows.end()) {
        return ReportOutcome::Unknown;
    }
    const std::string state = sms::deliveryStateName(report.state);
    if (found->reports.contains({report.part, state})) {
        return ReportOutcome::Repeated;
    }
    const core::Json data{{"outbox", found->outboxId},
                          {"gateway_id", report.gatewayId},
                          {"part", report.part},
                          {"parts", report.parts},
                          {"state", state},
                          {"status", report.status},
                          {"report", report.raw}};
    std::string text =
        describeDestination(found->destination) + ": " + state + " (" + report.status + ")";
    if (report.parts > 1) {
        text += ", part " + std::to_string(report.part) + " of " + std::to_string(report.parts);
    }
    journal_.append(row->first, receiptEvent(event_kind::ReceiptReport,
                                             note.empty() ? text : text + "; " + note, data));
    return ReportOutcome::Recorded;
}

} // namespace fiscpos::plugin
