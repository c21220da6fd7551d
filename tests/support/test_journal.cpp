#include "tests/support/test_journal.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace fiscpos::test {

using namespace Poco::Data::Keywords;

namespace {

void registerConnectors() {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
}

// The port of the test server, from the file postgres_server.sh wrote.
std::string serverPort() {
    const char* dir = std::getenv("FISCPOS_TEST_POSTGRES_DIR");
    std::ifstream file(std::filesystem::path(dir) / "port");
    std::string port;
    if (!(file >> port)) {
        throw std::runtime_error(std::string("no PostgreSQL test server in ") + dir +
                                 " (the CTest fixture postgres_start starts it)");
    }
    return port;
}

std::string keywords(const std::string& database) {
    return "host=127.0.0.1 port=" + serverPort() + " user=fiscpos dbname=" + database;
}

} // namespace

bool onPostgres() {
    const char* dir = std::getenv("FISCPOS_TEST_POSTGRES_DIR");
    return dir != nullptr && *dir != '\0';
}

std::string testJournalUrl(const std::filesystem::path& dir) {
    if (!onPostgres()) {
        return "sqlite:" + (dir / "journal.db").string();
    }
    // The process id, the time and a count: a name no earlier run on a reused server took.
    static std::atomic<int> counter{0};
    const std::string database =
        "journal_" + std::to_string(getpid()) + "_" +
        std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007) +
        "_" + std::to_string(counter++);
    registerConnectors();
    Poco::Data::Session admin("PostgreSQL", keywords("postgres"));
    admin << "CREATE DATABASE " + database, now;
    return "postgresql://fiscpos@127.0.0.1:" + serverPort() + "/" + database;
}

std::unique_ptr<Poco::Data::Session> rawJournalSession(const std::string& url) {
    registerConnectors();
    if (url.starts_with("sqlite:")) {
        return std::make_unique<Poco::Data::Session>("SQLite", url.substr(7));
    }
    return std::make_unique<Poco::Data::Session>("PostgreSQL",
                                                 keywords(url.substr(url.rfind('/') + 1)));
}

void dropAppendOnlyTriggers(Poco::Data::Session& raw) {
    if (raw.connector() == "postgresql") {
        raw << "DROP TRIGGER IF EXISTS cash_events_append_only ON cash_events", now;
        return;
    }
    raw << "DROP TRIGGER IF EXISTS cash_events_no_update", now;
    raw << "DROP TRIGGER IF EXISTS cash_events_no_delete", now;
}

} // namespace fiscpos::test
