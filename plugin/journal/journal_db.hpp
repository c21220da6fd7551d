// Inside the cash journal: the one place that knows which database it talks to. The journal URL
// picks the back end — SQLite through its C API, PostgreSQL through libpq (one round trip per
// statement), each statement prepared once per connection — and the schema is plain SQL (TEXT,
// INTEGER, BIGINT) both take; the few statements that differ per database are here. Statements
// are written with `?` placeholders, numbered $1, $2... for PostgreSQL.
#pragma once

#include "plugin/journal/journal_row.hpp"

#include <memory>
#include <string>

namespace fiscpos::plugin::journal_detail {

inline constexpr int kSchemaVersion = 4;

struct JournalLocation {
    Dialect dialect = Dialect::SQLite;
    std::string connectionString; // what the back end opens: the file path, libpq keywords
    std::string display;          // the URL for messages, any password replaced by "***"
};

// "sqlite:PATH" → SQLite at PATH.
// "postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?KEY=VALUE&...]" (or "postgres://") →
// PostgreSQL, with libpq's connection keywords as query parameters (sslmode, sslrootcert,
// connect_timeout, application_name, passfile...). The password is better left to PGPASSWORD or
// a pass file than written in the URL. Off a loopback host the server's certificate is always
// verified: sslmode defaults to verify-full, and a weaker one is refused. Anything else is a
// ConfigError naming journal.url.
JournalLocation parseJournalUrl(const std::string& url);

// Opens the database and sets it up for durable appends — for SQLite journal_mode=WAL,
// synchronous=FULL, foreign_keys=ON and a busy timeout, so that other fiscpos processes on the
// same file wait instead of failing; for PostgreSQL synchronous_commit=on. Creates the schema when
// missing (instances starting together on one PostgreSQL database create it once); a schema newer
// than this fiscpos knows is refused.
std::unique_ptr<Database> connect(const JournalLocation& location);

// A write transaction: begun at construction, rolled back unless commit() was called. Writers of
// one journal take turns from the start, before anything is read: SQLite's BEGIN IMMEDIATE, and
// on PostgreSQL a transaction-scoped advisory lock every fiscpos instance on the database takes.
class WriteTransaction {
public:
    explicit WriteTransaction(Database& database);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    Database& database_;
    bool done_ = false;
};

// The value of a PRAGMA (SQLite) as text: "wal", "2". On PostgreSQL the value of a setting
// (SHOW): "on".
std::string pragmaValue(Database& database, const std::string& name);

// `sql` with its `?` placeholders numbered $1, $2, ... (outside quoted text), as PostgreSQL
// wants them.
std::string numberedPlaceholders(const std::string& sql);

} // namespace fiscpos::plugin::journal_detail
