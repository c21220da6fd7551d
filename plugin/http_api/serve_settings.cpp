#include "plugin/http_api/serve_settings.hpp"

#include "core/errors.hpp"

#include <Poco/Net/IPAddress.h>

#include <algorithm>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t minimumTokenLength = 16;

std::optional<std::string> token(const core::Config& config, const std::string& key) {
    const std::string setting = "serve." + key;
    auto value = config.get(setting);
    if (!value || value->empty()) {
        return std::nullopt;
    }
    if (value->size() < minimumTokenLength) {
        throw core::ConfigError(setting, "is shorter than " + std::to_string(minimumTokenLength) +
                                             " characters: too easy to guess");
    }
    const bool printable = std::all_of(value->begin(), value->end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (!printable) {
        throw core::ConfigError(setting, "must be printable ASCII without blanks");
    }
    return value;
}

bool urlSafe(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

} // namespace

std::string ListenAddress::url() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool ListenAddress::loopback() const {
    if (host == "localhost") {
        return true;
    }
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

ListenAddress parseListenAddress(const std::string& text, const std::string& setting) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        throw core::ConfigError(setting, "\"" + text + "\" is not HOST:PORT");
    }
    std::string host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            throw core::ConfigError(setting, "\"" + text + "\" is not [IPv6]:PORT");
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        throw core::ConfigError(setting, "write an IPv6 address in brackets: [" + host + "]:PORT");
    }
    const std::string port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
        throw core::ConfigError(setting, "port \"" + port + "\" is not a number from 0 to 65535");
    }
    return ListenAddress{host == "localhost" ? "127.0.0.1" : host,
                         static_cast<std::uint16_t>(std::stoul(port))};
}

ServeSettings serveSettings(const core::Config& config,
                            const std::optional<std::string>& listenOverride) {
    ServeSettings settings;
    if (listenOverride) {
        settings.listen = parseListenAddress(*listenOverride, "--listen");
    } else if (const auto listen = config.get("serve.listen"); listen && !listen->empty()) {
        settings.listen = parseListenAddress(*listen, "serve.listen");
    }
    settings.apiToken = token(config, "api_token");
    settings.auditToken = token(config, "audit_token");
    settings.webhookToken = token(config, "webhook_token");
    if (settings.webhookToken && !urlSafe(*settings.webhookToken)) {
        throw core::ConfigError("serve.webhook_token",
                                "may hold only letters, digits, '-' and '_' (it is part of the "
                                "webhook URL's path)");
    }
    settings.webhookFallbackSeconds =
        config.getInt("serve.webhook_fallback_seconds", settings.webhookFallbackSeconds, 0, 60);
    settings.threads = config.getInt("serve.threads", settings.threads, 2, 256);
    settings.connectionsPerClient =
        config.getInt("serve.connections_per_client", settings.connectionsPerClient, 1, 4096);
    if (!settings.listen.loopback() && !settings.apiToken) {
        throw core::ConfigError(
            "serve.api_token", "is required when fiscpos serve listens on " + settings.listen.host +
                                   ", which is not a loopback address: anyone who reaches it "
                                   "could take payments");
    }
    return settings;
}

} // namespace fiscpos::plugin::http_api
