#include "core/scheduler.hpp"

#include <algorithm>

#include <pthread.h>

namespace fiscpos::core {

Scheduler::Scheduler(int workers) {
    const int count = std::max(1, workers);
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        threads_.emplace_back([this] { work(); });
        pthread_setname_np(threads_.back().native_handle(), "fiscpos-work");
    }
}

Scheduler::~Scheduler() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
    // What was never run goes now, outside the lock: a task may own a payment whose destructor
    // asks nothing of the scheduler, but it may take other locks.
    std::deque<Task> ready;
    std::map<std::pair<Steady::time_point, TimerId>, Task> timers;
    {
        std::lock_guard lock(mutex_);
        ready.swap(ready_);
        timers.swap(timers_);
        dueOf_.clear();
    }
}

void Scheduler::post(Task task) {
    {
        std::lock_guard lock(mutex_);
        ready_.push_back(std::move(task));
    }
    changed_.notify_one();
}

Scheduler::TimerId Scheduler::after(std::chrono::nanoseconds delay, Task task) {
    const auto due = Steady::now() + std::max(delay, std::chrono::nanoseconds(0));
    TimerId id = 0;
    {
        std::lock_guard lock(mutex_);
        id = nextId_++;
        timers_.emplace(std::pair(due, id), std::move(task));
        dueOf_.emplace(id, due);
    }
    changed_.notify_one();
    return id;
}

bool Scheduler::wake(TimerId timer) {
    {
        std::lock_guard lock(mutex_);
        const auto it = dueOf_.find(timer);
        if (it == dueOf_.end()) {
            return false;
        }
        auto node = timers_.extract(std::pair(it->second, timer));
        dueOf_.erase(it);
        ready_.push_back(std::move(node.mapped()));
    }
    changed_.notify_one();
    return true;
}

std::size_t Scheduler::timers() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
}

std::size_t Scheduler::queued() const {
    std::lock_guard lock(mutex_);
    return ready_.size();
}

void Scheduler::work() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        // Timers that are due join the ready tasks in the order of their times.
        const auto now = Steady::now();
        while (!timers_.empty() && timers_.begin()->first.first <= now) {
            auto node = timers_.extract(timers_.begin());
            dueOf_.erase(node.key().second);
            ready_.push_back(std::move(node.mapped()));
        }
        if (!ready_.empty()) {
            Task task = std::move(ready_.front());
            ready_.pop_front();
            if (!ready_.empty()) {
                changed_.notify_one(); // another worker may take the next one
            }
            lock.unlock();
            try {
                task();
            } catch (...) {
                // A task settles its own errors; one that escapes ends only that task.
            }
            task = nullptr; // what it owned goes before the lock is taken again
            lock.lock();
            continue;
        }
        if (timers_.empty()) {
            changed_.wait(lock);
        } else {
            // A copy: another worker may take the timer (and free its node) while this waits.
            const Steady::time_point due = timers_.begin()->first.first;
            changed_.wait_until(lock, due);
        }
    }
}

} // namespace fiscpos::core
