#include "plugin/journal/cash_journal.hpp"

#include "core/ids.hpp"
#include "plugin/journal/event_hash.hpp"
#include "plugin/journal/journal_db.hpp"
#include "plugin/journal/journal_impl.hpp"
#include "plugin/journal/journal_signal.hpp"
#include "plugin/journal/money_limits.hpp"
#include "plugin/journal/redaction.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace fiscpos::plugin {

using journal_detail::DbRow;
using journal_detail::DbValue;

namespace {

void requireText(const std::string& value, const char* field) {
    if (value.empty()) {
        throw core::InputError(field, "is empty");
    }
}

void refuseNul(const std::optional<std::string>& text, const char* field) {
    if (text && text->find('\0') != std::string::npos) {
        throw core::InputError(field, "contains a NUL character");
    }
}

void validate(const NewEntry& entry) {
    for (const auto& [text, field] : {std::pair{std::optional(entry.terminal), "terminal"},
                                      {entry.idempotencyKey, "key"},
                                      {entry.invoiceUid, "invoice.uid"},
                                      {entry.invoiceSeries, "invoice.series"},
                                      {entry.invoiceAa, "invoice.aa"},
                                      {entry.invoiceType, "invoice.type"},
                                      {entry.invoiceIssuedAt, "invoice.issued_at"}}) {
        refuseNul(text, field);
    }
    requireText(entry.terminal, "terminal");
    requireText(entry.network, "network");
    requireText(entry.tid, "tid");
    if (entry.currency.size() != 3 || !std::all_of(entry.currency.begin(), entry.currency.end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; })) {
        throw core::InputError("currency", "\"" + entry.currency +
                                               "\" is not a currency code (three capital "
                                               "letters, e.g. EUR)");
    }
    if (entry.kind != EntryKind::Void && entry.kind != EntryKind::BatchClose &&
        entry.amount.cents() <= 0) {
        throw core::InputError("amount", "must be more than 0.00");
    }
    if (entry.amount.cents() < 0) {
        throw core::InputError("amount", "must not be negative");
    }
    if (entry.tip.cents() < 0) {
        throw core::InputError("tip", "must not be negative");
    }
    if (entry.idempotencyKey &&
        (entry.idempotencyKey->empty() || entry.idempotencyKey->size() > 200)) {
        throw core::InputError("idempotency_key", "must be 1 to 200 characters");
    }
    const auto originalKind = originalKindOf(entry.kind);
    if (!originalKind && entry.originalEntry) {
        throw core::InputError("original_entry", "a " + std::string(kindName(entry.kind)) +
                                                     " does not refer to an original entry");
    }
    if (originalKind && !entry.originalEntry && entry.kind != EntryKind::Refund) {
        throw core::InputError("original_entry",
                               "a " + std::string(kindName(entry.kind)) + " needs the " +
                                   std::string(kindName(*originalKind)) + " it refers to");
    }
}

// The field in which a repeated request differs from the entry its idempotency key opened.
std::optional<std::string> differingField(const JournalEntry& existing, const NewEntry& request) {
    auto differs = [](const std::optional<std::string>& requested,
                      const std::optional<std::string>& stored) {
        return requested && requested != stored;
    };
    if (existing.kind != request.kind) {
        return "kind";
    }
    if (existing.terminal != request.terminal) {
        return "terminal";
    }
    if (existing.amount != request.amount) {
        return "amount";
    }
    if (existing.tip != request.tip) {
        return "tip";
    }
    if (existing.currency != request.currency) {
        return "currency";
    }
    if (existing.originalEntry != request.originalEntry) {
        return "original_entry";
    }
    if (differs(request.invoiceUid, existing.invoiceUid)) {
        return "invoice uid";
    }
    if (differs(request.invoiceSeries, existing.invoiceSeries) ||
        differs(request.invoiceAa, existing.invoiceAa)) {
        return "invoice series and number";
    }
    return std::nullopt;
}

std::vector<DbValue> rowValues(const DbRow& row, std::span<const journal_detail::Column> columns,
                               std::string_view skip = {}) {
    std::vector<DbValue> values;
    for (const auto& column : columns) {
        if (column.name == skip) {
            continue;
        }
        auto it = row.find(column.name);
        values.push_back(it == row.end() ? DbValue() : it->second);
    }
    return values;
}

std::string insertSql(const char* table, std::span<const journal_detail::Column> columns) {
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        marks += i == 0 ? "?" : ", ?";
    }
    return std::string("INSERT INTO ") + table + " (" + journal_detail::selectList(columns) +
           ") VALUES (" + marks + ")";
}

void insertEntry(journal_detail::Database& session, const DbRow& row) {
    journal_detail::execute(session, insertSql("cash_entries", journal_detail::entryColumns()),
                            rowValues(row, journal_detail::entryColumns()));
}

void updateEntry(journal_detail::Database& session, const DbRow& row) {
    std::string sql = "UPDATE cash_entries SET ";
    bool first = true;
    for (const auto& column : journal_detail::entryColumns()) {
        if (column.name != "id") {
            sql += (first ? "" : ", ") + std::string(column.name) + " = ?";
            first = false;
        }
    }
    sql += " WHERE id = ?";
    auto values = rowValues(row, journal_detail::entryColumns(), "id");
    values.push_back(row.at("id"));
    if (journal_detail::execute(session, sql, values) != 1) {
        throw JournalError("cash journal: entry " + std::get<std::string>(row.at("id")) +
                           " vanished while it was being updated");
    }
}

// Inserts the event (its hash computed here) and moves the head on, checking that nobody else
// moved it since it was read.
void insertEvent(journal_detail::Database& session, JournalEvent& event, std::int64_t headSeq) {
    DbRow row = journal_detail::eventToRow(event);
    event.hash = journal_detail::eventHash(row);
    row["hash"] = event.hash;
    journal_detail::execute(session, insertSql("cash_events", journal_detail::eventColumns()),
                            rowValues(row, journal_detail::eventColumns()));
    if (journal_detail::execute(
            session,
            "UPDATE journal_head SET last_seq = ?, last_hash = ? WHERE id = 1 AND last_seq = ?",
            {event.seq, event.hash, headSeq}) != 1) {
        throw JournalError("cash journal: the head moved during an append");
    }
}

EventRecord redacted(const EventRecord& record) {
    EventRecord out = record;
    auto apply = [](std::optional<std::string>& field, auto redact) {
        if (field) {
            field = redact(*field);
        }
    };
    apply(out.url, redactUrl);
    apply(out.requestHeaders, redactHeaderLines);
    const auto body = [](std::string_view text) {
        return redactBody(text);
    };
    const auto text = [](std::string_view free) {
        return redactText(free);
    };
    apply(out.requestBody, body);
    apply(out.responseBody, body);
    apply(out.transportError, text);
    apply(out.note, text);
    return out;
}

// Checks an event of `kind` with `changes` against the entry as it is and the state table;
// `cancelRequested`: the entry already has the ERP's cancel request.
void checkChanges(const JournalEntry& entry, std::string_view kind, const EntryChanges& changes,
                  bool cancelRequested) {
    if (kind == event_kind::CancelRequested) {
        if (const auto rule = brokenCancelRule(entry.state)) {
            throw MoveRefused("cash journal: entry " + entry.id + " is " +
                              std::string(stateName(entry.state)) +
                              " and takes no cancel request: " + std::string(*rule));
        }
    }
    if (changes.state) {
        if (const auto rule = brokenMoveRule(entry.state, *changes.state, cancelRequested)) {
            throw MoveRefused("cash journal: entry " + entry.id + " is " +
                              std::string(stateName(entry.state)) + " and cannot go to " +
                              std::string(stateName(*changes.state)) + ": " + std::string(*rule));
        }
    }
    if (changes.voided) {
        if (entry.kind != EntryKind::Sale || entry.state != EntryState::Approved) {
            throw JournalError("cash journal: entry " + entry.id + " is a " +
                               std::string(kindName(entry.kind)) + " in state " +
                               std::string(stateName(entry.state)) +
                               "; only an approved sale can be voided");
        }
        if (entry.voided()) {
            throw JournalError("cash journal: entry " + entry.id + " was voided already at " +
                               *entry.voidedAt);
        }
    }
    if (changes.networkReference && entry.networkReference &&
        *changes.networkReference != *entry.networkReference) {
        throw JournalError("cash journal: entry " + entry.id + " already has network reference " +
                           *entry.networkReference + "; it never changes");
    }
}

} // namespace

JournalFilter JournalFilter::openEntries(std::optional<core::TimePoint> since) {
    JournalFilter filter;
    for (EntryState state : allStates()) {
        if (isOpenState(state)) {
            filter.states.push_back(state);
        }
    }
    filter.since = since;
    return filter;
}

void CashJournal::Impl::write(const char* what, const std::function<void()>& work) {
    QueuedWrite mine{what, &work, nullptr, false};
    std::unique_lock lock(queueMutex);
    queued.push_back(&mine);
    while (!mine.done) {
        if (committing) {
            queueDone.wait(lock);
            continue;
        }
        // No commit under way: this writer commits everything queued, its own write included.
        committing = true;
        std::vector<QueuedWrite*> batch;
        batch.swap(queued);
        lock.unlock();
        commitBatch(batch);
        lock.lock();
        for (QueuedWrite* write : batch) {
            write->done = true;
        }
        writes += static_cast<std::int64_t>(batch.size());
        ++commits;
        committing = false;
        queueDone.notify_all();
    }
    lock.unlock();
    if (mine.error) {
        std::rethrow_exception(mine.error);
    }
}

void CashJournal::Impl::commitBatch(const std::vector<QueuedWrite*>& batch) {
    const auto run = [](QueuedWrite& write) {
        try {
            (*write.work)();
        } catch (const Poco::Exception& e) {
            write.error = std::make_exception_ptr(JournalError(
                std::string("cash journal: ") + write.what + " failed: " + e.displayText()));
        } catch (...) {
            write.error = std::current_exception();
        }
        return !write.error;
    };
    std::lock_guard lock(mutex);
    try {
        journal_detail::WriteTransaction transaction(*session);
        if (batch.size() == 1) {
            // Alone: no savepoint; a refused write rolls the transaction back.
            if (run(*batch.front())) {
                transaction.commit();
            }
            return;
        }
        for (QueuedWrite* write : batch) {
            journal_detail::execute(*session, "SAVEPOINT fiscpos_write");
            if (!run(*write)) {
                journal_detail::execute(*session, "ROLLBACK TO SAVEPOINT fiscpos_write");
            }
            journal_detail::execute(*session, "RELEASE SAVEPOINT fiscpos_write");
        }
        transaction.commit();
    } catch (const Poco::Exception& e) {
        failAll(batch, e.displayText());
    } catch (const std::exception& e) {
        failAll(batch, e.what());
    }
}

void CashJournal::Impl::failAll(const std::vector<QueuedWrite*>& batch, const std::string& why) {
    // The transaction itself failed (begin, a savepoint, the commit): nothing of the batch
    // stands, and every writer of it hears so.
    const auto error =
        std::make_exception_ptr(JournalError("cash journal: committing failed: " + why));
    for (QueuedWrite* write : batch) {
        write->error = write->error ? write->error : error;
    }
}

std::optional<JournalEntry> CashJournal::Impl::findWhere(const std::string& condition,
                                                         const std::vector<DbValue>& params) const {
    const auto rows = journal_detail::query(
        *session,
        "SELECT " + journal_detail::selectList(journal_detail::entryColumns()) +
            " FROM cash_entries WHERE " + condition + " ORDER BY opened_seq DESC LIMIT 1",
        params, journal_detail::entryColumns());
    if (rows.empty()) {
        return std::nullopt;
    }
    return journal_detail::entryFromRow(rows.front());
}

std::vector<JournalEntry> CashJournal::Impl::list(const JournalFilter& filter) const {
    std::string sql = "SELECT " + journal_detail::selectList(journal_detail::entryColumns()) +
                      " FROM cash_entries WHERE 1 = 1";
    std::vector<DbValue> params;
    if (!filter.states.empty()) {
        sql += " AND state IN (";
        for (std::size_t i = 0; i < filter.states.size(); ++i) {
            sql += i == 0 ? "?" : ", ?";
            params.emplace_back(std::string(stateName(filter.states[i])));
        }
        sql += ")";
    }
    if (filter.since) {
        sql += " AND created_at >= ?";
        params.emplace_back(core::utcIso8601(*filter.since));
    }
    if (filter.until) {
        sql += " AND created_at < ?";
        params.emplace_back(core::utcIso8601(*filter.until));
    }
    if (filter.terminal) {
        sql += " AND terminal = ?";
        params.emplace_back(*filter.terminal);
    }
    if (filter.kind) {
        sql += " AND kind = ?";
        params.emplace_back(std::string(kindName(*filter.kind)));
    }
    if (filter.networkReference) {
        sql += " AND network_reference = ?";
        params.emplace_back(*filter.networkReference);
    }
    if (filter.originalEntry) {
        sql += " AND original_entry = ?";
        params.emplace_back(*filter.originalEntry);
    }
    if (filter.invoiceUid) {
        sql += " AND invoice_uid = ?";
        params.emplace_back(*filter.invoiceUid);
    }
    sql += " ORDER BY opened_seq";
    if (filter.limit) {
        sql += " LIMIT " + std::to_string(*filter.limit);
    }
    std::vector<JournalEntry> entries;
    for (const auto& row :
         journal_detail::query(*session, sql, params, journal_detail::entryColumns())) {
        entries.push_back(journal_detail::entryFromRow(row));
    }
    return entries;
}

bool CashJournal::Impl::hasEvent(const std::string& entryId, std::string_view kind) const {
    static constexpr std::array<journal_detail::Column, 1> seqColumn{
        {{"seq", journal_detail::ColumnType::Integer}}};
    return !journal_detail::query(*session,
                                  "SELECT seq FROM cash_events WHERE entry_id = ? AND kind = ? "
                                  "LIMIT 1",
                                  {entryId, std::string(kind)}, seqColumn)
                .empty();
}

std::vector<JournalEvent> CashJournal::Impl::events(const std::string& entryId) const {
    std::vector<JournalEvent> events;
    for (const auto& row : journal_detail::query(
             *session,
             "SELECT " + journal_detail::selectList(journal_detail::eventColumns()) +
                 " FROM cash_events WHERE entry_id = ? ORDER BY seq",
             {entryId}, journal_detail::eventColumns())) {
        events.push_back(journal_detail::eventFromRow(row));
    }
    return events;
}

std::pair<std::int64_t, std::string> CashJournal::Impl::head() const {
    static constexpr journal_detail::Column kHead[] = {
        {"last_seq", journal_detail::ColumnType::Integer},
        {"last_hash", journal_detail::ColumnType::Text}};
    const auto rows = journal_detail::query(
        *session, "SELECT last_seq, last_hash FROM journal_head WHERE id = 1", {}, kHead);
    if (rows.empty()) {
        throw JournalError("cash journal: the head row is missing; run journal verify");
    }
    return {journal_detail::integerOf(rows.front(), "last_seq").value_or(0),
            journal_detail::textOf(rows.front(), "last_hash").value_or("")};
}

CashJournal::CashJournal(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
CashJournal::CashJournal(CashJournal&&) noexcept = default;
CashJournal& CashJournal::operator=(CashJournal&&) noexcept = default;
CashJournal::~CashJournal() = default;

CashJournal CashJournal::open(const std::string& url, const core::Clock& clock) {
    auto impl = std::make_unique<Impl>();
    impl->url = url;
    impl->clock = &clock;
    auto location = journal_detail::parseJournalUrl(url);
    impl->session = journal_detail::connect(location);
    impl->locks = std::make_unique<journal_detail::LockSpace>(location);
    impl->location = std::move(location);
    return CashJournal(std::move(impl));
}

CashJournal::Opened CashJournal::openEntry(const NewEntry& request,
                                           const std::function<void()>& admit) {
    validate(request);
    return impl_->written("opening an entry", [&] {
        auto& session = *impl_->session;
        if (request.idempotencyKey) {
            if (auto existing =
                    impl_->findWhere("idempotency_key = ?", {*request.idempotencyKey})) {
                if (auto field = differingField(*existing, request)) {
                    throw core::InputError("idempotency_key", "\"" + *request.idempotencyKey +
                                                                  "\" was used for entry " +
                                                                  existing->id +
                                                                  " with a different " + *field);
                }
                return Opened{*existing, false};
            }
        }
        if (request.originalEntry) {
            auto original = impl_->findWhere("id = ?", {*request.originalEntry});
            if (!original) {
                throw core::InputError("original_entry",
                                       "no journal entry " + *request.originalEntry);
            }
            const EntryKind expected = originalKindOf(request.kind).value_or(EntryKind::Sale);
            if (original->kind != expected) {
                throw core::InputError("original_entry", "entry " + original->id + " is a " +
                                                             std::string(kindName(original->kind)) +
                                                             ", not a " +
                                                             std::string(kindName(expected)));
            }
            checkMoneyLimits(request, &*original,
                             [this](const JournalFilter& filter) { return impl_->list(filter); });
        } else {
            checkMoneyLimits(request, nullptr,
                             [this](const JournalFilter& filter) { return impl_->list(filter); });
        }
        if (admit) {
            admit();
        }
        const auto [headSeq, headHash] = impl_->head();
        const std::string at = core::utcIso8601(impl_->clock->now());

        JournalEntry entry;
        entry.id = core::newUuid();
        entry.openedSeq = headSeq + 1;
        entry.createdAt = at;
        entry.updatedAt = at;
        entry.kind = request.kind;
        entry.terminal = request.terminal;
        entry.network = request.network;
        entry.tid = request.tid;
        entry.amount = request.amount;
        entry.tip = request.tip;
        entry.currency = request.currency;
        entry.idempotencyKey = request.idempotencyKey;
        entry.originalEntry = request.originalEntry;
        entry.state = EntryState::Signing;
        entry.invoiceUid = request.invoiceUid;
        entry.invoiceSeries = request.invoiceSeries;
        entry.invoiceAa = request.invoiceAa;
        entry.invoiceType = request.invoiceType;
        entry.invoiceIssuedAt = request.invoiceIssuedAt;
        const DbRow row = journal_detail::entryToRow(entry);

        core::Json changes = core::Json::object();
        for (const auto& [column, value] : row) {
            if (journal_detail::isDerivedEntryColumn(column) ||
                std::holds_alternative<std::monostate>(value)) {
                continue;
            }
            if (const auto* integer = std::get_if<std::int64_t>(&value)) {
                changes[column] = *integer;
            } else {
                changes[column] = std::get<std::string>(value);
            }
        }

        JournalEvent event;
        event.seq = entry.openedSeq;
        event.entryId = entry.id;
        event.at = at;
        event.toState = EntryState::Signing;
        event.record.kind = event_kind::Opened;
        if (!request.request.empty()) {
            event.record.requestBody = redactBody(request.request);
        }
        event.changes = core::dumpJson(changes);
        event.prevHash = headHash;

        insertEntry(session, row);
        insertEvent(session, event, headSeq);
        return Opened{entry, true};
    });
}

JournalEntry CashJournal::append(const std::string& entryId, const EventRecord& record,
                                 const EntryChanges& requested) {
    if (record.kind.empty()) {
        throw core::InputError("event.kind", "is empty");
    }
    if (record.kind == event_kind::Opened) {
        throw core::InputError("event.kind", "\"opened\" is written by openEntry only");
    }
    return impl_->written("appending an event", [&] {
        auto& session = *impl_->session;
        auto current = impl_->findWhere("id = ?", {entryId});
        if (!current) {
            throw core::InputError("entry", "no journal entry " + entryId);
        }
        EntryChanges changes = requested;
        if (changes.maskedPan) {
            changes.maskedPan = maskCardNumber(*changes.maskedPan);
        }
        // Only a move to SENDING needs to know of a cancel request (one indexed look-up).
        const bool cancelRequested = changes.state == EntryState::Sending &&
                                     impl_->hasEvent(current->id, event_kind::CancelRequested);
        checkChanges(*current, record.kind, changes, cancelRequested);
        if (changes.networkReference && !current->networkReference) {
            if (auto other = impl_->findWhere("network = ? AND network_reference = ?",
                                              {current->network, *changes.networkReference})) {
                throw JournalError("cash journal: network reference " + *changes.networkReference +
                                   " of " + current->network + " belongs to entry " + other->id);
            }
        }
        const auto [headSeq, headHash] = impl_->head();
        const std::string at = core::utcIso8601(impl_->clock->now());
        const core::Json changesJson = journal_detail::changesToJson(changes, at);

        JournalEvent event;
        event.seq = headSeq + 1;
        event.entryId = current->id;
        event.at = at;
        event.fromState = current->state;
        event.toState = changes.state;
        event.record = redacted(record);
        event.changes = core::dumpJson(changesJson);
        event.prevHash = headHash;

        DbRow row = journal_detail::entryToRow(*current);
        journal_detail::applyChanges(row, changesJson);
        row["updated_at"] = at;

        insertEvent(session, event, headSeq);
        updateEntry(session, row);
        return journal_detail::entryFromRow(row);
    });
}

std::optional<JournalEntry> CashJournal::find(const std::string& entryId) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("reading an entry", [&] { return impl_->findWhere("id = ?", {entryId}); });
}

JournalEntry CashJournal::get(const std::string& entryId) const {
    auto entry = find(entryId);
    if (!entry) {
        throw core::InputError("entry", "no journal entry " + entryId);
    }
    return *entry;
}

std::string CashJournal::resolveId(const std::string& typed, const std::string& field) const {
    constexpr std::size_t kShortest = 6;
    constexpr std::size_t kIdLength = 36;
    if (typed.size() < kShortest || typed.size() >= kIdLength) {
        return typed;
    }
    static constexpr journal_detail::Column kId[] = {{"id", journal_detail::ColumnType::Text}};
    std::vector<journal_detail::DbRow> rows;
    {
        std::lock_guard lock(impl_->mutex);
        rows = guarded("reading an entry", [&] {
            return journal_detail::query(*impl_->session,
                                         "SELECT id FROM cash_entries WHERE substr(id, 1, " +
                                             std::to_string(typed.size()) +
                                             ") = ? ORDER BY id LIMIT 2",
                                         {typed}, kId);
        });
    }
    if (rows.size() > 1) {
        throw core::InputError(field, "\"" + typed + "\" begins more than one entry (" +
                                          journal_detail::textOf(rows[0], "id").value_or("") +
                                          ", " +
                                          journal_detail::textOf(rows[1], "id").value_or("") +
                                          ", ...): give more of the id");
    }
    return rows.empty() ? typed : journal_detail::textOf(rows.front(), "id").value_or(typed);
}

std::optional<JournalEntry> CashJournal::findByIdempotencyKey(const std::string& key) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("reading an entry",
                   [&] { return impl_->findWhere("idempotency_key = ?", {key}); });
}

std::optional<JournalEntry>
CashJournal::findByNetworkReference(const std::string& network,
                                    const std::string& reference) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("reading an entry", [&] {
        return impl_->findWhere("network = ? AND network_reference = ?", {network, reference});
    });
}

std::vector<JournalEntry> CashJournal::list(const JournalFilter& filter) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("listing entries", [&] { return impl_->list(filter); });
}

std::vector<JournalEvent> CashJournal::events(const std::string& entryId) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("reading events", [&] { return impl_->events(entryId); });
}

VerifyReport CashJournal::verify(const std::optional<JournalAnchor>& anchor) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("verifying", [&] { return impl_->verify(anchor); });
}

JournalLock::JournalLock(journal_detail::LockSpace* space, std::string name)
    : space_(space)
    , name_(std::move(name)) {}

JournalLock::JournalLock(JournalLock&& other) noexcept
    : space_(std::exchange(other.space_, nullptr))
    , name_(std::move(other.name_)) {}

JournalLock::~JournalLock() {
    if (space_ != nullptr) {
        space_->release(name_);
    }
}

JournalLock CashJournal::lock(const std::string& name) const {
    impl_->locks->acquire(name);
    return JournalLock(impl_->locks.get(), name);
}

std::optional<JournalLock> CashJournal::tryLock(const std::string& name) const {
    if (!impl_->locks->tryAcquire(name)) {
        return std::nullopt;
    }
    return JournalLock(impl_->locks.get(), name);
}

void CashJournal::notify(const std::string& channel, const std::string& payload) const {
    if (!journal_detail::isChannelName(channel)) {
        throw core::InputError("channel", "\"" + channel + "\" is not a channel name");
    }
    if (impl_->location.dialect != journal_detail::Dialect::PostgreSQL) {
        return;
    }
    std::lock_guard lock(impl_->mutex);
    guarded("notifying", [&] {
        journal_detail::execute(*impl_->session, "SELECT pg_notify(?, ?)", {channel, payload});
    });
}

std::unique_ptr<journal_detail::SignalListener>
CashJournal::listen(const std::string& channel,
                    std::function<void(const std::string&)> receive) const {
    if (impl_->location.dialect != journal_detail::Dialect::PostgreSQL) {
        return nullptr;
    }
    return std::make_unique<journal_detail::SignalListener>(impl_->location, channel,
                                                            std::move(receive));
}

CashJournal::WriteStats CashJournal::writeStats() const {
    std::lock_guard lock(impl_->queueMutex);
    return {impl_->writes, impl_->commits};
}

std::string CashJournal::pragma(const std::string& name) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("reading a setting",
                   [&] { return journal_detail::pragmaValue(*impl_->session, name); });
}

const std::string& CashJournal::url() const {
    return impl_->url;
}

} // namespace fiscpos::plugin
