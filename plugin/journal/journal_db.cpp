#include "plugin/journal/journal_db.hpp"

#include "core/errors.hpp"
#include "plugin/journal/event_hash.hpp"
#include "plugin/journal/journal_row.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include <filesystem>
#include <mutex>

namespace fiscpos::plugin::journal_detail {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kUrlSetting = "journal.url";
constexpr std::size_t kOpenTimeout = 10; // seconds

// The schema, version 1. Types are those PostgreSQL and SQLite share.
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS journal_schema (version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS journal_head ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " last_seq BIGINT NOT NULL,"
    " last_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cash_entries ("
    " id TEXT PRIMARY KEY,"
    " opened_seq BIGINT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " terminal TEXT NOT NULL,"
    " network TEXT NOT NULL,"
    " tid TEXT NOT NULL,"
    " amount_cents BIGINT NOT NULL,"
    " tip_cents BIGINT NOT NULL,"
    " currency TEXT NOT NULL,"
    " idempotency_key TEXT UNIQUE,"
    " original_entry TEXT REFERENCES cash_entries (id),"
    " state TEXT NOT NULL,"
    " outcome TEXT,"
    " invoice_uid TEXT,"
    " invoice_series TEXT,"
    " invoice_aa TEXT,"
    " invoice_type TEXT,"
    " invoice_issued_at TEXT,"
    " signature_id TEXT,"
    " signature_input TEXT,"
    " signature TEXT,"
    " provider_id TEXT,"
    " signature_expires_at TEXT,"
    " network_reference TEXT,"
    " network_intent_id TEXT,"
    " transaction_id TEXT,"
    " rrn TEXT,"
    " auth_code TEXT,"
    " masked_pan TEXT,"
    " card_type TEXT,"
    " voided_at TEXT)",
    "CREATE INDEX IF NOT EXISTS cash_entries_state ON cash_entries (state)",
    "CREATE INDEX IF NOT EXISTS cash_entries_created ON cash_entries (created_at)",
    "CREATE INDEX IF NOT EXISTS cash_entries_reference ON cash_entries (network, "
    "network_reference)",
    "CREATE INDEX IF NOT EXISTS cash_entries_original ON cash_entries (original_entry)",
    // The payments of one invoice, which the money rules add up when a sale is opened.
    "CREATE INDEX IF NOT EXISTS cash_entries_invoice ON cash_entries (invoice_uid)",
    "CREATE TABLE IF NOT EXISTS cash_events ("
    " seq BIGINT PRIMARY KEY,"
    " entry_id TEXT NOT NULL REFERENCES cash_entries (id),"
    " at TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " from_state TEXT,"
    " to_state TEXT,"
    " http_method TEXT,"
    " url TEXT,"
    " http_status INTEGER,"
    " duration_us BIGINT,"
    " request_headers TEXT,"
    " request_body TEXT,"
    " response_body TEXT,"
    " transport_error TEXT,"
    " note TEXT,"
    " changes TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cash_events_entry ON cash_events (entry_id, seq)",
};

// SQLite only: cash_events refuses UPDATE and DELETE, so no fiscpos code path and no casual
// edit can change it (a deliberate tamperer can drop the triggers; verify catches that).
constexpr const char* kSqliteAppendOnly[] = {
    "CREATE TRIGGER IF NOT EXISTS cash_events_no_update BEFORE UPDATE ON cash_events"
    " BEGIN SELECT RAISE(ABORT, 'cash_events is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS cash_events_no_delete BEFORE DELETE ON cash_events"
    " BEGIN SELECT RAISE(ABORT, 'cash_events is append-only'); END",
};

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

void createSchema(Poco::Data::Session& session) {
    WriteTransaction transaction(session);
    for (const char* statement : kSchema) {
        execute(session, statement);
    }
    for (const char* statement : kSqliteAppendOnly) {
        execute(session, statement);
    }
    Poco::Nullable<Poco::Int64> version;
    session << "SELECT MAX(version) FROM journal_schema", into(version), now;
    if (version.isNull()) {
        execute(session, "INSERT INTO journal_schema (version) VALUES (?)",
                {std::int64_t{kSchemaVersion}});
        execute(session, "INSERT INTO journal_head (id, last_seq, last_hash) VALUES (1, 0, ?)",
                {std::string(kGenesisHash)});
    } else if (version.value() > kSchemaVersion) {
        throw core::ConfigError(
            kUrlSetting, "the journal has schema version " + std::to_string(version.value()) +
                             ", newer than this fiscpos reads (" + std::to_string(kSchemaVersion) +
                             "); update fiscpos");
    }
    transaction.commit();
}

} // namespace

JournalLocation parseJournalUrl(const std::string& url) {
    if (url.starts_with("sqlite:")) {
        std::string path = url.substr(7);
        if (path.starts_with("//")) {
            path = path.substr(2);
        }
        if (path.empty()) {
            throw core::ConfigError(kUrlSetting, "\"" + url + "\" names no file (sqlite:PATH)");
        }
        if (path == ":memory:" || path.starts_with("file:")) {
            throw core::ConfigError(kUrlSetting, "\"" + url +
                                                     "\" is not a file; the cash journal must be "
                                                     "durable (sqlite:PATH)");
        }
        return {"SQLite", path};
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        throw core::ConfigError(kUrlSetting,
                                "PostgreSQL journals are not supported yet; use sqlite:PATH");
    }
    throw core::ConfigError(kUrlSetting, "\"" + url +
                                             "\" is not a journal URL (sqlite:PATH or "
                                             "postgresql://...)");
}

std::unique_ptr<Poco::Data::Session> connect(const JournalLocation& location) {
    registerConnectors();
    // The SQLite connector keeps trying to open a file it cannot create until its login timeout
    // runs out; a missing folder is said at once instead.
    const auto folder = std::filesystem::absolute(location.connectionString).parent_path();
    if (!std::filesystem::is_directory(folder)) {
        throw core::ConfigError(kUrlSetting, "the folder " + folder.string() +
                                                 " of the journal file does not exist");
    }
    std::unique_ptr<Poco::Data::Session> session;
    try {
        session = std::make_unique<Poco::Data::Session>(location.connector,
                                                        location.connectionString, kOpenTimeout);
        execute(*session, "PRAGMA busy_timeout = 10000");
        const std::string mode = [&] {
            std::string value;
            *session << "PRAGMA journal_mode = WAL", into(value), now;
            return value;
        }();
        if (mode != "wal") {
            throw core::ConfigError(kUrlSetting, "the journal file " + location.connectionString +
                                                     " cannot use write-ahead logging (mode \"" +
                                                     mode + "\")");
        }
        execute(*session, "PRAGMA synchronous = FULL");
        execute(*session, "PRAGMA foreign_keys = ON");
        createSchema(*session);
    } catch (const Poco::Exception& e) {
        throw core::ConfigError(kUrlSetting, "cannot open the journal " +
                                                 location.connectionString + ": " +
                                                 e.displayText());
    }
    return session;
}

WriteTransaction::WriteTransaction(Poco::Data::Session& session)
    : session_(session) {
    execute(session_, "BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
    if (!done_) {
        try {
            execute(session_, "ROLLBACK");
        } catch (...) {
            // The transaction is gone already (the connection failed); nothing was committed.
        }
    }
}

void WriteTransaction::commit() {
    execute(session_, "COMMIT");
    done_ = true;
}

std::string pragmaValue(Poco::Data::Session& session, const std::string& name) {
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
            throw core::InputError("pragma", "\"" + name + "\" is not a pragma name");
        }
    }
    std::string value;
    session << "PRAGMA " + name, into(value), now;
    return value;
}

} // namespace fiscpos::plugin::journal_detail
