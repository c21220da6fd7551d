#include "plugin/journal/journal_signal.hpp"

#include "core/errors.hpp"
#include "plugin/journal/libpq_handles.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace fiscpos::plugin::journal_detail {

namespace {

constexpr int kReconnectPauseMs = 1000;

// An eventfd that wakes the listening thread when the listener goes.
class StopSignal {
public:
    StopSignal()
        : descriptor_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
        if (descriptor_ < 0) {
            throw core::Error("journal", "cannot create an event descriptor to listen with");
        }
    }
    ~StopSignal() { ::close(descriptor_); }
    StopSignal(const StopSignal&) = delete;
    StopSignal& operator=(const StopSignal&) = delete;
    void raise() const {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(descriptor_, &one, sizeof one);
    }
    int descriptor() const { return descriptor_; }

private:
    int descriptor_;
};

} // namespace

bool isChannelName(const std::string& channel) {
    return !channel.empty() && channel.size() < 64 &&
           std::all_of(channel.begin(), channel.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

struct SignalListener::State {
    std::string connectionString;
    std::string channel;
    std::function<void(const std::string&)> receive;
    StopSignal stop;
    std::atomic<bool> stopping{false};
    std::thread thread;

    // Waits for the socket (none: -1) or the stop signal; false when stopping.
    bool await(int socket, int timeoutMs) const {
        pollfd descriptors[2] = {{stop.descriptor(), POLLIN, 0}, {socket, POLLIN, 0}};
        ::poll(descriptors, socket >= 0 ? 2 : 1, timeoutMs);
        return !stopping.load();
    }

    libpq::Connection listening() const {
        libpq::Connection connection = libpq::connect(connectionString);
        if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
            return nullptr;
        }
        const libpq::Result listened(PQexec(connection.get(), ("LISTEN " + channel).c_str()));
        if (!listened || PQresultStatus(listened.get()) != PGRES_COMMAND_OK) {
            return nullptr;
        }
        return connection;
    }

    void run() {
        while (!stopping.load()) {
            libpq::Connection connection = listening();
            if (!connection) {
                if (!await(-1, kReconnectPauseMs)) {
                    return;
                }
                continue;
            }
            const int socket = PQsocket(connection.get());
            while (await(socket, -1)) {
                if (PQconsumeInput(connection.get()) == 0) {
                    break; // the connection is lost: open it again
                }
                while (libpq::Notification notify{PQnotifies(connection.get())}) {
                    try {
                        receive(notify->extra);
                    } catch (...) {
                        // The news is a hint; a receiver's failure leaves it to the next poll.
                    }
                }
            }
        }
    }
};

SignalListener::SignalListener(const JournalLocation& location, std::string channel,
                               std::function<void(const std::string&)> receive)
    : state_(std::make_unique<State>()) {
    if (!isChannelName(channel)) {
        throw core::InputError("channel", "\"" + channel + "\" is not a channel name");
    }
    state_->connectionString = location.connectionString;
    state_->channel = std::move(channel);
    state_->receive = std::move(receive);
    state_->thread = std::thread([state = state_.get()] { state->run(); });
}

SignalListener::~SignalListener() {
    state_->stopping.store(true);
    state_->stop.raise();
    state_->thread.join();
}

} // namespace fiscpos::plugin::journal_detail
