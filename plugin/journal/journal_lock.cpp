#include "plugin/journal/journal_lock.hpp"

#include "core/errors.hpp"
#include "plugin/journal/journal_row.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace fiscpos::plugin::journal_detail {

namespace {

constexpr auto kFirstPause = std::chrono::milliseconds(5);
constexpr auto kLongestPause = std::chrono::milliseconds(200);

} // namespace

std::int64_t lockKey(const std::string& name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) {
        hash = (hash ^ c) * 0x100000001b3ULL;
    }
    return static_cast<std::int64_t>(hash & 0x7fffffffffffffffULL);
}

struct LockSpace::State {
    JournalLocation location;
    std::mutex mutex;
    std::condition_variable released;
    // The names this process holds, with the descriptor of each (SQLite) or -1.
    std::map<std::string, int> held;
    // PostgreSQL: the connection the locks are on, opened at the first lock.
    std::unique_ptr<journal_detail::Database> session;
    std::mutex sessionMutex;

    // Lets other threads of this process have the name.
    void forget(const std::string& name) {
        std::lock_guard lock(mutex);
        held.erase(name);
        released.notify_all();
    }

    // With the name reserved in this process: takes it across processes, keeping its descriptor;
    // false (the reservation given up) when another process holds it and `wait` is false.
    bool claim(const std::string& name, bool wait) {
        int descriptor = -1;
        bool taken = false;
        try {
            taken = acrossProcesses(name, wait, descriptor);
        } catch (...) {
            forget(name);
            throw;
        }
        if (!taken) {
            forget(name);
            return false;
        }
        std::lock_guard lock(mutex);
        held[name] = descriptor;
        return true;
    }

    // Takes the name across processes; false when another process holds it and `wait` is false.
    bool acrossProcesses(const std::string& name, bool wait, int& descriptor) {
        if (location.dialect == Dialect::SQLite) {
            return fileLock(name, wait, descriptor);
        }
        for (auto pause = kFirstPause;; pause = std::min(pause * 2, kLongestPause)) {
            if (advisoryLock(name)) {
                return true;
            }
            if (!wait) {
                return false;
            }
            std::this_thread::sleep_for(pause);
        }
    }

    bool fileLock(const std::string& name, bool wait, int& descriptor) {
        const std::string path = location.connectionString + ".locks";
        descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (descriptor < 0) {
            throw core::Error("journal", "cannot open the lock file " + path);
        }
        struct flock range {};
        range.l_type = F_WRLCK;
        range.l_whence = SEEK_SET;
        range.l_start = static_cast<off_t>(lockKey(name) % (std::int64_t{1} << 40));
        range.l_len = 1;
        int locked = -1;
        do {
            locked = ::fcntl(descriptor, wait ? F_OFD_SETLKW : F_OFD_SETLK, &range);
        } while (locked != 0 && errno == EINTR);
        if (locked == 0) {
            return true;
        }
        const int error = errno;
        ::close(descriptor);
        descriptor = -1;
        if (!wait && (error == EAGAIN || error == EACCES)) {
            return false;
        }
        throw core::Error("journal", "cannot lock " + path);
    }

    bool advisoryLock(const std::string& name) {
        std::lock_guard lock(sessionMutex);
        try {
            if (!session) {
                session = connect(location);
            }
            static constexpr Column kTaken[] = {{"taken", ColumnType::Text}};
            const auto rows = query(*session, "SELECT pg_try_advisory_lock(?)::text AS taken",
                                    {lockKey(name)}, kTaken);
            return !rows.empty() && textOf(rows.front(), "taken") == "true";
        } catch (const core::Error& e) {
            session.reset();
            throw core::Error("journal", "cannot take the lock " + name + " on the journal " +
                                             location.display + ": " + e.what());
        }
    }

    void advisoryUnlock(const std::string& name) noexcept {
        std::lock_guard lock(sessionMutex);
        try {
            if (session) {
                execute(*session, "SELECT pg_advisory_unlock(?)", {lockKey(name)});
            }
        } catch (...) {
            // The connection is gone, and the server let go of its locks with it.
            session.reset();
        }
    }
};

LockSpace::LockSpace(JournalLocation location)
    : state_(std::make_unique<State>()) {
    state_->location = std::move(location);
}

LockSpace::~LockSpace() = default;

void LockSpace::acquire(const std::string& name) {
    {
        std::unique_lock lock(state_->mutex);
        state_->released.wait(lock, [&] { return !state_->held.contains(name); });
        state_->held.emplace(name, -1);
    }
    state_->claim(name, true);
}

bool LockSpace::tryAcquire(const std::string& name) {
    {
        std::lock_guard lock(state_->mutex);
        if (!state_->held.emplace(name, -1).second) {
            return false;
        }
    }
    return state_->claim(name, false);
}

void LockSpace::release(const std::string& name) noexcept {
    int descriptor = -1;
    {
        std::lock_guard lock(state_->mutex);
        auto it = state_->held.find(name);
        if (it == state_->held.end()) {
            return;
        }
        descriptor = it->second;
    }
    if (descriptor >= 0) {
        ::close(descriptor); // lets go of the byte
    } else if (state_->location.dialect == Dialect::PostgreSQL) {
        state_->advisoryUnlock(name);
    }
    state_->forget(name);
}

} // namespace fiscpos::plugin::journal_detail
