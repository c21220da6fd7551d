// Inside the cash journal: the one place that knows which database it talks to. The journal URL
// picks the connector; the schema is plain SQL (TEXT, INTEGER, BIGINT) that PostgreSQL takes as
// it is, and the few statements that differ per database are here.
#pragma once

#include <Poco/Data/Session.h>

#include <memory>
#include <string>

namespace fiscpos::plugin::journal_detail {

inline constexpr int kSchemaVersion = 1;

struct JournalLocation {
    std::string connector;        // Poco::Data connector name: "SQLite"
    std::string connectionString; // what the connector opens: the file path
};

// "sqlite:PATH" → SQLite at PATH. "postgresql://..." (or "postgres://") is a ConfigError "not
// supported yet"; anything else a ConfigError naming journal.url.
JournalLocation parseJournalUrl(const std::string& url);

// Opens the database and sets it up for durable appends: for SQLite journal_mode=WAL,
// synchronous=FULL, foreign_keys=ON and a busy timeout, so that other fiscpos processes on the
// same file wait instead of failing. Creates the schema when missing; a schema newer than this
// fiscpos knows is refused.
std::unique_ptr<Poco::Data::Session> connect(const JournalLocation& location);

// A write transaction: begun at construction (for SQLite BEGIN IMMEDIATE, so that the write lock
// is taken before the head is read), rolled back unless commit() was called.
class WriteTransaction {
public:
    explicit WriteTransaction(Poco::Data::Session& session);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    Poco::Data::Session& session_;
    bool done_ = false;
};

// The value of a PRAGMA (SQLite) as text: "wal", "2".
std::string pragmaValue(Poco::Data::Session& session, const std::string& name);

} // namespace fiscpos::plugin::journal_detail
