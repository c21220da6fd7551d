// Inside the cash journal: the state behind CashJournal and the queries its parts share. The
// functions here expect the caller to hold the mutex.
#pragma once

#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_lock.hpp"
#include "plugin/journal/journal_row.hpp"

#include <Poco/Exception.h>

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace fiscpos::plugin {

struct CashJournal::Impl {
    std::string url;
    const core::Clock* clock = nullptr;
    std::unique_ptr<journal_detail::Database> session;
    mutable std::mutex mutex;
    std::unique_ptr<journal_detail::LockSpace> locks;
    journal_detail::JournalLocation location;

    // Group commit. A write (opening an entry, appending an event) is queued; the first writer to
    // find no commit under way takes every write queued so far and runs them in one transaction,
    // each in a savepoint of its own (a refused write is rolled back alone), then commits once:
    // one durable commit for many payments' events. Every writer returns only after the commit
    // that holds its write, so each step is still durable before the caller's next remote call.
    struct QueuedWrite {
        const char* what;
        const std::function<void()>* work;
        std::exception_ptr error;
        bool done = false;
    };
    std::mutex queueMutex;
    std::condition_variable queueDone;
    std::vector<QueuedWrite*> queued;
    bool committing = false;
    std::int64_t writes = 0;  // under queueMutex
    std::int64_t commits = 0; // under queueMutex
    // Runs `work` in a write transaction shared with the writes queued beside it; returns when
    // it is committed, or throws what `work` threw (a database failure as a JournalError naming
    // `what`).
    void write(const char* what, const std::function<void()>& work);
    void commitBatch(const std::vector<QueuedWrite*>& batch);
    static void failAll(const std::vector<QueuedWrite*>& batch, const std::string& why);
    template <class Body> auto written(const char* what, Body&& body) {
        std::optional<decltype(body())> result;
        write(what, [&] { result.emplace(body()); });
        return std::move(*result);
    }

    std::optional<JournalEntry> findWhere(const std::string& condition,
                                          const std::vector<journal_detail::DbValue>& params) const;
    std::vector<JournalEntry> list(const JournalFilter& filter) const;
    std::vector<JournalEvent> events(const std::string& entryId) const;
    // Whether the entry has an event of `kind`.
    bool hasEvent(const std::string& entryId, std::string_view kind) const;
    std::pair<std::int64_t, std::string> head() const;
    VerifyReport verify(const std::optional<JournalAnchor>& anchor) const;
};

// Runs a journal operation; a database failure becomes a JournalError naming the operation.
template <class Operation> auto guarded(const char* what, Operation&& operation) {
    try {
        return operation();
    } catch (const Poco::Exception& e) {
        throw JournalError(std::string("cash journal: ") + what + " failed: " + e.displayText());
    }
}

} // namespace fiscpos::plugin
