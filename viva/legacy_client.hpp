// Viva's legacy Basic-auth API on the legacy host (demo.vivapayments.com, www.vivapayments.com),
// with the Merchant ID and API Key: the webhook verification key (contract §13.4), payment orders
// and the transactions list (contract §19).
//
// POST /api/orders is never sent twice after a failure that may have reached Viva: a
// core::TransportError with an unknown outcome (also for a 5xx or an unreadable 2xx) reaches the
// caller, who looks for the order's transactions by MerchantTrns before anything else.
#pragma once

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/money.hpp"
#include "viva/orders_records.hpp"
#include "viva/viva_settings.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace fiscpos::viva {

// Viva refused to create an order (a 4xx, or ErrorCode other than 0): nothing was created.
class OrderRefused : public core::Error {
public:
    OrderRefused(std::int64_t errorCode, const std::string& message)
        : core::Error("order_refused", message)
        , errorCode_(errorCode) {}
    std::int64_t errorCode() const noexcept { return errorCode_; }

private:
    std::int64_t errorCode_;
};

// The form of POST /api/orders.
struct OrderRequest {
    core::Money amount;                       // Amount, in cents
    std::string sourceCode;                   // SourceCode: the POS the order is for
    std::string merchantTrns;                 // MerchantTrns: "fiscpos:<reference>"
    std::string customerTrns;                 // CustomerTrns; empty: not sent
    std::chrono::seconds paymentTimeout{180}; // PaymentTimeOut
    int maxInstallments = 0;                  // MaxInstallments; 0: not sent
};

// The form body, as sent: Amount=1240&SourceCode=1234&MerchantTrns=fiscpos%3A...
std::string orderForm(const OrderRequest& request);

class LegacyClient {
public:
    // Checks legacy_url, merchant_id and api_key (ConfigError naming the setting).
    explicit LegacyClient(VivaSettings settings);

    const VivaSettings& settings() const { return settings_; }

    // GET /api/messages/config/token: the key the webhook URL answers Viva's verification with.
    std::string webhookKey(const core::HttpObserver& record = {});
    // POST /api/orders (form). OrderRefused when Viva refuses it.
    OrderCreated createOrder(const OrderRequest& request, const core::HttpObserver& record = {});
    // GET /api/transactions?ordercode=...
    std::vector<LegacyTransaction> transactionsOfOrder(const std::string& orderCode,
                                                       const core::HttpObserver& record = {});
    // GET /api/transactions?date=YYYY-MM-DD
    std::vector<LegacyTransaction> transactionsOfDay(const std::string& date,
                                                     const core::HttpObserver& record = {});

private:
    core::HttpResponse send(core::HttpRequest request, const core::HttpObserver& record);
    std::vector<LegacyTransaction> transactions(const std::string& query,
                                                const core::HttpObserver& record);
    [[noreturn]] void refusedCredentials(const core::HttpResponse& response) const;

    VivaSettings settings_;
    core::HttpClient http_;
};

} // namespace fiscpos::viva
