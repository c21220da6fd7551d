#include "plugin/http_api/webhook_endpoint.hpp"

#include "core/errors.hpp"
#include "plugin/http_api/secret_compare.hpp"
#include "plugin/journal/journal_signal.hpp"

#include <algorithm>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t rememberedMessages = 4096;

} // namespace

WebhookEndpoint::WebhookEndpoint(PaymentRuntime& runtime, std::string nsp,
                                 std::unique_ptr<network::WebhookReceiver> receiver,
                                 std::string token, ServeLog& log)
    : runtime_(runtime)
    , nsp_(std::move(nsp))
    , receiver_(std::move(receiver))
    , token_(std::move(token))
    , log_(log) {
    dispatcher_ = std::thread([this] { dispatchLoop(); });
    refresher_ = std::thread([this] { refreshLoop(); });
}

std::string WebhookEndpoint::describe(const network::WebhookNotice& notice) const {
    return "webhook " + nsp_ + " " + printable(notice.description, 200);
}

WebhookEndpoint::~WebhookEndpoint() {
    stop();
}

void WebhookEndpoint::stop() {
    std::size_t dropped = 0;
    {
        std::lock_guard lock(queueMutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        dropped = events_.size() + refreshes_.size();
        events_.clear();
        refreshes_.clear();
        refreshQueued_.clear();
    }
    queueChanged_.notify_all();
    dispatcher_.join();
    refresher_.join();
    if (dropped > 0) {
        log_.line("webhook " + nsp_ + ": stopping; " + std::to_string(dropped) +
                  " events were not acted on (reconcile settles their entries)");
    }
}

std::vector<std::string> WebhookEndpoint::registration() const {
    std::string why;
    const auto paths = receiver_->pathsToRegister(why);
    if (paths.empty()) {
        return {"webhooks " + nsp_ + ": " + why};
    }
    std::vector<std::string> lines;
    for (const auto& path : paths) {
        lines.push_back("webhooks " + nsp_ + ": register https://<this host>/webhooks/" + nsp_ +
                        "/" + path + " with the network (behind TLS)");
    }
    return lines;
}

core::Json WebhookEndpoint::stats() const {
    std::size_t queued = 0;
    {
        std::lock_guard lock(queueMutex_);
        queued = events_.size() + refreshes_.size();
    }
    return core::Json{
        {"received", received_.load()}, {"duplicates", duplicates_.load()},
        {"ignored", ignored_.load()},   {"unreadable", unreadable_.load()},
        {"woke", woke_.load()},         {"refreshed", refreshed_.load()},
        {"busy", busy_.load()},         {"unknown_reference", unknownReference_.load()},
        {"failed", failed_.load()},     {"queued", queued}};
}

ServeResponse WebhookEndpoint::handle(const ServeRequest& request, const std::string& rest) {
    std::string terminal;
    std::string presented = rest;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        terminal = rest.substr(0, slash);
        presented = rest.substr(slash + 1);
    }
    if (presented.empty() || presented.find('/') != std::string::npos ||
        !secretEquals(presented, token_)) {
        return ServeResponse::notFound();
    }
    if (!terminal.empty() && !receiver_->serves(terminal)) {
        log_.line("webhook " + nsp_ + ": " + request.method + " for \"" + printable(terminal, 40) +
                  "\", which is not a [terminal.NAME] of this network");
        return ServeResponse::notFound();
    }
    if (request.method == "GET") {
        return verification(terminal);
    }
    if (request.method == "POST") {
        return receive(request.body);
    }
    ServeResponse answer = ServeResponse::error(405, "input", "the webhook URL takes GET and POST");
    answer.headers.emplace_back("Allow", "GET, POST");
    return answer;
}

ServeResponse WebhookEndpoint::verification(const std::string& terminal) {
    const std::string account = terminal.empty() ? std::string("the account")
                                                 : "the account of [terminal." + terminal + "]";
    try {
        core::Json answer = receiver_->verification(terminal);
        log_.line("webhook " + nsp_ + ": verification answered for " + account);
        return ServeResponse::json(200, answer);
    } catch (const core::ConfigError& e) {
        log_.line("webhook " + nsp_ + ": verification asked for, but " + e.what());
        return ServeResponse::error(503, "config", std::string("no verification key: ") + e.what());
    } catch (const core::Error& e) {
        log_.line("webhook " + nsp_ + ": could not get the verification key for " + account + ": " +
                  e.what());
        return ServeResponse::error(502, e.code(), std::string("no verification key: ") + e.what());
    }
}

bool WebhookEndpoint::remember(const std::string& messageId) {
    std::lock_guard lock(seenMutex_);
    if (!seen_.insert(messageId).second) {
        return false;
    }
    seenOrder_.push_back(messageId);
    if (seenOrder_.size() > rememberedMessages) {
        seen_.erase(seenOrder_.front());
        seenOrder_.pop_front();
    }
    return true;
}

ServeResponse WebhookEndpoint::receive(const std::string& body) {
    ++received_;
    network::WebhookNotice notice;
    try {
        notice = receiver_->read(body);
    } catch (const core::InputError& e) {
        ++unreadable_;
        log_.line("webhook " + nsp_ + ": unreadable event, refused: " + printable(e.what(), 200));
        return ServeResponse::error(400, e.code(), e.what(), e.field());
    }
    const core::Json acknowledged{{"ok", true}};
    if (!notice.payment) {
        ++ignored_;
        log_.line(describe(notice) + ": not a payment event; acknowledged and ignored");
        return ServeResponse::json(200, acknowledged);
    }
    if (!notice.messageId.empty() && !remember(notice.messageId)) {
        ++duplicates_;
        log_.line(describe(notice) + ": duplicate of a message already received; acknowledged "
                                     "and ignored");
        return ServeResponse::json(200, acknowledged);
    }
    {
        std::lock_guard lock(queueMutex_);
        if (!stopping_) {
            events_.push_back(std::move(notice));
        }
    }
    queueChanged_.notify_all();
    return ServeResponse::json(200, acknowledged);
}

template <typename Item> bool WebhookEndpoint::take(std::deque<Item>& queue, Item& item) {
    std::unique_lock lock(queueMutex_);
    queueChanged_.wait(lock, [&] { return stopping_ || !queue.empty(); });
    if (stopping_) {
        return false;
    }
    item = std::move(queue.front());
    queue.pop_front();
    ++underWay_;
    return true;
}

void WebhookEndpoint::done() {
    {
        std::lock_guard lock(queueMutex_);
        --underWay_;
    }
    queueChanged_.notify_all();
}

void WebhookEndpoint::awaitIdle() {
    std::unique_lock lock(queueMutex_);
    queueChanged_.wait(lock, [&] {
        return stopping_ || (events_.empty() && refreshes_.empty() && underWay_ == 0);
    });
}

void WebhookEndpoint::dispatchLoop() {
    network::WebhookNotice notice;
    while (take(events_, notice)) {
        try {
            dispatch(notice);
        } catch (const std::exception& e) {
            ++failed_;
            log_.line(describe(notice) + ": not acted on: " + e.what());
        }
        done();
    }
}

void WebhookEndpoint::dispatch(const network::WebhookNotice& notice) {
    if (!notice.reference) {
        ++unknownReference_;
        log_.line(describe(notice) + ": names no payment of fiscpos (" +
                  printable(notice.instead, 80) + "); acknowledged");
        return;
    }
    const std::string& reference = *notice.reference;
    const std::string head = describe(notice) + " reference " + printable(reference);
    if (runtime_.service().nudge(reference)) {
        ++woke_;
        log_.line(head + ": woke the payment waiting on it, which asks the network now");
        return;
    }
    JournalFilter filter;
    filter.networkReference = reference;
    std::optional<JournalEntry> entry;
    for (auto& candidate : runtime_.journal().list(filter)) {
        if (receiver_->serves(candidate.terminal)) {
            entry = std::move(candidate);
            break;
        }
    }
    if (!entry) {
        ++unknownReference_;
        log_.line(head + ": no journal entry has this reference; acknowledged");
        return;
    }
    bool queued = false;
    {
        std::lock_guard lock(queueMutex_);
        if (stopping_) {
            return;
        }
        if (refreshQueued_.insert(entry->id).second) {
            refreshes_.push_back(Refresh{entry->id, notice.messageId, describe(notice)});
            queued = true;
        }
    }
    if (queued) {
        queueChanged_.notify_all();
    } else {
        log_.line(head + ": entry " + entry->id +
                  " is already about to be asked about; nothing more to do");
    }
}

void WebhookEndpoint::refreshLoop() {
    Refresh job;
    while (take(refreshes_, job)) {
        {
            // From here on, news of the entry needs another question: the one below may be
            // under way already.
            std::lock_guard lock(queueMutex_);
            refreshQueued_.erase(job.entryId);
        }
        refresh(job);
        done();
    }
}

void WebhookEndpoint::refresh(const Refresh& job) {
    const std::string head = job.eventType + " entry " + job.entryId;
    try {
        const JournalEntry entry = runtime_.journal().get(job.entryId);
        const EntryState before = entry.state;
        const auto refreshed = runtime_.service().statusIfIdle(job.entryId);
        if (!refreshed) {
            // Another request holds the terminal: a payment of another instance may be waiting
            // on this very reference; tell every instance (PostgreSQL), and leave it to them.
            ++busy_;
            if (entry.networkReference) {
                runtime_.journal().notify(std::string(kNudgeChannel), *entry.networkReference);
            }
            log_.line(head + ": its terminal is busy with another request; told the other "
                             "fiscpos instances, whose payment follows the entry");
            return;
        }
        const JournalEntry& after = *refreshed;
        ++refreshed_;
        const std::string now(stateName(after.state));
        log_.line(head + ": asked the network; " +
                  (before == after.state
                       ? "still " + now
                       : std::string(stateName(before)) + " -> " + now + " recorded"));
    } catch (const std::exception& e) {
        ++failed_;
        log_.line(head + ": asking the network failed: " + e.what());
    }
}

WebhookEndpoints::WebhookEndpoints(PaymentRuntime& runtime, const std::string& token,
                                   std::chrono::milliseconds fallback, ServeLog& log) {
    const auto& networks = network::builtinNetworks();
    for (const auto& nsp : networks.names()) {
        const auto& module = *networks.find(nsp);
        if (module.webhooks) {
            endpoints_.emplace(nsp,
                               std::make_unique<WebhookEndpoint>(
                                   runtime, nsp, module.webhooks(runtime.config()), token, log));
            if (fallback.count() > 0 && runtime.hasService()) {
                runtime.service().expectNudges(nsp, fallback);
            }
        }
    }
    // A webhook another instance received for a payment waiting here.
    nudges_ = runtime.journal().listen(
        std::string(kNudgeChannel), [&runtime, &log](const std::string& reference) {
            if (runtime.service().nudge(reference)) {
                log.line("a webhook another fiscpos instance received names reference " +
                         printable(reference) + ": woke the payment waiting on it");
            }
        });
}

WebhookEndpoints::~WebhookEndpoints() = default;

ServeResponse WebhookEndpoints::handle(const ServeRequest& request) {
    constexpr std::string_view prefix = "/webhooks/";
    const std::string rest = request.path.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) {
        return ServeResponse::notFound();
    }
    const auto endpoint = endpoints_.find(rest.substr(0, slash));
    if (endpoint == endpoints_.end()) {
        return ServeResponse::notFound();
    }
    return endpoint->second->handle(request, rest.substr(slash + 1));
}

void WebhookEndpoints::awaitIdle() {
    for (auto& [nsp, endpoint] : endpoints_) {
        endpoint->awaitIdle();
    }
}

void WebhookEndpoints::stop() {
    nudges_.reset();
    for (auto& [nsp, endpoint] : endpoints_) {
        endpoint->stop();
    }
}

core::Json WebhookEndpoints::stats() const {
    core::Json total = core::Json::object();
    core::Json byNetwork = core::Json::object();
    for (const auto& [nsp, endpoint] : endpoints_) {
        const core::Json counters = endpoint->stats();
        for (const auto& [name, value] : counters.items()) {
            total[name] = total.value(name, std::int64_t{0}) + value.get<std::int64_t>();
        }
        byNetwork[nsp] = counters;
    }
    total["by_network"] = byNetwork;
    return total;
}

std::vector<std::string> WebhookEndpoints::registration() const {
    std::vector<std::string> lines;
    for (const auto& [nsp, endpoint] : endpoints_) {
        const auto more = endpoint->registration();
        lines.insert(lines.end(), more.begin(), more.end());
    }
    return lines;
}

} // namespace fiscpos::plugin::http_api
