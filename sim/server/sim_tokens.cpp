#include "sim/server/sim_tokens.hpp"

#include <algorithm>
#include <utility>

namespace fiscpos::sim {

std::string SimTokenStore::randomBytes(std::size_t count) {
    std::lock_guard lock(mutex_);
    std::string bytes(count, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(random_() & 0xFFU);
    }
    return bytes;
}

void SimTokenStore::add(const std::string& text, Token token) {
    std::lock_guard lock(mutex_);
    tokens_[text] = std::move(token);
    ++issued_;
}

SimTokenStore::Found SimTokenStore::found(const std::string& text, Kind kind,
                                          core::TimePoint now) const {
    const auto it = tokens_.find(text);
    if (it == tokens_.end() || it->second.kind != kind) {
        return {};
    }
    const Token& token = it->second;
    return Found{now >= token.expiresAt ? Check::Expired : Check::Valid, token.holder};
}

SimTokenStore::Found SimTokenStore::check(const std::string& text, Kind kind,
                                          core::TimePoint now) const {
    std::lock_guard lock(mutex_);
    return found(text, kind, now);
}

SimTokenStore::Found SimTokenStore::take(const std::string& text, Kind kind, core::TimePoint now) {
    std::lock_guard lock(mutex_);
    Found result = found(text, kind, now);
    if (result.check == Check::Valid) {
        tokens_.erase(text);
    }
    return result;
}

SimTokenStore::Expired SimTokenStore::expireAll(core::TimePoint at, bool refresh) {
    std::lock_guard lock(mutex_);
    Expired expired;
    for (auto& [text, token] : tokens_) {
        if (token.kind == Kind::Refresh && !refresh) {
            continue;
        }
        ++(token.kind == Kind::Refresh ? expired.refresh : expired.access);
        if (token.expiresAt > at) {
            ++expired.wereValid;
        }
        token.expiresAt = std::min(token.expiresAt, at);
    }
    return expired;
}

void SimTokenStore::clear() {
    std::lock_guard lock(mutex_);
    tokens_.clear();
    issued_ = 0;
}

} // namespace fiscpos::sim
