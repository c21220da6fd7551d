// The webhook deliveries of the simulated Viva merchant account (contract §13). Every payment
// event (1796, 1797, 1798, and the ECR session events 1802 / 1803) becomes a message with its own
// MessageId, POSTed as the envelope {Url, EventData, Created, CorrelationId, EventTypeId, Delay,
// RetryCount, RetryDelayInSeconds, MessageId, RecipientId, MessageTypeId} to the configured URL.
// An answer other than 2xx (or none) is retried `retryAfter` later (an hour by default, as Viva
// does) with the same MessageId and RetryCount + 1, up to `maxRetries` times.
//
// Scenario switches: `duplicate` delivers every message twice (the same MessageId), `skip` N drops
// the next N messages (never delivered, never retried): the missing webhook an ERP must survive.
// Without a URL, events are counted and dropped.
#pragma once

#include "sim/viva/viva_records.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::sim::viva {

struct WebhookSettings {
    std::string url; // http(s)://host[:port]/path?query; empty: no deliveries
    bool duplicate = false;
    std::int64_t skip = 0;
    Millis retryAfter{3600000};
    int maxRetries = 23;
};

// ConfigError naming `setting` for a URL that is neither empty nor http(s) with a host.
void checkWebhookUrl(const std::string& url, const std::string& setting);

// The outbox and its deliveries. Thread-safe; deliverDue() is called by one thread at a time.
class Webhooks {
public:
    // `wake` is called when a message is queued, so the delivering thread looks at once.
    Webhooks(const core::Clock& clock, std::string merchantId, WebhookSettings settings,
             std::function<void()> wake);

    void enqueue(WebhookEvent event);
    // POSTs every message due by `now`, outside the lock.
    void deliverDue(core::TimePoint now);
    std::optional<core::TimePoint> nextDue() const;

    WebhookSettings settings() const;
    void setSettings(WebhookSettings settings);
    // The last deliveries: {message_id, event_type_id, retry_count, status, error, at}.
    core::Json deliveries() const;
    // Viva's Verify step: GET the URL, which must answer 200 {"Key": key}. Returns {"verified",
    // "status", "detail"}.
    core::Json verify(const std::string& key);

    void reset();
    // webhooks_sent, webhooks_failed, webhooks_retried, webhooks_given_up, webhooks_skipped,
    // webhooks_duplicated, webhooks_without_url, webhooks_pending, webhooks_by_event,
    // webhook_verifications
    core::Json stats() const;

private:
    struct Message {
        std::string messageId, correlationId;
        WebhookEvent event;
        core::TimePoint created, due;
        int retryCount = 0;
        bool duplicate = false;
    };

    // One POST; the status, or nullopt with `error` set when no answer came.
    std::optional<int> post(const std::string& url, const Message& message, std::string& error);

    const core::Clock& clock_;
    std::string merchantId_;
    const WebhookSettings initialSettings_;
    std::function<void()> wake_;

    mutable std::mutex mutex_; // guards what follows
    WebhookSettings settings_;
    std::deque<Message> outbox_;
    std::deque<core::Json> log_;
    std::map<std::string, std::int64_t> byEvent_;
    std::int64_t sent_ = 0, failed_ = 0, retried_ = 0, givenUp_ = 0, skipped_ = 0, duplicated_ = 0,
                 withoutUrl_ = 0, verifications_ = 0;
};

} // namespace fiscpos::sim::viva
