// The Viva webhook endpoint of `fiscpos serve` (contract §13, §15):
//   GET  /webhooks/viva/{token}             {"Key": "<verification key>"} (Viva's Verify step)
//   POST /webhooks/viva/{token}             a payment event
//   ...  /webhooks/viva/{terminal}/{token}  the same, for the Viva account of [terminal.NAME]
// A wrong or missing token gets the server's plain 404 and nothing else happens, so the URL does
// not give itself away.
//
// The verification key is fetched once per Viva account ({legacy_url}/api/messages/config/token
// with merchant_id and api_key of a [terminal.NAME] with nsp = viva or viva-orders) and kept.
// /webhooks/viva/{token} answers with the key of the one account the configuration names; a
// configuration with several accounts registers /webhooks/viva/{terminal}/{token} in each
// account's portal instead.
//
// An event is a hint, never proof (it carries no signature): the POST is answered 200 at once;
// a MessageId seen before is acknowledged and ignored; then, off the request thread, the entry
// whose network reference the event names is found: a payment of this process waiting on it is
// woken (PaymentService::nudge) to ask the network now; otherwise status() asks the network and
// records what it says. Every event handled leaves one log line naming its MessageId, its event
// type and what was done.
#pragma once

#include "core/json.hpp"
#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/payment_runtime.hpp"
#include "viva/viva_settings.hpp"
#include "viva/webhook.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace fiscpos::plugin::http_api {

class VivaWebhookEndpoint {
public:
    // Starts the threads that act on events. `token` is serve.webhook_token.
    VivaWebhookEndpoint(PaymentRuntime& runtime, std::string token, ServeLog& log);
    ~VivaWebhookEndpoint();
    VivaWebhookEndpoint(const VivaWebhookEndpoint&) = delete;
    VivaWebhookEndpoint& operator=(const VivaWebhookEndpoint&) = delete;

    // `rest`: the path after /webhooks/viva/.
    ServeResponse handle(const ServeRequest& request, const std::string& rest);

    // Lets the events being handled finish and drops those still queued.
    void stop();

    // received, duplicates, ignored, unreadable, woke, refreshed, unknown_reference, failed,
    // queued.
    core::Json stats() const;
    // The webhook paths to register, for the start-up message, with the token written as
    // {webhook_token}.
    std::vector<std::string> pathsToRegister() const;

private:
    struct Account {
        std::string terminal; // the first [terminal.NAME] of this account
        viva::VivaSettings settings;
    };
    struct Refresh {
        std::string entryId;
        std::string messageId;
        std::string eventType;
    };

    // The account a verification GET is for; nullptr with `why` set when there is none.
    const Account* accountFor(const std::string& terminal, std::string& why) const;
    ServeResponse verificationKey(const std::string& terminal);
    ServeResponse receive(const std::string& body);
    // Waits for the next item of `queue`; false when stopping.
    template <typename Item> bool take(std::deque<Item>& queue, Item& item);
    void dispatchLoop();
    void refreshLoop();
    void dispatch(const viva::WebhookEvent& event);
    void refresh(const Refresh& job);
    bool remember(const std::string& messageId);

    PaymentRuntime& runtime_;
    std::string token_;
    ServeLog& log_;
    std::map<std::string, viva::VivaSettings> terminals_; // Viva terminals by name
    std::vector<Account> accounts_;                       // distinct legacy credentials

    std::mutex keyMutex_;                     // one fetch at a time
    std::map<std::string, std::string> keys_; // by account (legacy URL and merchant id)

    std::mutex seenMutex_;
    std::unordered_set<std::string> seen_;
    std::deque<std::string> seenOrder_;

    mutable std::mutex queueMutex_; // guards what follows
    std::condition_variable queueChanged_;
    std::deque<viva::WebhookEvent> events_;
    std::deque<Refresh> refreshes_;
    std::set<std::string> refreshQueued_; // entry ids in refreshes_
    bool stopping_ = false;

    std::atomic<std::int64_t> received_{0}, duplicates_{0}, ignored_{0}, unreadable_{0}, woke_{0},
        refreshed_{0}, unknownReference_{0}, failed_{0};

    std::thread dispatcher_; // last: started once everything it uses exists
    std::thread refresher_;
};

} // namespace fiscpos::plugin::http_api
