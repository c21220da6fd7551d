#include "sim/viva/viva_webhooks.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "sim/server/sim_party.hpp"
#include "sim/server/sim_text.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace fiscpos::sim::viva {

namespace {

using core::Json;

constexpr std::size_t logSize = 50;
constexpr int messageTypeId = 512;

// The client for a URL's origin and the target (path and query) to send to.
struct Endpoint {
    std::string origin;
    std::string target;
};

Endpoint endpointOf(const std::string& url) {
    const Poco::URI uri(url);
    Endpoint endpoint;
    endpoint.origin = uri.getScheme() + "://" + uri.getAuthority();
    endpoint.target = uri.getPathEtc();
    if (endpoint.target.empty()) {
        endpoint.target = "/";
    }
    return endpoint;
}

core::HttpOptions httpOptions() {
    core::HttpOptions options;
    options.connectTimeout = std::chrono::milliseconds(2000);
    options.readTimeout = std::chrono::milliseconds(5000);
    options.connectAttempts = 1;
    options.userAgent = "fiscpos-sim viva webhooks";
    return options;
}

// "2024-05-10T13:43:40.1230000Z": seven decimals, as the envelope's Created is written.
std::string created(core::TimePoint t) {
    const std::string millis = utcMillis(t);
    return millis.substr(0, millis.size() - 1) + "0000Z";
}

} // namespace

void checkWebhookUrl(const std::string& url, const std::string& setting) {
    if (url.empty()) {
        return;
    }
    try {
        const Poco::URI uri(url);
        if ((uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty()) {
            return;
        }
    } catch (const Poco::Exception&) {
        // Reported below.
    }
    throw core::ConfigError(setting, "\"" + url + "\" is not an http(s) URL with a host");
}

Webhooks::Webhooks(const core::Clock& clock, std::string merchantId, WebhookSettings settings,
                   std::function<void()> wake)
    : clock_(clock)
    , merchantId_(std::move(merchantId))
    , initialSettings_(settings)
    , wake_(std::move(wake))
    , settings_(std::move(settings)) {}

void Webhooks::enqueue(WebhookEvent event) {
    {
        std::lock_guard lock(mutex_);
        ++byEvent_[std::to_string(event.eventTypeId)];
        if (settings_.url.empty()) {
            ++withoutUrl_;
            return;
        }
        if (settings_.skip > 0) {
            --settings_.skip;
            ++skipped_;
            return;
        }
        Message message;
        message.messageId = core::newUuid();
        message.correlationId = core::newUuid();
        message.event = std::move(event);
        message.created = clock_.now();
        message.due = message.created;
        message.duplicate = settings_.duplicate;
        outbox_.push_back(std::move(message));
    }
    wake_();
}

std::optional<int> Webhooks::post(const std::string& url, const Message& message,
                                  std::string& error) {
    const Json envelope{{"Url", url},
                        {"EventData", message.event.eventData},
                        {"Created", created(message.created)},
                        {"CorrelationId", message.correlationId},
                        {"EventTypeId", message.event.eventTypeId},
                        {"Delay", nullptr},
                        {"RetryCount", message.retryCount},
                        {"RetryDelayInSeconds", nullptr},
                        {"MessageId", message.messageId},
                        {"RecipientId", merchantId_},
                        {"MessageTypeId", messageTypeId}};
    try {
        const Endpoint endpoint = endpointOf(url);
        core::HttpClient client(endpoint.origin, httpOptions(), "webhook_url");
        return client.send(core::HttpRequest::json("POST", endpoint.target, envelope)).status;
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
}

void Webhooks::deliverDue(core::TimePoint now) {
    for (;;) {
        Message message;
        std::string url;
        {
            std::lock_guard lock(mutex_);
            const auto due = std::find_if(outbox_.begin(), outbox_.end(),
                                          [now](const Message& m) { return m.due <= now; });
            if (due == outbox_.end()) {
                return;
            }
            message = std::move(*due);
            outbox_.erase(due);
            url = settings_.url;
        }
        if (url.empty()) {
            std::lock_guard lock(mutex_);
            ++withoutUrl_;
            continue;
        }
        const int copies = message.duplicate && message.retryCount == 0 ? 2 : 1;
        bool delivered = false;
        for (int copy = 0; copy < copies; ++copy) {
            std::string error;
            const std::optional<int> status = post(url, message, error);
            const bool ok = status && *status >= 200 && *status < 300;
            delivered = delivered || ok;
            std::lock_guard lock(mutex_);
            ++(ok ? sent_ : failed_);
            if (copy > 0) {
                ++duplicated_;
            }
            log_.push_back(Json{{"message_id", message.messageId},
                                {"event_type_id", message.event.eventTypeId},
                                {"retry_count", message.retryCount},
                                {"status", status ? Json(*status) : Json(nullptr)},
                                {"error", textOrNull(error)},
                                {"at", core::utcIso8601(clock_.now())}});
            if (log_.size() > logSize) {
                log_.pop_front();
            }
        }
        if (!delivered) {
            std::lock_guard lock(mutex_);
            if (message.retryCount < settings_.maxRetries) {
                ++message.retryCount;
                ++retried_;
                message.due = clock_.now() + settings_.retryAfter;
                message.duplicate = false;
                outbox_.push_back(std::move(message));
            } else {
                ++givenUp_;
            }
        }
    }
}

std::optional<core::TimePoint> Webhooks::nextDue() const {
    std::lock_guard lock(mutex_);
    std::optional<core::TimePoint> next;
    for (const Message& message : outbox_) {
        if (!next || message.due < *next) {
            next = message.due;
        }
    }
    return next;
}

WebhookSettings Webhooks::settings() const {
    std::lock_guard lock(mutex_);
    return settings_;
}

void Webhooks::setSettings(WebhookSettings settings) {
    {
        std::lock_guard lock(mutex_);
        settings_ = std::move(settings);
    }
    wake_();
}

Json Webhooks::deliveries() const {
    std::lock_guard lock(mutex_);
    return Json(std::vector<Json>(log_.begin(), log_.end()));
}

Json Webhooks::verify(const std::string& key) {
    const std::string url = settings().url;
    {
        std::lock_guard lock(mutex_);
        ++verifications_;
    }
    const auto answer = [](bool verified, const Json& status, const std::string& detail) {
        return Json{{"verified", verified}, {"status", status}, {"detail", detail}};
    };
    if (url.empty()) {
        return answer(false, nullptr, "no webhook URL is configured");
    }
    try {
        const Endpoint endpoint = endpointOf(url);
        core::HttpClient client(endpoint.origin, httpOptions(), "webhook_url");
        const core::HttpResponse response = client.send(core::HttpRequest::get(endpoint.target));
        if (response.status != 200) {
            return answer(false, response.status, "the URL must answer 200 to GET");
        }
        const Json body =
            core::parseJson(response.body, "verification answer", core::JsonOrigin::Response);
        const auto it = body.is_object() ? body.find("Key") : body.end();
        if (body.is_object() && it != body.end() && it->is_string() &&
            core::secretEquals(it->get<std::string>(), key)) {
            return answer(true, 200, "the URL answered the account's key");
        }
        return answer(false, 200, "the answer is not {\"Key\": <the account's key>}");
    } catch (const std::exception& e) {
        return answer(false, nullptr, e.what());
    }
}

void Webhooks::reset() {
    std::lock_guard lock(mutex_);
    settings_ = initialSettings_;
    outbox_.clear();
    log_.clear();
    byEvent_.clear();
    sent_ = failed_ = retried_ = givenUp_ = skipped_ = duplicated_ = withoutUrl_ = verifications_ =
        0;
}

Json Webhooks::stats() const {
    std::lock_guard lock(mutex_);
    return Json{{"webhooks_sent", sent_},
                {"webhooks_failed", failed_},
                {"webhooks_retried", retried_},
                {"webhooks_given_up", givenUp_},
                {"webhooks_skipped", skipped_},
                {"webhooks_duplicated", duplicated_},
                {"webhooks_without_url", withoutUrl_},
                {"webhooks_pending", outbox_.size()},
                {"webhooks_by_event", countsJson(byEvent_)},
                {"webhook_verifications", verifications_}};
}

} // namespace fiscpos::sim::viva
