// The tokens a simulated party has issued, for the parties that log clients in: each one an
// access or a refresh token, bound to whom it was issued for, expiring in simulated time; and the
// random bytes the texts of tokens (and keys) are made of.
#pragma once

#include "core/clock.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>

namespace fiscpos::sim {

// Thread-safe.
class SimTokenStore {
public:
    enum class Kind { Access, Refresh };
    enum class Check { Valid, Unknown, Expired };

    struct Token {
        Kind kind = Kind::Access;
        std::string holder; // whom it was issued for: a terminal, an account; may be empty
        core::TimePoint expiresAt;
    };
    // What a presented token is: Unknown when it was never issued (or was used up) or is of the
    // other kind, Expired from its expiry on.
    struct Found {
        Check check = Check::Unknown;
        std::string holder;
    };
    // What expireAll() changed: the access and refresh tokens it expired, and how many of them
    // were still valid.
    struct Expired {
        std::int64_t access = 0;
        std::int64_t refresh = 0;
        std::int64_t wereValid = 0;
    };

    // `count` random bytes, for the text of a new token or key.
    std::string randomBytes(std::size_t count);
    void add(const std::string& text, Token token);
    Found check(const std::string& text, Kind kind, core::TimePoint now) const;
    // As check(), and a valid token is used up: a refresh token that rotates.
    Found take(const std::string& text, Kind kind, core::TimePoint now);
    // Every access token, and every refresh token too when `refresh`, expires at `at` at the
    // latest.
    Expired expireAll(core::TimePoint at, bool refresh);
    // The tokens issued since the last clear().
    std::int64_t issued() const { return issued_.load(); }
    void clear();

private:
    Found found(const std::string& text, Kind kind, core::TimePoint now) const; // under mutex_

    mutable std::mutex mutex_;
    std::map<std::string, Token> tokens_;
    std::atomic<std::int64_t> issued_{0};
    std::mt19937_64 random_{std::random_device{}()};
};

} // namespace fiscpos::sim
