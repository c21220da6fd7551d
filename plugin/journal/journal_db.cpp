#include "plugin/journal/journal_db.hpp"

#include "core/errors.hpp"
#include "core/tls_context.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/event_hash.hpp"
#include "plugin/journal/journal_row.hpp"
#include "plugin/journal/libpq_handles.hpp"

#include <Poco/URI.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <unordered_map>

namespace fiscpos::plugin::journal_detail {

namespace {

constexpr const char* kUrlSetting = "journal.url";
constexpr std::size_t kOpenTimeout = 10; // seconds
// The advisory lock every writer of a PostgreSQL journal holds for its transaction ("fiscpos" and
// the schema's number): the hash chain has one head, so appends take turns, as SQLite's do.
constexpr std::int64_t kWriteLockKey = 0x66697363706f7301;

// The schema, version 4. Types are those PostgreSQL and SQLite share.
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
    " voided_at TEXT,"
    " preload_until TEXT,"
    " autonomous_reason TEXT,"
    " network_transaction_ref TEXT)",
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

// PostgreSQL: the same refusal, as a trigger function.
constexpr const char* kPostgresAppendOnly[] = {
    "CREATE OR REPLACE FUNCTION cash_events_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $body$ BEGIN RAISE EXCEPTION 'cash_events is append-only'; END $body$",
    "CREATE OR REPLACE TRIGGER cash_events_append_only BEFORE UPDATE OR DELETE ON cash_events"
    " FOR EACH ROW EXECUTE FUNCTION cash_events_append_only()",
};

void createSchema(Database& session) {
    WriteTransaction transaction(session);
    for (const char* statement : kSchema) {
        execute(session, statement);
    }
    if (session.dialect() == Dialect::PostgreSQL) {
        for (const char* statement : kPostgresAppendOnly) {
            execute(session, statement);
        }
    } else {
        for (const char* statement : kSqliteAppendOnly) {
            execute(session, statement);
        }
    }
    static constexpr Column kVersion[] = {{"version", ColumnType::Integer}};
    const auto rows =
        query(session, "SELECT MAX(version) AS version FROM journal_schema", {}, kVersion);
    const std::optional<std::int64_t> version =
        rows.empty() ? std::nullopt : integerOf(rows.front(), "version");
    if (!version) {
        execute(session, "INSERT INTO journal_schema (version) VALUES (?)",
                {std::int64_t{kSchemaVersion}});
        execute(session, "INSERT INTO journal_head (id, last_seq, last_hash) VALUES (1, 0, ?)",
                {std::string(kGenesisHash)});
    } else if (version.value() < kSchemaVersion) {
        // The columns later versions added; the older entries have none of them.
        static constexpr std::pair<std::int64_t, const char*> kAdded[] = {
            {2, "ALTER TABLE cash_entries ADD COLUMN preload_until TEXT"},
            {3, "ALTER TABLE cash_entries ADD COLUMN autonomous_reason TEXT"},
            {4, "ALTER TABLE cash_entries ADD COLUMN network_transaction_ref TEXT"},
        };
        for (const auto& [since, statement] : kAdded) {
            if (version.value() < since) {
                execute(session, statement);
            }
        }
        execute(session, "UPDATE journal_schema SET version = ?", {std::int64_t{kSchemaVersion}});
    } else if (version.value() > kSchemaVersion) {
        throw core::ConfigError(
            kUrlSetting, "the journal has schema version " + std::to_string(version.value()) +
                             ", newer than this fiscpos reads (" + std::to_string(kSchemaVersion) +
                             "); update fiscpos");
    }
    transaction.commit();
}

// The libpq keywords a journal URL may carry as query parameters.
constexpr std::array kPostgresKeywords{"sslmode",
                                       "sslrootcert",
                                       "sslcert",
                                       "sslkey",
                                       "sslcrl",
                                       "connect_timeout",
                                       "passfile",
                                       "application_name",
                                       "keepalives",
                                       "keepalives_idle",
                                       "target_session_attrs"};

// What libpq may be given unquoted: the connector splits its keywords at spaces.
void requirePlainValue(const std::string& keyword, const std::string& value) {
    const bool plain = !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return c == ' ' || c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    });
    if (!plain) {
        throw core::ConfigError(kUrlSetting,
                                "the " + keyword +
                                    " of the PostgreSQL journal is empty or holds a space, quote, "
                                    "backslash or control character; give it through the "
                                    "environment (PGPASSWORD, PGUSER...) or a pass file instead");
    }
}

JournalLocation postgresLocationOf(const Poco::URI& uri) {
    if (uri.getHost().empty()) {
        throw core::ConfigError(kUrlSetting, "the PostgreSQL URL names no host "
                                             "(postgresql://USER@HOST:PORT/DATABASE)");
    }
    std::string database = uri.getPath();
    if (database.starts_with("/")) {
        database.erase(0, 1);
    }
    if (database.empty() || database.find('/') != std::string::npos) {
        throw core::ConfigError(kUrlSetting, "the PostgreSQL URL names no database "
                                             "(postgresql://USER@HOST:PORT/DATABASE)");
    }
    std::vector<std::pair<std::string, std::string>> keywords{{"host", uri.getHost()},
                                                              {"dbname", database}};
    if (uri.getPort() != 0) {
        keywords.emplace_back("port", std::to_string(uri.getPort()));
    }
    std::string display = uri.getScheme() + "://";
    if (const std::string userInfo = uri.getUserInfo(); !userInfo.empty()) {
        const auto colon = userInfo.find(':');
        keywords.emplace_back("user", userInfo.substr(0, colon));
        display += userInfo.substr(0, colon);
        if (colon != std::string::npos) {
            keywords.emplace_back("password", userInfo.substr(colon + 1));
            display += ":***";
        }
        display += "@";
    }
    display += uri.getAuthority().substr(uri.getAuthority().find('@') + 1) + "/" + database;
    std::string sslmode;
    bool timeout = false;
    for (const auto& [key, value] : uri.getQueryParameters()) {
        if (std::find(kPostgresKeywords.begin(), kPostgresKeywords.end(), key) ==
            kPostgresKeywords.end()) {
            throw core::ConfigError(kUrlSetting,
                                    "the PostgreSQL URL parameter \"" + key +
                                        "\" is not one fiscpos passes on (sslmode, sslrootcert, "
                                        "sslcert, sslkey, sslcrl, connect_timeout, passfile, "
                                        "application_name, keepalives, keepalives_idle, "
                                        "target_session_attrs)");
        }
        keywords.emplace_back(key, value);
        sslmode = key == "sslmode" ? value : sslmode;
        timeout = timeout || key == "connect_timeout";
    }
    // Off this machine the server proves who it is: never a TLS connection without the
    // certificate and its host name checked.
    if (!core::isLoopbackHost(uri.getHost())) {
        if (sslmode.empty()) {
            keywords.emplace_back("sslmode", "verify-full");
        } else if (sslmode != "verify-full") {
            throw core::ConfigError(
                kUrlSetting, "sslmode=" + sslmode + " does not verify the server " + uri.getHost() +
                                 "; a journal off this machine needs sslmode=verify-full "
                                 "(the default; give a CA file with sslrootcert=PATH)");
        }
    }
    if (!timeout) {
        keywords.emplace_back("connect_timeout", std::to_string(kOpenTimeout));
    }
    std::string connection;
    for (const auto& [key, value] : keywords) {
        requirePlainValue(key, value);
        connection += (connection.empty() ? "" : " ") + key + "=" + value;
    }
    return {Dialect::PostgreSQL, connection, display};
}

JournalLocation postgresLocation(const std::string& url) {
    try {
        return postgresLocationOf(Poco::URI(url));
    } catch (const Poco::Exception& e) {
        // A malformed URL, port or percent-escape; the message names the part, never a password.
        throw core::ConfigError(kUrlSetting, "the PostgreSQL URL cannot be read (" +
                                                 std::string(e.name()) + ")");
    }
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
        return {Dialect::SQLite, path, url};
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        return postgresLocation(url);
    }
    throw core::ConfigError(kUrlSetting, "\"" + url +
                                             "\" is not a journal URL (sqlite:PATH or "
                                             "postgresql://...)");
}

namespace {

// A database's message with the URL's password, should it repeat it, replaced.
std::string withoutPassword(std::string message, const JournalLocation& location) {
    const auto at = location.connectionString.find("password=");
    if (at == std::string::npos) {
        return message;
    }
    const auto begin = at + 9;
    const std::string password =
        location.connectionString.substr(begin, location.connectionString.find(' ', begin) - begin);
    for (auto found = message.find(password); found != std::string::npos;
         found = message.find(password, found)) {
        message.replace(found, password.size(), "***");
    }
    return message;
}

// SQLite through its C API: one connection, each statement prepared once
// (SQLITE_PREPARE_PERSISTENT) and kept by its text for as long as the connection lives, so that
// a payment's writes parse no SQL after the first payment. Statements beyond the first 256 kinds
// (list filters are built per query) are prepared, run and finalized each time.
class SqliteDatabase final : public Database {
public:
    explicit SqliteDatabase(const JournalLocation& location) {
        sqlite3* raw = nullptr;
        const int opened = sqlite3_open_v2(location.connectionString.c_str(), &raw,
                                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                               SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX,
                                           nullptr);
        connection_.reset(raw); // closed also when opening failed
        if (opened != SQLITE_OK) {
            throw JournalError("cash journal: cannot open " + location.connectionString + ": " +
                               (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(opened)));
        }
    }

    Dialect dialect() const override { return Dialect::SQLite; }

    std::size_t execute(const std::string& sql, const std::vector<DbValue>& params) override {
        Run run(*this, sql, params);
        while (run.step()) {
        }
        return static_cast<std::size_t>(sqlite3_changes64(connection_.get()));
    }

    std::vector<DbRow> query(const std::string& sql, const std::vector<DbValue>& params,
                             std::span<const Column> columns) override {
        Run run(*this, sql, params);
        sqlite3_stmt* statement = run.statement();
        if (sqlite3_column_count(statement) < static_cast<int>(columns.size())) {
            throw JournalError("cash journal: a query gave fewer columns than asked for");
        }
        std::vector<DbRow> rows;
        while (run.step()) {
            DbRow row;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const int field = static_cast<int>(i);
                const std::string name(columns[i].name);
                const int type = sqlite3_column_type(statement, field);
                if (type == SQLITE_NULL) {
                    row[name] = DbValue();
                } else if (columns[i].type == ColumnType::Integer && type == SQLITE_INTEGER) {
                    row[name] = static_cast<std::int64_t>(sqlite3_column_int64(statement, field));
                } else {
                    const auto* text =
                        reinterpret_cast<const char*>(sqlite3_column_text(statement, field));
                    const auto length =
                        static_cast<std::size_t>(sqlite3_column_bytes(statement, field));
                    std::string value(text != nullptr ? text : "", text != nullptr ? length : 0);
                    if (columns[i].type == ColumnType::Integer) {
                        std::int64_t number = 0;
                        const auto [end, error] =
                            std::from_chars(value.data(), value.data() + value.size(), number);
                        if (error != std::errc() || end != value.data() + value.size()) {
                            throw JournalError("cash journal: column " + name +
                                               " is not an integer");
                        }
                        row[name] = number;
                    } else {
                        row[name] = std::move(value);
                    }
                }
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    struct CloseConnection {
        void operator()(sqlite3* connection) const noexcept { sqlite3_close_v2(connection); }
    };
    struct FinalizeStatement {
        void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
    };
    using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;
    static constexpr std::size_t kMostKept = 256;

    [[noreturn]] void fail(const std::string& what) const {
        throw JournalError("cash journal: the database refused " + what + ": " +
                           sqlite3_errmsg(connection_.get()));
    }

    // One run of a statement: prepared (or taken from the kept ones), its parameters bound;
    // reset and unbound when it ends, however it ends.
    class Run {
    public:
        Run(SqliteDatabase& database, const std::string& sql, const std::vector<DbValue>& params)
            : database_(database) {
            const auto kept = database.kept_.find(sql);
            if (kept != database.kept_.end()) {
                statement_ = kept->second.get();
            } else {
                sqlite3_stmt* raw = nullptr;
                const bool keep = database.kept_.size() < kMostKept;
                const int prepared = sqlite3_prepare_v3(
                    database.connection_.get(), sql.c_str(), static_cast<int>(sql.size()),
                    keep ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
                Statement owned(raw);
                if (prepared != SQLITE_OK || raw == nullptr) {
                    database.fail("a statement");
                }
                statement_ = raw;
                if (keep) {
                    database.kept_.emplace(sql, std::move(owned));
                } else {
                    once_ = std::move(owned);
                }
            }
            for (std::size_t i = 0; i < params.size(); ++i) {
                const int index = static_cast<int>(i) + 1;
                int bound = SQLITE_OK;
                if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
                    bound = sqlite3_bind_int64(statement_, index, *integer);
                } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                    // The caller's strings outlive the run.
                    bound = sqlite3_bind_text64(statement_, index, text->data(), text->size(),
                                                SQLITE_STATIC, SQLITE_UTF8);
                } else {
                    bound = sqlite3_bind_null(statement_, index);
                }
                if (bound != SQLITE_OK) {
                    reset();
                    database.fail("a parameter");
                }
            }
        }
        ~Run() { reset(); }
        Run(const Run&) = delete;
        Run& operator=(const Run&) = delete;

        sqlite3_stmt* statement() const { return statement_; }
        // True while there is a row to read; false when the statement is done.
        bool step() {
            const int stepped = sqlite3_step(statement_);
            if (stepped == SQLITE_ROW) {
                return true;
            }
            if (stepped != SQLITE_DONE) {
                database_.fail("a statement");
            }
            return false;
        }

    private:
        void reset() noexcept {
            sqlite3_reset(statement_);
            sqlite3_clear_bindings(statement_);
        }
        SqliteDatabase& database_;
        sqlite3_stmt* statement_ = nullptr;
        Statement once_; // a statement that is not kept
    };

    std::unique_ptr<sqlite3, CloseConnection> connection_;
    std::unordered_map<std::string, Statement> kept_; // by SQL text
};

// PostgreSQL through libpq: each statement one round trip, its parameters sent as text (the
// server infers their types from where they stand); a statement with parameters is prepared on
// the connection the first time and run as prepared after.
class PostgresDatabase final : public Database {
public:
    explicit PostgresDatabase(libpq::Connection connection)
        : connection_(std::move(connection)) {}

    Dialect dialect() const override { return Dialect::PostgreSQL; }

    std::size_t execute(const std::string& sql, const std::vector<DbValue>& params) override {
        const libpq::Result result = run(sql, params);
        const char* changed = PQcmdTuples(result.get());
        std::size_t count = 0;
        std::from_chars(changed, changed + std::strlen(changed), count);
        return count;
    }

    std::vector<DbRow> query(const std::string& sql, const std::vector<DbValue>& params,
                             std::span<const Column> columns) override {
        const libpq::Result result = run(sql, params);
        const int rowCount = PQntuples(result.get());
        if (PQnfields(result.get()) < static_cast<int>(columns.size())) {
            throw JournalError("cash journal: a query gave fewer columns than asked for");
        }
        std::vector<DbRow> rows;
        rows.reserve(static_cast<std::size_t>(rowCount));
        for (int r = 0; r < rowCount; ++r) {
            DbRow row;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const int field = static_cast<int>(i);
                const std::string name(columns[i].name);
                if (PQgetisnull(result.get(), r, field) != 0) {
                    row[name] = DbValue();
                    continue;
                }
                const char* text = PQgetvalue(result.get(), r, field);
                const std::size_t length =
                    static_cast<std::size_t>(PQgetlength(result.get(), r, field));
                if (columns[i].type == ColumnType::Integer) {
                    std::int64_t value = 0;
                    const auto [end, error] = std::from_chars(text, text + length, value);
                    if (error != std::errc() || end != text + length) {
                        throw JournalError("cash journal: column " + name + " is not an integer");
                    }
                    row[name] = value;
                } else {
                    row[name] = std::string(text, length);
                }
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    libpq::Result run(const std::string& sql, const std::vector<DbValue>& params) {
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
                texts[i] = std::to_string(*integer);
                values[i] = texts[i].c_str();
            } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                values[i] = text->c_str();
            }
        }
        const std::string numbered = numberedPlaceholders(sql);
        const std::string* name = params.empty() ? nullptr : prepared(numbered, params.size());
        libpq::Result result(
            name != nullptr
                ? PQexecPrepared(connection_.get(), name->c_str(), static_cast<int>(params.size()),
                                 values.data(), nullptr, nullptr, 0)
                : PQexecParams(connection_.get(), numbered.c_str(), static_cast<int>(params.size()),
                               nullptr, values.data(), nullptr, nullptr, 0));
        const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            throw JournalError("cash journal: the database refused a statement: " +
                               (result ? libpq::oneLine(PQresultErrorMessage(result.get()))
                                       : libpq::errorOf(connection_.get())));
        }
        return result;
    }

    // The name of the server-side prepared statement of `sql`, prepared on first use, so that
    // the server parses and plans each of the journal's statements once per connection; nullptr
    // (run it unprepared) once kMostPrepared are kept or when preparing fails.
    const std::string* prepared(const std::string& sql, std::size_t parameters) {
        static constexpr std::size_t kMostPrepared = 256;
        if (const auto it = prepared_.find(sql); it != prepared_.end()) {
            return &it->second;
        }
        if (prepared_.size() >= kMostPrepared) {
            return nullptr;
        }
        std::string name = "fiscpos_" + std::to_string(prepared_.size());
        const libpq::Result done(PQprepare(connection_.get(), name.c_str(), sql.c_str(),
                                           static_cast<int>(parameters), nullptr));
        if (!done || PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
            return nullptr; // PQexecParams says why, if the statement itself is wrong
        }
        return &prepared_.emplace(sql, std::move(name)).first->second;
    }

    libpq::Connection connection_;
    std::map<std::string, std::string> prepared_; // numbered SQL → prepared statement name
};

std::unique_ptr<Database> openSqlite(const JournalLocation& location) {
    // The SQLite connector keeps trying to open a file it cannot create until its login timeout
    // runs out; a missing folder is said at once instead.
    const auto folder = std::filesystem::absolute(location.connectionString).parent_path();
    if (!std::filesystem::is_directory(folder)) {
        throw core::ConfigError(kUrlSetting, "the folder " + folder.string() +
                                                 " of the journal file does not exist");
    }
    auto database = std::make_unique<SqliteDatabase>(location);
    execute(*database, "PRAGMA busy_timeout = 10000");
    static constexpr Column kMode[] = {{"journal_mode", ColumnType::Text}};
    const auto rows = query(*database, "PRAGMA journal_mode = WAL", {}, kMode);
    const std::string mode = rows.empty() ? "" : textOf(rows.front(), "journal_mode").value_or("");
    if (mode != "wal") {
        throw core::ConfigError(kUrlSetting, "the journal file " + location.connectionString +
                                                 " cannot use write-ahead logging (mode \"" + mode +
                                                 "\")");
    }
    execute(*database, "PRAGMA synchronous = FULL");
    execute(*database, "PRAGMA foreign_keys = ON");
    return database;
}

std::unique_ptr<Database> openPostgres(const JournalLocation& location) {
    libpq::Connection connection = libpq::connect(location.connectionString);
    if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
        throw core::ConfigError(kUrlSetting,
                                "cannot open the journal " + location.display + ": " +
                                    withoutPassword(libpq::errorOf(connection.get()), location));
    }
    auto database = std::make_unique<PostgresDatabase>(std::move(connection));
    // A commit returns once it is on the server's disk (the default; a server configured
    // otherwise does not weaken the journal).
    execute(*database, "SET synchronous_commit = on");
    execute(*database, "SET client_min_messages = warning");
    return database;
}

} // namespace

std::unique_ptr<Database> connect(const JournalLocation& location) {
    std::unique_ptr<Database> database;
    try {
        database =
            location.dialect == Dialect::PostgreSQL ? openPostgres(location) : openSqlite(location);
        createSchema(*database);
    } catch (const Poco::Exception& e) {
        throw core::ConfigError(kUrlSetting, "cannot open the journal " + location.display + ": " +
                                                 withoutPassword(e.displayText(), location));
    } catch (const core::ConfigError&) {
        throw;
    } catch (const core::Error& e) {
        throw core::ConfigError(kUrlSetting, "cannot open the journal " + location.display + ": " +
                                                 withoutPassword(e.what(), location));
    }
    return database;
}

WriteTransaction::WriteTransaction(Database& database)
    : database_(database) {
    if (database_.dialect() == Dialect::PostgreSQL) {
        execute(database_, "BEGIN");
        try {
            execute(database_, "SELECT pg_advisory_xact_lock(?)", {kWriteLockKey});
        } catch (...) {
            execute(database_, "ROLLBACK");
            throw;
        }
    } else {
        execute(database_, "BEGIN IMMEDIATE");
    }
}

WriteTransaction::~WriteTransaction() {
    if (!done_) {
        try {
            execute(database_, "ROLLBACK");
        } catch (...) {
            // The transaction is gone already (the connection failed); nothing was committed.
        }
    }
}

void WriteTransaction::commit() {
    execute(database_, "COMMIT");
    done_ = true;
}

std::string pragmaValue(Database& database, const std::string& name) {
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
            throw core::InputError("pragma", "\"" + name + "\" is not a pragma name");
        }
    }
    static constexpr Column kValue[] = {{"value", ColumnType::Text}};
    const auto rows =
        query(database, (database.dialect() == Dialect::PostgreSQL ? "SHOW " : "PRAGMA ") + name,
              {}, kValue);
    return rows.empty() ? "" : textOf(rows.front(), "value").value_or("");
}

std::string numberedPlaceholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    bool quoted = false;
    int number = 0;
    for (char c : sql) {
        if (c == '\'') {
            quoted = !quoted;
        }
        if (c == '?' && !quoted) {
            out += "$" + std::to_string(++number);
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace fiscpos::plugin::journal_detail
