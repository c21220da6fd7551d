// The references this process sent to Viva lately, each with when it was sent and what was learnt
// of it since. A reference Viva does not know (yet) means something else when it left here a
// moment ago than when it never did. Thread-safe; entries older than `rememberFor` are dropped
// whenever a new one is remembered.
#pragma once

#include "core/clock.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::viva {

template <typename Detail> class SentReferences {
public:
    struct Sent {
        core::TimePoint at;
        Detail detail{};
    };

    SentReferences(const core::Clock& clock, std::chrono::seconds rememberFor)
        : clock_(clock)
        , rememberFor_(rememberFor) {}

    // Sent now (again).
    void remember(const std::string& reference) {
        std::lock_guard lock(mutex_);
        const core::TimePoint now = clock_.now();
        std::erase_if(sent_, [&](const auto& item) { return now - item.second.at > rememberFor_; });
        sent_[reference] = Sent{now};
    }

    // What was learnt of a reference sent from here (nothing when it was forgotten meanwhile).
    void learn(const std::string& reference, Detail detail) {
        std::lock_guard lock(mutex_);
        const auto it = sent_.find(reference);
        if (it != sent_.end()) {
            it->second.detail = std::move(detail);
        }
    }

    // Nothing left this machine after all.
    void forget(const std::string& reference) {
        std::lock_guard lock(mutex_);
        sent_.erase(reference);
    }

    std::optional<Sent> find(const std::string& reference) const {
        std::lock_guard lock(mutex_);
        const auto it = sent_.find(reference);
        if (it == sent_.end()) {
            return std::nullopt;
        }
        return it->second;
    }

    // The reference as known here, or counted as sent at `now` when it is not.
    Sent findOrRemember(const std::string& reference, core::TimePoint now) {
        std::lock_guard lock(mutex_);
        return sent_.emplace(reference, Sent{now}).first->second;
    }

private:
    const core::Clock& clock_;
    const std::chrono::seconds rememberFor_;
    mutable std::mutex mutex_;
    std::map<std::string, Sent> sent_;
};

} // namespace fiscpos::viva
