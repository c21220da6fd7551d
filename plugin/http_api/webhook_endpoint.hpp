// The webhook endpoints of `fiscpos serve`, one per network that sends webhooks
// (network::NetworkModule::webhooks), under /webhooks/{nsp}/:
//   GET  /webhooks/{nsp}/{token}             the network's verification answer
//   POST /webhooks/{nsp}/{token}             an event
//   ...  /webhooks/{nsp}/{terminal}/{token}  the same, for the account of [terminal.NAME]
// A wrong or missing token gets the server's plain 404 and nothing else happens, so the URL does
// not give itself away.
//
// An event is a hint, never proof (it carries no signature): the POST is answered 200 at once;
// a message id seen before is acknowledged and ignored; then, off the request thread, the entry
// whose network reference the event names is found: a payment of this process waiting on it is
// woken (PaymentService::nudge) to ask the network now; otherwise status() asks the network and
// records what it says. Every event handled leaves one log line naming its message id, its event
// type and what was done. What an event says is the network's receiver's business; everything
// else here is the same for every network.
#pragma once

#include "core/json.hpp"
#include "network/network_module.hpp"
#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/payment_runtime.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

namespace fiscpos::plugin::http_api {

// The journal's channel on which an instance that received a webhook for a payment of another
// instance passes on its network reference (CashJournal::notify).
inline constexpr std::string_view kNudgeChannel = "fiscpos_nudge";

// One network's endpoint.
class WebhookEndpoint {
public:
    // Starts the threads that act on events. `token` is serve.webhook_token.
    WebhookEndpoint(PaymentRuntime& runtime, std::string nsp,
                    std::unique_ptr<network::WebhookReceiver> receiver, std::string token,
                    ServeLog& log);
    ~WebhookEndpoint();
    WebhookEndpoint(const WebhookEndpoint&) = delete;
    WebhookEndpoint& operator=(const WebhookEndpoint&) = delete;

    // `rest`: the path after /webhooks/{nsp}/.
    ServeResponse handle(const ServeRequest& request, const std::string& rest);

    // Lets the events being handled finish and drops those still queued.
    void stop();
    // Returns once no event or question is queued or under way (the fuzz target waits for it
    // between inputs, so that nothing runs across two).
    void awaitIdle();

    // received, duplicates, ignored, unreadable, woke, refreshed, busy, unknown_reference,
    // failed, queued.
    core::Json stats() const;
    // What to register with the network, for the start-up message: one line per path (the token
    // written as {webhook_token}), or why nothing can be.
    std::vector<std::string> registration() const;

private:
    struct Refresh {
        std::string entryId;
        std::string messageId;
        std::string eventType;
    };

    ServeResponse verification(const std::string& terminal);
    ServeResponse receive(const std::string& body);
    std::string describe(const network::WebhookNotice& notice) const;
    // Takes the next item (counted as under way until done() is called); false when stopping.
    template <typename Item> bool take(std::deque<Item>& queue, Item& item);
    void done();
    void dispatchLoop();
    void refreshLoop();
    void dispatch(const network::WebhookNotice& notice);
    void refresh(const Refresh& job);
    bool remember(const std::string& messageId);

    PaymentRuntime& runtime_;
    std::string nsp_;
    std::unique_ptr<network::WebhookReceiver> receiver_;
    std::string token_;
    ServeLog& log_;

    std::mutex seenMutex_;
    std::unordered_set<std::string> seen_;
    std::deque<std::string> seenOrder_;

    mutable std::mutex queueMutex_; // guards what follows
    std::condition_variable queueChanged_;
    std::deque<network::WebhookNotice> events_;
    std::deque<Refresh> refreshes_;
    std::set<std::string> refreshQueued_; // entry ids in refreshes_
    bool stopping_ = false;
    int underWay_ = 0; // items taken and not yet done

    std::atomic<std::int64_t> received_{0}, duplicates_{0}, ignored_{0}, unreadable_{0}, woke_{0},
        refreshed_{0}, busy_{0}, unknownReference_{0}, failed_{0};

    std::thread dispatcher_; // last: started once everything it uses exists
    std::thread refresher_;
};

// Every network's endpoint, for the server.
class WebhookEndpoints {
public:
    // One endpoint per registered network that sends webhooks and has a terminal configured.
    // The payments on those networks are asked about every `fallback` only (none: the adaptive
    // schedule), their webhooks waking them at once (PaymentService::expectNudges). On a
    // PostgreSQL journal it also listens for the webhooks other instances received for a payment
    // waiting here (channel kNudgeChannel) and wakes it.
    WebhookEndpoints(PaymentRuntime& runtime, const std::string& token,
                     std::chrono::milliseconds fallback, ServeLog& log);
    ~WebhookEndpoints();
    WebhookEndpoints(const WebhookEndpoints&) = delete;
    WebhookEndpoints& operator=(const WebhookEndpoints&) = delete;

    // A request under /webhooks/; the plain 404 for a network without an endpoint.
    ServeResponse handle(const ServeRequest& request);
    void stop();
    void awaitIdle();
    // The counters of every endpoint added up, and {"by_network": {nsp: counters}}.
    core::Json stats() const;
    std::vector<std::string> registration() const;

private:
    std::map<std::string, std::unique_ptr<WebhookEndpoint>> endpoints_;
    std::unique_ptr<journal_detail::SignalListener> nudges_;
};

} // namespace fiscpos::plugin::http_api
