// The simulated Viva merchant account that the three Viva parties (/viva-accounts, /viva-api,
// /viva-legacy) share: its credentials and terminals, the access tokens issued, the ledger of card
// transactions, the Cloud Terminal sessions, the legacy orders and the webhook outbox. A timer
// thread moves sessions and orders along on simulated time even when nobody polls, so webhooks
// leave when their event happens.
#pragma once

#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_tokens.hpp"
#include "sim/viva/viva_orders.hpp"
#include "sim/viva/viva_records.hpp"
#include "sim/viva/viva_sessions.hpp"
#include "sim/viva/viva_webhooks.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fiscpos::sim::viva {

struct MerchantOptions {
    // POS APIs credentials (OAuth2 client credentials for the Cloud Terminal API).
    std::string clientId = "sim-viva-client";
    std::string clientSecret = "sim-viva-secret";
    Millis tokenLifetime{3600000}; // expires_in
    // Merchant ID + API Key (Basic auth of the legacy API) and the webhook verification key.
    std::string merchantId = "6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10";
    std::string apiKey = "sim-viva-api-key";
    std::string webhookKey = "4C1A8E2B9D3F5A7C6E0B1D2F3A4C5E6B7D8F9A0B";
    std::vector<Terminal> terminals = defaultTerminals();
    Timing timing;
    SessionSettings sessions;
    WebhookSettings webhooks;
    bool autoPickup = true; // legacy orders: F1 pressed by itself `pickupAfter` after each order
};

// Access tokens of the accounts server: JWT-shaped, for a client id and a scope. Thread-safe.
class TokenBook : public SimTokenStore {
public:
    // A token living `lifetime` from `now`.
    std::string issue(core::TimePoint now, Millis lifetime, const std::string& clientId,
                      const std::string& scope);
};

class Merchant {
public:
    // ConfigError naming "viva.<setting>" on an unusable option (no terminals, empty credentials,
    // a negative delay, a bad webhook URL).
    Merchant(MerchantOptions options, const SimClock& clock);
    ~Merchant(); // stops the timer thread
    Merchant(const Merchant&) = delete;
    Merchant& operator=(const Merchant&) = delete;

    const MerchantOptions& options() const { return options_; }
    const SimClock& clock() const { return clock_; }
    const Terminal* terminal(const std::string& terminalId) const;
    const Terminal* terminalBySerial(const std::string& serial) const;

    TokenBook& tokens() { return tokens_; }
    Ledger& ledger() { return ledger_; }
    SessionBook& sessions() { return sessions_; }
    OrderBook& orders() { return orders_; }
    Webhooks& webhooks() { return webhooks_; }

    // Something was scheduled: the timer thread looks again at once.
    void wake();
    // Forgets tokens, transactions, sessions, orders and queued webhooks and restores the
    // settings given at start; ids keep counting up.
    void reset();

private:
    void run();

    MerchantOptions options_;
    const SimClock& clock_;
    TokenBook tokens_;
    Ledger ledger_;
    Webhooks webhooks_;
    SessionBook sessions_;
    OrderBook orders_;

    std::mutex timerMutex_;
    std::condition_variable timerWake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread timer_; // last: started once everything it uses exists
};

} // namespace fiscpos::sim::viva
