// core::Scheduler: timers run in the order of their times on a few workers, a woken timer runs
// at once, tasks run side by side, and what never ran is destroyed when the scheduler stops.
#include "core/scheduler.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

using fiscpos::core::Scheduler;
using namespace std::chrono_literals;

namespace {

// What ran, in order, for waiting on it.
struct Ran {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<int> order;

    void add(int n) {
        std::lock_guard lock(mutex);
        order.push_back(n);
        changed.notify_all();
    }
    bool await(std::size_t n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 30s, [&] { return order.size() >= n; });
    }
    std::vector<int> seen() {
        std::lock_guard lock(mutex);
        return order;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(scheduler)

BOOST_AUTO_TEST_CASE(timers_run_in_the_order_of_their_times) {
    Ran ran;
    Scheduler scheduler(1);
    scheduler.after(60ms, [&] { ran.add(3); });
    scheduler.after(20ms, [&] { ran.add(1); });
    scheduler.after(40ms, [&] { ran.add(2); });
    scheduler.post([&] { ran.add(0); });
    BOOST_TEST_REQUIRE(ran.await(4));
    BOOST_TEST(ran.seen() == (std::vector<int>{0, 1, 2, 3}));
    BOOST_TEST(scheduler.timers() == 0u);
}

BOOST_AUTO_TEST_CASE(a_woken_timer_runs_at_once_and_only_once) {
    Ran ran;
    Scheduler scheduler(2);
    const auto late = scheduler.after(std::chrono::hours(1), [&] { ran.add(1); });
    BOOST_TEST(scheduler.timers() == 1u);
    BOOST_TEST(scheduler.wake(late));
    BOOST_TEST_REQUIRE(ran.await(1));
    BOOST_TEST(!scheduler.wake(late));  // it has run
    BOOST_TEST(!scheduler.wake(12345)); // never made
    BOOST_TEST(ran.seen() == std::vector<int>{1});
}

// Two workers run two tasks at once: each waits for the other to have started.
BOOST_AUTO_TEST_CASE(workers_run_tasks_side_by_side) {
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    std::atomic<int> together{0};
    {
        Scheduler scheduler(2);
        BOOST_TEST(scheduler.workers() == 2);
        for (int i = 0; i < 2; ++i) {
            scheduler.post([&] {
                std::unique_lock lock(mutex);
                ++started;
                changed.notify_all();
                if (changed.wait_for(lock, 30s, [&] { return started == 2; })) {
                    ++together;
                }
            });
        }
        std::unique_lock lock(mutex);
        BOOST_TEST(changed.wait_for(lock, 30s, [&] { return started == 2; }));
    } // the workers end their tasks, then stop
    BOOST_TEST(together == 2);
}

// A task that throws ends alone; the worker goes on with the next.
BOOST_AUTO_TEST_CASE(a_throwing_task_ends_alone) {
    Ran ran;
    Scheduler scheduler(1);
    scheduler.post([] { throw std::runtime_error("a task's own failure"); });
    scheduler.post([&] { ran.add(7); });
    BOOST_TEST_REQUIRE(ran.await(1));
    BOOST_TEST(ran.seen() == std::vector<int>{7});
}

// Stopping destroys what was never run, with what it owns.
BOOST_AUTO_TEST_CASE(stopping_drops_what_never_ran) {
    auto owned = std::make_shared<int>(5);
    std::weak_ptr<int> watch = owned;
    std::atomic<bool> ran{false};
    {
        Scheduler scheduler(1);
        scheduler.after(std::chrono::hours(1), [owned, &ran] { ran = true; });
        owned.reset();
        BOOST_TEST(!watch.expired());
    }
    BOOST_TEST(watch.expired());
    BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_SUITE_END()
