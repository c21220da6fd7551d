#include "plugin/poll_schedule.hpp"

#include <algorithm>

namespace fiscpos::plugin {

using namespace std::chrono_literals;

PollSchedule::PollSchedule(std::chrono::milliseconds deadline)
    : deadline_(deadline) {}

PollSchedule PollSchedule::every(std::chrono::milliseconds interval,
                                 std::chrono::milliseconds deadline) {
    PollSchedule schedule(deadline);
    schedule.interval_ = std::max(interval, std::chrono::milliseconds(1));
    return schedule;
}

std::optional<std::chrono::milliseconds>
PollSchedule::nextWait(std::chrono::milliseconds waited) const {
    if (waited >= deadline_) {
        return std::nullopt;
    }
    std::chrono::milliseconds wait = 2000ms;
    if (interval_) {
        wait = *interval_;
    } else if (waited < 5s) {
        wait = 250ms;
    } else if (waited < 20s) {
        wait = 500ms;
    } else if (waited < 60s) {
        wait = 1000ms;
    }
    return std::min(wait, deadline_ - waited);
}

} // namespace fiscpos::plugin
