// The HTTP server of `fiscpos serve`: one Poco HTTPServer with a pool of worker threads that
// routes each request to the ERP API (/api/...), the accountant's pages (/audit...), the Viva
// webhook endpoints (/webhooks/{nsp}/...) or GET /health, and checks the tokens:
//   /api/...  Authorization: Bearer <serve.api_token>            (open when none is set)
//   /audit... Bearer or Basic (any user) with <serve.audit_token>, or with api_token when no
//             audit_token is set (open when neither is set)
//   /webhooks/{nsp}/... the webhook token in the path
//   /health   open: {"ok": true, "version": ..., "webhooks": {...counters}}
// Anything else is 404. Every answer carries Cache-Control: no-store.
#pragma once

#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_settings.hpp"
#include "plugin/payment_runtime.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fiscpos::plugin::http_api {

class ServeServer {
public:
    // Nothing listens yet. `runtime` must be opened with its PaymentService.
    ServeServer(PaymentRuntime& runtime, ServeSettings settings, ServeLog& log);
    ~ServeServer(); // stop()
    ServeServer(const ServeServer&) = delete;
    ServeServer& operator=(const ServeServer&) = delete;

    // Binds and serves; ConfigError naming "serve.listen" when the address cannot be bound.
    void start();
    // No new connections; a request that still comes on an open connection is answered 503.
    // Requests in progress (a payment waiting for its card) go on.
    void beginStop();
    // Requests being answered now.
    int activeRequests() const;
    // Closes every connection, waits for the worker threads (a request in progress runs to its
    // end) and stops the webhook threads.
    void stop();

    // The bound port (the real one when listening on port 0); 0 before start().
    std::uint16_t port() const;
    // "http://HOST:PORT".
    std::string baseUrl() const;
    // What to register with each network that sends webhooks, one line per path (the token
    // written as {webhook_token}) or why nothing can be; empty without serve.webhook_token.
    std::vector<std::string> webhookRegistration() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace fiscpos::plugin::http_api
