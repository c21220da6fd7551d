// How often the PaymentService asks the network about a payment on its terminal: quickly at first,
// when a tap usually completes, then less often, until a deadline after which the payment is
// IN_DOUBT (never charged again before it is settled).
#pragma once

#include <chrono>
#include <optional>

namespace fiscpos::plugin {

class PollSchedule {
public:
    // The adaptive schedule (see nextWait).
    explicit PollSchedule(std::chrono::milliseconds deadline = std::chrono::minutes(4));
    // The same wait every time, up to the deadline: what a plain integration does (a question
    // every 5 s, say). fiscpos-bench compares it with the adaptive schedule.
    static PollSchedule every(std::chrono::milliseconds interval,
                              std::chrono::milliseconds deadline = std::chrono::minutes(4));

    // The wait before the next question, given how long the payment has waited so far; nullopt
    // when the deadline has passed. Adaptive: 250 ms for the first 5 s, 500 ms to 20 s, 1 s to
    // 60 s, then 2 s; fixed: the interval. Never beyond the deadline.
    std::optional<std::chrono::milliseconds> nextWait(std::chrono::milliseconds waited) const;
    std::chrono::milliseconds deadline() const { return deadline_; }
    // The fixed interval; nullopt for the adaptive schedule.
    std::optional<std::chrono::milliseconds> interval() const { return interval_; }

private:
    std::chrono::milliseconds deadline_;
    std::optional<std::chrono::milliseconds> interval_;
};

} // namespace fiscpos::plugin
