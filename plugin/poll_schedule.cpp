#include "plugin/poll_schedule.hpp"

#include <algorithm>

namespace fiscpos::plugin {

using namespace std::chrono_literals;

PollSchedule::PollSchedule(std::chrono::milliseconds deadline)
    : deadline_(deadline) {}

std::optional<std::chrono::milliseconds>
PollSchedule::nextWait(std::chrono::milliseconds waited) const {
    if (waited >= deadline_) {
        return std::nullopt;
    }
    std::chrono::milliseconds wait = 2000ms;
    if (waited < 5s) {
        wait = 250ms;
    } else if (waited < 20s) {
        wait = 500ms;
    } else if (waited < 60s) {
        wait = 1000ms;
    }
    return std::min(wait, deadline_ - waited);
}

} // namespace fiscpos::plugin
