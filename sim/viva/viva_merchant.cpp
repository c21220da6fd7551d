#include "sim/viva/viva_merchant.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_text.hpp"

#include <algorithm>
#include <set>

namespace fiscpos::sim::viva {

namespace {

using core::allDigits;
using core::Json;

// The longest the timer sleeps without looking again, in real time.
constexpr auto longestSleep = std::chrono::milliseconds(500);

std::int64_t epochSeconds(core::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void checkOptions(const MerchantOptions& o) {
    const SettingsCheck require("viva");
    require(!o.clientId.empty() && !o.clientSecret.empty(), "client_id",
            "the POS APIs credentials need a client id and a client secret");
    require(o.clientId.find(':') == std::string::npos, "client_id",
            "must not contain ':' (it travels in Basic auth)");
    require(!o.merchantId.empty() && o.merchantId.find(':') == std::string::npos &&
                !o.apiKey.empty(),
            "merchant_id", "the legacy API needs a merchant id without ':' and an API key");
    require(!o.webhookKey.empty(), "webhook_key", "must not be empty");
    require(!o.terminals.empty(), "terminals", "at least one terminal is needed");
    require(o.tokenLifetime.count() > 0, "token_lifetime", "must be above 0");
    const Timing& t = o.timing;
    for (const Millis delay : {t.reachAfter, t.completeAfter, t.pinRetryAfter, t.lateSuccessAfter,
                               t.expireAfter, t.abortAfter, t.pickupAfter}) {
        require(delay.count() >= 0, "timing", "delays must not be negative");
    }
    require(o.webhooks.retryAfter.count() > 0 && o.webhooks.maxRetries >= 0, "webhook_retry",
            "the retry delay must be above 0 and the retries not negative");
    checkWebhookUrl(o.webhooks.url, "viva.webhook_url");
    std::set<std::string> seen;
    for (const Terminal& terminal : o.terminals) {
        require(allDigits(terminal.terminalId) && allDigits(terminal.serial) &&
                    seen.insert("t" + terminal.terminalId).second &&
                    seen.insert("s" + terminal.serial).second,
                "terminals", "every terminal needs its own TID and serial, in digits");
    }
}

} // namespace

std::string TokenBook::issue(core::TimePoint now, Millis lifetime, const std::string& clientId,
                             const std::string& scope) {
    const core::TimePoint expires = now + lifetime;
    const Json claims{{"iss", "fiscpos-sim viva accounts"},
                      {"nbf", epochSeconds(now)},
                      {"iat", epochSeconds(now)},
                      {"exp", epochSeconds(expires)},
                      {"client_id", clientId},
                      {"scope", scope},
                      {"jti", core::newUuid()}};
    const std::string token =
        jwtShaped(Json{{"alg", "RS256"}, {"typ", "at+jwt"}}, claims, randomBytes(32));
    add(token, {Kind::Access, clientId, expires});
    return token;
}

Merchant::Merchant(MerchantOptions options, const SimClock& clock)
    : options_((checkOptions(options), std::move(options)))
    , clock_(clock)
    , webhooks_(clock, options_.merchantId, options_.webhooks, [this] { wake(); })
    , sessions_(
          options_.timing, clock, ledger_,
          [this](WebhookEvent event) { webhooks_.enqueue(std::move(event)); }, options_.merchantId,
          options_.sessions)
    , orders_(
          options_.timing, clock, ledger_,
          [this](WebhookEvent event) { webhooks_.enqueue(std::move(event)); }, options_.merchantId,
          options_.autoPickup)
    , timer_([this] { run(); }) {}

Merchant::~Merchant() {
    {
        std::lock_guard lock(timerMutex_);
        stopping_ = true;
    }
    timerWake_.notify_all();
    timer_.join();
}

const Terminal* Merchant::terminal(const std::string& terminalId) const {
    for (const Terminal& terminal : options_.terminals) {
        if (terminal.terminalId == terminalId) {
            return &terminal;
        }
    }
    return nullptr;
}

const Terminal* Merchant::terminalBySerial(const std::string& serial) const {
    for (const Terminal& terminal : options_.terminals) {
        if (terminal.serial == serial) {
            return &terminal;
        }
    }
    return nullptr;
}

void Merchant::wake() {
    {
        std::lock_guard lock(timerMutex_);
        woken_ = true;
    }
    timerWake_.notify_all();
}

void Merchant::reset() {
    sessions_.reset();
    orders_.reset();
    ledger_.reset();
    tokens_.clear();
    webhooks_.reset();
}

void Merchant::run() {
    std::unique_lock lock(timerMutex_);
    while (!stopping_) {
        woken_ = false;
        lock.unlock();
        const core::TimePoint now = clock_.now();
        sessions_.advance(now);
        orders_.advance(now);
        webhooks_.deliverDue(now);
        std::optional<core::TimePoint> next;
        for (const auto& candidate :
             {sessions_.nextChange(), orders_.nextChange(), webhooks_.nextDue()}) {
            if (candidate && (!next || *candidate < *next)) {
                next = candidate;
            }
        }
        auto sleep = std::chrono::duration_cast<std::chrono::nanoseconds>(longestSleep);
        if (next) {
            const auto ahead = std::chrono::ceil<std::chrono::milliseconds>(*next - clock_.now());
            sleep = std::min(sleep, clock_.realDuration(std::max(ahead, Millis(0)) + Millis(1)));
        }
        lock.lock();
        timerWake_.wait_for(lock, sleep, [this] { return stopping_ || woken_; });
    }
}

} // namespace fiscpos::sim::viva
