// Work that waits without holding a thread: a timer queue and a small fixed pool of workers that
// run what is due. The payment engine parks a payment waiting on its terminal here between two
// questions to the network, so ten thousand waiting payments cost ten thousand timers, not ten
// thousand threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace fiscpos::core {

class Scheduler {
public:
    using Task = std::function<void()>;
    using TimerId = std::uint64_t;
    using Steady = std::chrono::steady_clock;

    // `workers` threads (at least 1), named "fiscpos-work".
    explicit Scheduler(int workers);
    // Stops: the task a worker is running ends, nothing else runs; the tasks and timers not run
    // are destroyed (with whatever they own) after the workers have stopped.
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Runs `task` on a worker as soon as one is free.
    void post(Task task);
    // Runs `task` on a worker once `delay` of real time has passed.
    TimerId after(std::chrono::nanoseconds delay, Task task);
    // Runs the timer's task now instead of at its time; false when it has run already (or is
    // running).
    bool wake(TimerId timer);

    int workers() const { return static_cast<int>(threads_.size()); }
    // What waits: timers not yet due, tasks due but not started.
    std::size_t timers() const;
    std::size_t queued() const;

private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    std::deque<Task> ready_;
    // Timers by their time, then by id (the order they were made in, for equal times).
    std::map<std::pair<Steady::time_point, TimerId>, Task> timers_;
    std::unordered_map<TimerId, Steady::time_point> dueOf_;
    TimerId nextId_ = 1;
    std::vector<std::thread> threads_;
};

} // namespace fiscpos::core
