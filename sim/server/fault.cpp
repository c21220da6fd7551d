#include "sim/server/fault.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"

#include <Poco/String.h>

#include <algorithm>
#include <utility>

namespace fiscpos::sim {

namespace {

constexpr auto kindNames = core::nameTable<FaultKind>({{FaultKind::Status, "status"},
                                                       {FaultKind::Delay, "delay"},
                                                       {FaultKind::Malformed, "malformed"},
                                                       {FaultKind::DropBefore, "drop_before"},
                                                       {FaultKind::DropAfter, "drop_after"},
                                                       {FaultKind::CloseAfter, "close_after"}});

constexpr std::int64_t maxDelayMs = 24LL * 3600 * 1000;

} // namespace

std::string_view faultKindName(FaultKind kind) {
    return kindNames.name(kind);
}

bool FaultRule::matches(std::string_view requestMethod, std::string_view requestPath) const {
    if (!method.empty() && Poco::icompare(method, std::string(requestMethod)) != 0) {
        return false;
    }
    return requestPath.substr(0, path.size()) == path;
}

core::Json FaultRule::toJson() const {
    core::Json json{{"id", id},
                    {"method", method.empty() ? core::Json(nullptr) : core::Json(method)},
                    {"path", path},
                    {"kind", std::string(faultKindName(kind))},
                    {"count", count}};
    if (kind == FaultKind::Status) {
        json["status"] = status;
        if (body) {
            json["body"] = *body;
        }
    }
    if (kind == FaultKind::Delay) {
        json["delay_ms"] = delay.count();
    }
    if (kind == FaultKind::Status || kind == FaultKind::Malformed) {
        json["apply"] = apply;
    }
    return json;
}

FaultRule FaultRule::fromJson(const core::Json& body) {
    const core::JsonFields fields(body, "fault", core::JsonOrigin::Input);
    FaultRule rule;

    const auto kind = kindNames.find(fields.requireString("kind"));
    if (!kind) {
        fields.fail("kind", "must be one of " + kindNames.list());
    }
    rule.kind = *kind;

    rule.path = fields.requireString("path");
    if (rule.path.empty() || rule.path.front() != '/') {
        fields.fail("path", "must be a path starting with '/'");
    }
    if (rule.path.rfind("/_sim", 0) == 0) {
        fields.fail("path", "the simulator's control endpoints take no faults");
    }
    rule.method = Poco::toUpper(fields.optionalString("method").value_or(""));

    if (const auto count = fields.optionalInteger("count")) {
        if (*count < 1 || *count > 1000000) {
            fields.fail("count", "must be between 1 and 1000000");
        }
        rule.count = static_cast<int>(*count);
    }
    if (rule.kind == FaultKind::Status) {
        const auto status = fields.optionalInteger("status").value_or(503);
        if (status < 100 || status > 599) {
            fields.fail("status", "must be an HTTP status between 100 and 599");
        }
        rule.status = static_cast<int>(status);
        if (fields.has("body") && !fields.isNull("body")) {
            rule.body = fields.require("body");
        }
    } else if (fields.has("body")) {
        fields.fail("body", "only status faults take it");
    }
    if (rule.kind == FaultKind::Delay) {
        const auto delayMs = fields.requireInteger("delay_ms");
        if (delayMs < 0 || delayMs > maxDelayMs) {
            fields.fail("delay_ms", "must be between 0 and 86400000 (simulated milliseconds)");
        }
        rule.delay = std::chrono::milliseconds(delayMs);
    }
    if (fields.has("apply") && !fields.isNull("apply")) {
        rule.apply = fields.requireBool("apply");
        if (rule.apply && rule.kind != FaultKind::Status && rule.kind != FaultKind::Malformed) {
            fields.fail("apply", "only status and malformed faults take it");
        }
    }
    return rule;
}

FaultRule FaultBook::add(FaultRule rule) {
    std::lock_guard lock(mutex_);
    rule.id = nextId_++;
    rules_.push_back(rule);
    return rule;
}

std::optional<FaultRule> FaultBook::take(std::string_view method, std::string_view path) {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(rules_.begin(), rules_.end(),
                                 [&](const FaultRule& rule) { return rule.matches(method, path); });
    if (it == rules_.end()) {
        return std::nullopt;
    }
    FaultRule used = *it;
    if (--it->count <= 0) {
        rules_.erase(it);
    }
    ++applied_;
    return used;
}

std::vector<FaultRule> FaultBook::list() const {
    std::lock_guard lock(mutex_);
    return rules_;
}

std::size_t FaultBook::clear() {
    std::lock_guard lock(mutex_);
    const std::size_t cleared = rules_.size();
    rules_.clear();
    return cleared;
}

std::int64_t FaultBook::applied() const {
    std::lock_guard lock(mutex_);
    return applied_;
}

void FaultBook::resetCounters() {
    std::lock_guard lock(mutex_);
    applied_ = 0;
}

} // namespace fiscpos::sim
