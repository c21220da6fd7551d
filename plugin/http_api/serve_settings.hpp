// The [serve] section of the configuration: where `fiscpos serve` listens and the secrets its
// endpoints take.
//
//   listen        = 127.0.0.1:8080   HOST:PORT or [IPv6]:PORT; port 0 picks a free one
//   api_token     = ...              bearer token of the ERP API (/api/...); required when the
//                                    host is not a loopback address
//   audit_token   = ...              bearer (or Basic password) of the audit pages; the api_token
//                                    when not set
//   webhook_token = ...              the secret path segment of the webhook URLs
//                                    (/webhooks/{nsp}/{token}); no webhook endpoint without it
//   webhook_fallback_seconds = 5     with the webhook endpoint: how often a payment on a network
//                                    that sends webhooks is asked about anyway, in case its
//                                    webhook is lost (1..60); 0 keeps the adaptive schedule
//   threads       = 8                requests served at once (a payment holds one while it waits)
//   connections_per_client = 16      connections one client address may hold at once (1..4096)
//
// Every error is a ConfigError naming the setting ("serve.api_token").
#pragma once

#include "core/config.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fiscpos::plugin::http_api {

struct ListenAddress {
    std::string host; // without the brackets of an IPv6 address
    std::uint16_t port = 0;

    // "http://HOST:PORT", brackets around an IPv6 host.
    std::string url() const;
    bool loopback() const;
};

// "HOST:PORT" or "[IPv6]:PORT"; ConfigError naming `setting` otherwise.
ListenAddress parseListenAddress(const std::string& text, const std::string& setting);

struct ServeSettings {
    ListenAddress listen{"127.0.0.1", 8080};
    std::optional<std::string> apiToken;
    std::optional<std::string> auditToken; // the api_token when not set
    std::optional<std::string> webhookToken;
    int webhookFallbackSeconds = 5;
    int threads = 8;
    // The connections one client address may hold at once (behind a reverse proxy every
    // connection comes from the proxy's address).
    int connectionsPerClient = 16;
};

// Reads [serve]; `listenOverride` (the --listen option) replaces serve.listen. Refuses a
// non-loopback address without api_token, and tokens too short to be secret (16 characters at
// least; the webhook token only of letters, digits, '-' and '_' since it travels in a URL path).
ServeSettings serveSettings(const core::Config& config,
                            const std::optional<std::string>& listenOverride = std::nullopt);

} // namespace fiscpos::plugin::http_api
