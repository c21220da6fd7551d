// Sending the customer the receipt link of an issued invoice, by e-mail and SMS, once per
// recipient (contract receipt-delivery.md §8). The journal is the outbox: each message is a row
// on the payment's entry, written before anything leaves.
//
//   receipt.sending   outbox id, channel, recipient, UID, the text; why, when sent again
//   receipt.handover  (e-mail) the server took the envelope; the end of the message leaves next
//   receipt.sent      the gateway's or server's acceptance (its id, the SMS parts)
//   receipt.refused   not accepted: sending again is safe
//   receipt.unknown   the message may have left and no answer came: never sent again on its own
//   receipt.report    a gateway's delivery report (DELIVERED, FAILED or still PENDING), as its
//                     callback said it and, where the gateway can be asked, as it confirmed it
//
// A repeat for a recipient whose row was sent answers from the journal; a row left without an
// answer (a lost answer, a killed process) is UNKNOWN unless it provably never left (an e-mail
// before its handover is sent again under the same outbox id and Message-ID); `resend` starts a
// new row and journals why. Deliveries are serialised across processes and threads by a lock
// beside the journal's file (flock: a killed process lets go of it), so a row left SENDING by a
// process that no longer runs is told from one being sent right now.
#pragma once

#include "core/json.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "receipt/receipt_text.hpp"
#include "sms/sms_gateway.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::plugin {

namespace event_kind {
inline constexpr const char* ReceiptSending = "receipt.sending";
inline constexpr const char* ReceiptHandover = "receipt.handover";
inline constexpr const char* ReceiptSent = "receipt.sent";
inline constexpr const char* ReceiptRefused = "receipt.refused";
inline constexpr const char* ReceiptUnknown = "receipt.unknown";
inline constexpr const char* ReceiptReport = "receipt.report";
} // namespace event_kind

enum class ReceiptChannel { Email, Sms };
std::string_view channelName(ReceiptChannel channel); // "email", "sms"

struct ReceiptDestination {
    ReceiptChannel channel = ReceiptChannel::Email;
    std::string to;    // an e-mail address; a phone number (normalised by the channel)
    std::string field; // what names it in an error: "--email", "sms"
};

// One message about to leave through a channel.
struct OutboxMessage {
    std::string outboxId;  // "<entry>.receipt.<n>": the Message-ID's left part
    std::string reference; // the outbox id as a gateway keeps it (<entry's hex>.r<n>, 40 at most)
    std::string to;
    const receipt::ReceiptFacts& facts;
    const receipt::ReceiptText& text;
    receipt::ReceiptLanguage language;
};

// What a channel's one attempt came to.
struct SendResult {
    enum class Outcome { Accepted, Refused, Unknown };
    Outcome outcome = Outcome::Unknown;
    std::string gatewayId; // the gateway's message id, when it gave one
    int parts = 0;         // SMS parts
    std::string detail;    // the server's or gateway's words
};

// A channel: how it reads a recipient and how it sends.
struct ChannelSender {
    // The recipient as the channel sends to it (a number in E.164), or core::InputError naming
    // `field`; asked before anything is written.
    std::function<std::string(const std::string& to, const std::string& field)> recipient;
    // Checks the message to the recipient `to` (as recipient() gave it; an SMS too long:
    // core::InputError) before anything is written.
    std::function<void(const std::string& to, const receipt::ReceiptText& text)> check;
    // Sends one message once; calls `handover` (when given) right before the point from which the
    // message may be delivered, for a channel that can tell (SMTP's end of data).
    std::function<SendResult(const OutboxMessage& message, const std::function<void()>& handover)>
        send;
};

struct ReceiptRequest {
    std::string entryId;
    std::vector<ReceiptDestination> destinations;
    bool resend = false;
    std::string reason; // why it is sent again (journaled)
    receipt::ReceiptLanguage language = receipt::ReceiptLanguage::Greek;
};

struct DeliveryOutcome {
    ReceiptDestination destination;
    std::string outboxId;
    // SENT (now), ALREADY_SENT (earlier: `at`), REFUSED (safe to try again), UNKNOWN.
    std::string state;
    std::string at; // UTC, when it was accepted (SENT, ALREADY_SENT) or left (UNKNOWN)
    std::string gatewayId;
    std::string detail;
    // What the gateway's delivery reports say (SMS): "" none yet, PENDING, DELIVERED (every
    // part), FAILED (a part).
    std::string delivery;
};

struct ReceiptOutcome {
    JournalEntry entry;
    receipt::ReceiptFacts facts;
    receipt::ReceiptText text;
    std::vector<DeliveryOutcome> deliveries;
};

// {"ok", "entry", "uid", "mark", "url", "subject", "message", "sms_text", "deliveries": [{channel,
// to, outbox, state, at, gateway_id, detail, delivery}]}: the answer of the CLI, the C ABI and
// serve. "ok" is false when a delivery is REFUSED or UNKNOWN.
core::Json receiptOutcomeJson(const ReceiptOutcome& outcome);

class ReceiptDelivery {
public:
    explicit ReceiptDelivery(CashJournal& journal);

    void setChannel(ReceiptChannel channel, ChannelSender sender);

    // The receipt of the approved payment `entryId` whose invoice was issued: facts and text,
    // nothing sent. InputError naming `field` for an entry that is no approved payment or whose
    // invoice is not issued yet.
    ReceiptOutcome prepare(const std::string& entryId, receipt::ReceiptLanguage language,
                           const std::string& field = "entry") const;

    // prepare(), then each destination as the rules above say. A destination whose channel is
    // not set up, a recipient or a text the channel refuses: an InputError naming it, before
    // anything is written.
    ReceiptOutcome deliver(const ReceiptRequest& request, const ProgressListener& progress = {},
                           const std::string& field = "entry");

    enum class ReportOutcome { Recorded, Repeated, Unknown };
    // A gateway's delivery report, journaled (receipt.report) on the row whose outbox id its
    // reference names (sms reference: the entry's id without dashes and ".r<n>"); the same
    // message, part and state again is a Repeated no-op; a reference that names no row sent
    // through that gateway is Unknown and nothing is written. `note` says how it was confirmed.
    ReportOutcome recordReport(const sms::DeliveryReport& report, const std::string& note);

private:
    DeliveryOutcome deliverOne(const ReceiptOutcome& prepared, const ReceiptDestination& to,
                               const ReceiptRequest& request, const ProgressListener& progress);

    CashJournal& journal_;
    std::map<ReceiptChannel, ChannelSender> channels_;
};

} // namespace fiscpos::plugin
