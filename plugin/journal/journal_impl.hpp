// Inside the cash journal: the state behind CashJournal and the queries its parts share. The
// functions here expect the caller to hold the mutex.
#pragma once

#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_lock.hpp"
#include "plugin/journal/journal_row.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <mutex>

namespace fiscpos::plugin {

struct CashJournal::Impl {
    std::string url;
    const core::Clock* clock = nullptr;
    std::unique_ptr<Poco::Data::Session> session;
    mutable std::mutex mutex;
    std::unique_ptr<journal_detail::LockSpace> locks;
    journal_detail::JournalLocation location;

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
