// Which database the tests' journals live on. Every test binary runs on SQLite; those CTest also
// registers as "<name>_postgresql" run again on a real PostgreSQL server that the CTest fixture
// "postgres" starts (tests/support/postgres_server.sh: initdb into a temporary folder, a loopback
// port, an unprivileged user) and names in $FISCPOS_TEST_POSTGRES_DIR.
#pragma once

#include <Poco/Data/Session.h>

#include <filesystem>
#include <memory>
#include <string>

namespace fiscpos::test {

// True in the "_postgresql" runs.
bool onPostgres();
// A journal URL of its own for one test: "sqlite:<dir>/journal.db", or on PostgreSQL a fresh
// database on the test server.
std::string testJournalUrl(const std::filesystem::path& dir);
// A connection of its own to the database behind `url`, as an administrator (or a tamperer)
// would open it: for SQLite the file, for PostgreSQL the same database.
std::unique_ptr<Poco::Data::Session> rawJournalSession(const std::string& url);
// Drops the append-only triggers of cash_events through `raw`, as a tamperer would.
void dropAppendOnlyTriggers(Poco::Data::Session& raw);

} // namespace fiscpos::test
