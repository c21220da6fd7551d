// Inside the cash journal: news one fiscpos process gives every other process on the same
// PostgreSQL journal (NOTIFY / LISTEN), e.g. "a webhook named reference R" so that the instance
// whose payment waits on R asks the network at once. Through libpq directly: Poco's connector
// does not hand out notifications. A SQLite journal has no such channel; news then waits for the
// next poll.
#pragma once

#include "plugin/journal/journal_db.hpp"

#include <functional>
#include <memory>
#include <string>

namespace fiscpos::plugin::journal_detail {

// Listens on one channel from construction to destruction, on a thread of its own, calling
// `receive` with each payload; the connection is opened again (after a pause) when it is lost,
// and what was notified meanwhile is lost with it.
class SignalListener {
public:
    SignalListener(const JournalLocation& location, std::string channel,
                   std::function<void(const std::string&)> receive);
    ~SignalListener();
    SignalListener(const SignalListener&) = delete;
    SignalListener& operator=(const SignalListener&) = delete;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Whether `channel` is a plain lower-case identifier (what LISTEN takes unquoted).
bool isChannelName(const std::string& channel);

} // namespace fiscpos::plugin::journal_detail
