// The cash journal: the accountant's record of every card payment, refund and void, on SQLite or
// PostgreSQL (the same schema and hash chain). Entries carry the current state;
// events are appended and never changed, each with the full request and response of its step
// (secrets redacted, card numbers masked) and a SHA-256 hash chained to the event before it, so
// verify() finds an edited or deleted event. Every write is one transaction, durable (SQLite: WAL,
// synchronous=FULL; PostgreSQL: synchronous_commit) before the call returns: the caller makes its
// next remote call only after.
//
// Thread-safe: one connection behind a mutex. Other processes and instances may use the same
// journal; writers take turns (SQLite's write lock, an advisory lock on PostgreSQL).
#pragma once

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "plugin/journal/journal_entry.hpp"
#include "plugin/journal/journal_event.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::plugin {

namespace journal_detail {
class LockSpace;
class SignalListener;
} // namespace journal_detail

// The journal refused a write that would make the record wrong (an entry going back to SIGNING, a
// second void, a network reference used twice), or the database failed. Code "journal".
class JournalError : public core::Error {
public:
    explicit JournalError(const std::string& message)
        : core::Error("journal", message) {}
};

// A write the state table (journal_state.hpp) forbids for the entry as it is now: e.g. a cancel
// request after the payment's reference was chosen, or SENDING after a cancel request. Nothing
// was written; the caller reads the entry again and acts on what it finds.
class MoveRefused : public JournalError {
public:
    explicit MoveRefused(const std::string& message)
        : JournalError(message) {}
};

// A lock every fiscpos process and instance on one journal shares, held until this goes (or the
// process dies): see CashJournal::lock.
class JournalLock {
public:
    JournalLock(JournalLock&& other) noexcept;
    JournalLock& operator=(JournalLock&&) = delete;
    JournalLock(const JournalLock&) = delete;
    JournalLock& operator=(const JournalLock&) = delete;
    ~JournalLock();

private:
    friend class CashJournal;
    JournalLock(journal_detail::LockSpace* space, std::string name);
    journal_detail::LockSpace* space_;
    std::string name_;
};

// Which entries list() and the exports return. Times compare with created_at: since ≤ t < until.
struct JournalFilter {
    std::vector<EntryState> states; // empty: every state
    std::optional<core::TimePoint> since;
    std::optional<core::TimePoint> until;
    std::optional<std::string> terminal;
    std::optional<EntryKind> kind;
    std::optional<std::string> originalEntry;    // the refunds and voids of one sale
    std::optional<std::string> networkReference; // the entry a network's event names
    std::optional<std::string> invoiceUid;       // the payments of one invoice
    std::optional<std::size_t> limit;

    // The entries reconcile settles: SIGNING, SENDING, SENT, IN_DOUBT.
    static JournalFilter openEntries(std::optional<core::TimePoint> since = std::nullopt);
};

// How a CSV export is written.
enum class CsvDialect {
    // RFC 4180: comma, decimal point, times as stored (UTC ISO-8601), quoted only when needed.
    Rfc4180,
    // What a Greek (el-GR) spreadsheet opens as meant: a UTF-8 byte order mark, ';' between
    // fields, decimal comma, Athens local times as dd/mm/yyyy HH:MM:SS, every text quoted and
    // one a spreadsheet would read as a number or date (an RRN, a transaction id) given a leading
    // ' so that its digits stay as written.
    ElGr,
};

struct VerifyProblem {
    std::int64_t seq = 0; // the event concerned; 0 when the problem is about an entry or the head
    std::string entryId;  // the entry concerned, when known
    std::string what;
};

struct VerifyReport {
    bool ok = true;
    std::int64_t eventsChecked = 0;
    std::int64_t entriesChecked = 0;
    std::int64_t lastSeq = 0;
    std::string lastHash; // note it down: a later verify against it proves nothing was rewritten
    std::vector<VerifyProblem> problems;

    core::Json toJson() const;
};

// A hash noted down earlier (printed by verify, kept on paper or elsewhere): verify() checks that
// event `seq` still has it, which also catches a chain rewritten from the start.
struct JournalAnchor {
    std::int64_t seq = 0;
    std::string hash;
};

class CashJournal {
public:
    // url: "sqlite:PATH". Creates the schema when missing. The clock must outlive the journal.
    // A bad URL or a file that cannot be opened is a ConfigError naming journal.url.
    static CashJournal open(const std::string& url, const core::Clock& clock);

    CashJournal(CashJournal&&) noexcept;
    CashJournal& operator=(CashJournal&&) noexcept;
    ~CashJournal();

    struct Opened {
        JournalEntry entry;
        bool created = false; // false: the idempotency key was known, nothing was written
    };
    // Opens an entry in state SIGNING with its "opened" event. When the idempotency key is
    // already in the journal, nothing is written and the existing entry comes back (created =
    // false), provided it is the same payment (kind, terminal, amount, tip, currency, original
    // entry, invoice); otherwise InputError "idempotency_key". A refund or void needs
    // original_entry naming a sale (InputError "original_entry"); a sale must not have one. The
    // money rules of money_limits.hpp are checked in the same transaction, and so is `admit`, the
    // caller's last word before anything is written (it throws to refuse); neither is asked for a
    // known idempotency key.
    Opened openEntry(const NewEntry& entry, const std::function<void()>& admit = {});

    // Appends one event to an entry and applies its changes to the entry, in one transaction.
    // The event's url, headers, bodies, error and note are redacted first; masked_pan is masked.
    // InputError "entry" for an unknown entry; JournalError for a change the journal refuses:
    // a state back to SIGNING, SENDING other than from SIGNING, a void of an entry that is not an
    // approved sale or is voided already, a network reference that changes or that another
    // entry of the same network has.
    JournalEntry append(const std::string& entryId, const EventRecord& event,
                        const EntryChanges& changes = {});

    std::optional<JournalEntry> find(const std::string& entryId) const;
    // As find(); InputError "entry" when there is no such entry.
    JournalEntry get(const std::string& entryId) const;
    // The id of the entry a person means by `typed`: the id itself, or its first characters (at
    // least 6) when they begin one entry's id only. InputError naming `field` when they begin
    // several; `typed` unchanged when they begin none (get() then says so).
    std::string resolveId(const std::string& typed, const std::string& field) const;
    std::optional<JournalEntry> findByIdempotencyKey(const std::string& key) const;
    std::optional<JournalEntry> findByNetworkReference(const std::string& network,
                                                       const std::string& reference) const;
    // In the order they were opened.
    std::vector<JournalEntry> list(const JournalFilter& filter = {}) const;
    // In seq order.
    std::vector<JournalEvent> events(const std::string& entryId) const;

    // Walks every event in seq order: recomputes each hash, checks the links, the numbering and
    // the head (so a deleted last event shows), and rebuilds every entry from its events to
    // compare it with its row.
    VerifyReport verify(const std::optional<JournalAnchor>& anchor = std::nullopt) const;

    // {"format": "fiscpos.cash_journal.v1", "head": {...}, "entries": [{..., "business_day",
    // "net_amount", "events": [...]}]}, amounts as decimal strings; business_day and net_amount
    // as journal_accounting.hpp defines them.
    std::string exportJson(const JournalFilter& filter = {}) const;
    // One row per entry, a header line, CRLF line ends: every entry column in table order, then
    // business_day and net_amount.
    std::string exportCsv(const JournalFilter& filter = {},
                          CsvDialect dialect = CsvDialect::Rfc4180) const;

    // Takes the lock `name` ("terminal:M1", "receipt:<entry>") shared by every process and
    // instance on this journal: a byte of `<file>.locks` for a SQLite journal, an advisory lock
    // for PostgreSQL. lock() waits for it; tryLock() answers nullopt while anyone else holds it.
    JournalLock lock(const std::string& name) const;
    std::optional<JournalLock> tryLock(const std::string& name) const;

    // News for every process and instance on this journal: on PostgreSQL a NOTIFY on `channel`
    // (a lower-case name) that each listen() of any process receives; on SQLite nothing (the
    // news waits for the next poll). A hint, never proof: it may be lost.
    void notify(const std::string& channel, const std::string& payload) const;
    // Calls `receive`, on a thread of its own, with each payload any process notifies on
    // `channel`, until the returned listener goes; nullptr on SQLite.
    std::unique_ptr<journal_detail::SignalListener>
    listen(const std::string& channel, std::function<void(const std::string&)> receive) const;

    // Writes (entries opened, events appended) and the commits that made them durable since the
    // journal was opened: writes arriving while a commit is under way share the next one.
    struct WriteStats {
        std::int64_t writes = 0;
        std::int64_t commits = 0;
    };
    WriteStats writeStats() const;

    // A database setting as text, e.g. pragma("journal_mode") == "wal",
    // pragma("synchronous") == "2" (FULL); on PostgreSQL a setting, pragma("synchronous_commit").
    std::string pragma(const std::string& name) const;
    const std::string& url() const;

    struct Impl;

private:
    explicit CashJournal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The JSON of an entry (amount and tip as decimal strings) and of an event (changes as an
// object), as the exports and `journal show` print them.
core::Json entryToJson(const JournalEntry& entry);
core::Json eventToJson(const JournalEvent& event);

} // namespace fiscpos::plugin
