// Inside the cash journal: locks every fiscpos process and instance on one journal shares, by name
// ("terminal:M1", "receipt:<entry>"). In one process a name is held by one thread at a time;
// across processes:
//   - beside a SQLite file, an open file description lock (F_OFD_SETLKW) on one byte of
//     `<file>.locks`, chosen by the name's 63-bit hash;
//   - on PostgreSQL, a session-level advisory lock on that hash, on a connection of its own
//     (pg_try_advisory_lock, tried again with a growing pause while another instance holds it).
// Either way the operating system or the server lets go when the process dies, so a lock found
// free means that nobody is working on what it names.
#pragma once

#include "plugin/journal/journal_db.hpp"

#include <memory>
#include <string>

namespace fiscpos::plugin::journal_detail {

class LockSpace {
public:
    explicit LockSpace(JournalLocation location);
    ~LockSpace();
    LockSpace(const LockSpace&) = delete;
    LockSpace& operator=(const LockSpace&) = delete;

    // Waits for the name; false only from tryAcquire when another thread or process holds it.
    void acquire(const std::string& name);
    bool tryAcquire(const std::string& name);
    void release(const std::string& name) noexcept;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// FNV-1a, 64 bits with the top bit cleared: the same number in every process and build.
std::int64_t lockKey(const std::string& name);

} // namespace fiscpos::plugin::journal_detail
