// The PaymentService: one card payment from the ERP's request to its recorded outcome, in one
// place (the state machine of the design):
//   1 journal: open the entry (SIGNING); a known idempotency key returns the existing entry
//   2 the provider signs; the journal keeps its answer
//   3 the Input is checked against the charge; a mismatch stops here (FAILED, nothing sent)
//   4 our network reference is chosen and journaled (SENDING) before the call that uses it
//   5 terminal.start (SENT)
//   6 terminal.query until final, quickly at first, then slower, up to a deadline (IN_DOUBT)
//   7 the entry, with the outcome and the network's identifiers, goes back to the ERP
// It speaks to networks only through core::Terminal and parses none of their JSON.
#pragma once

#include "core/clock.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/poll_schedule.hpp"
#include "plugin/terminal_binding.hpp"
#include "signing/signer.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::plugin {

struct PayRequest {
    std::string terminal; // [terminal.NAME]
    einvoice::Invoice invoice;
    std::string invoiceJson;           // as the ERP sent it, kept in the journal
    std::optional<core::Money> amount; // the card's share; the invoice's gross by default
    core::Money tip;
    std::optional<std::string> idempotencyKey;
    std::optional<std::string> customerEmail;
    std::optional<std::string> customerPhone;
};

struct RefundRequest {
    std::string originalEntry; // the approved sale being refunded
    std::string terminal;      // empty: the sale's terminal
    einvoice::Invoice creditNote;
    std::string creditNoteJson;
    std::optional<core::Money> amount; // the credit note's gross by default
    std::optional<std::string> idempotencyKey;
};

// A step the cashier may want to see: ("signing", "asking the provider..."), ("sent", ...),
// ("on_device", ...), ("approved", ...).
using ProgressListener = std::function<void(const std::string& entryId, const std::string& step,
                                            const std::string& text)>;

struct PaymentServiceOptions {
    PollSchedule schedule{std::chrono::minutes(4)};
    signing::SignatureDuration duration = signing::SignatureDuration::Hours2;
};

class PaymentService {
public:
    PaymentService(CashJournal& journal, signing::Signer& signer,
                   std::map<std::string, TerminalBinding> terminals, const core::Clock& clock,
                   PaymentServiceOptions options = PaymentServiceOptions{});

    // Takes a card payment. Bad input (unknown terminal, amount) is an InputError before anything
    // is written. Everything after that ends in the returned entry's state, never in an exception
    // that leaves the entry open without a reason.
    JournalEntry pay(const PayRequest& request, const ProgressListener& progress = {});

    // Gives money back for an approved sale: a new entry linked to it, with the credit document's
    // own signature. InputError when the sale is not an approved, unvoided sale or the refunds
    // would exceed it.
    JournalEntry refund(const RefundRequest& request, const ProgressListener& progress = {});

    // Voids (reverses) an approved sale through its network: a void entry linked to it; the sale
    // is marked voided and nothing is booked.
    JournalEntry voidSale(const std::string& originalEntry,
                          std::optional<std::string> idempotencyKey = std::nullopt,
                          const ProgressListener& progress = {});

    // Asks the network again about one entry and records what changed (a status refresh).
    JournalEntry status(const std::string& entryId, const ProgressListener& progress = {});

    // Settles every open entry (SIGNING, SENDING, SENT, IN_DOUBT) created since `since`: one the
    // network never received is closed NOT_CHARGED, one it received gets its real outcome. Never
    // starts a second payment.
    std::vector<JournalEntry> reconcile(std::optional<core::TimePoint> since = std::nullopt,
                                        const ProgressListener& progress = {});

    const TerminalBinding& terminal(const std::string& name) const;

private:
    class Run;
    std::mutex& terminalLock(const std::string& name);
    NewEntry entryFor(EntryKind kind, const TerminalBinding& binding,
                      const einvoice::Invoice* invoice, core::Money amount, core::Money tip,
                      std::optional<std::string> idempotencyKey,
                      std::optional<std::string> original, std::string request) const;
    std::optional<JournalEntry> known(const CashJournal::Opened& opened,
                                      const ProgressListener& progress);
    JournalEntry approvedSale(const std::string& entryId) const;
    static core::NetworkPaymentIds networkIdsOf(const JournalEntry& entry);
    JournalEntry signAndCharge(Run& run, const TerminalBinding& binding,
                               const einvoice::Invoice& invoice,
                               const signing::SignatureRequest& signatureRequest,
                               core::PaymentRequest intent);
    JournalEntry chooseReference(Run& run, const TerminalBinding& binding,
                                 const std::string& reference);
    JournalEntry send(Run& run, const TerminalBinding& binding, JournalEntry entry,
                      const std::string& reference,
                      const std::function<core::TerminalReport()>& start);

    CashJournal& journal_;
    signing::Signer& signer_;
    std::map<std::string, TerminalBinding> terminals_;
    const core::Clock& clock_;
    PaymentServiceOptions options_;
    std::mutex locksMutex_;
    std::map<std::string, std::unique_ptr<std::mutex>> locks_;
};

} // namespace fiscpos::plugin
