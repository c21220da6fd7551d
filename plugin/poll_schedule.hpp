// How often the PaymentService asks the network about a payment on its terminal: quickly at first,
// when a tap usually completes, then less often, until a deadline after which the payment is
// IN_DOUBT (never charged again before it is settled).
#pragma once

#include <chrono>
#include <optional>

namespace fiscpos::plugin {

class PollSchedule {
public:
    explicit PollSchedule(std::chrono::milliseconds deadline = std::chrono::minutes(4));

    // The wait before the next question, given how long the payment has waited so far; nullopt
    // when the deadline has passed. 250 ms for the first 5 s, 500 ms to 20 s, 1 s to 60 s, then
    // 2 s, never beyond the deadline.
    std::optional<std::chrono::milliseconds> nextWait(std::chrono::milliseconds waited) const;
    std::chrono::milliseconds deadline() const { return deadline_; }

private:
    std::chrono::milliseconds deadline_;
};

} // namespace fiscpos::plugin
