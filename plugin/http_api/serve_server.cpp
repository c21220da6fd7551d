#include "plugin/http_api/serve_server.hpp"

#include "core/errors.hpp"
#include "core/http_server.hpp"
#include "plugin/http_api/audit_pages.hpp"
#include "plugin/http_api/erp_api.hpp"
#include "plugin/http_api/openapi_document.hpp"
#include "plugin/http_api/secret_compare.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/http_api/sms_report_endpoint.hpp"
#include "plugin/http_api/webhook_endpoint.hpp"

#include <algorithm>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t maxBodyBytes = 1024 * 1024;
// One client (an address) holds at most [serve] connections_per_client connections at once; more
// are answered 503 and closed at once, so that idle or slow connections from one place cannot take
// every thread. Threads beyond the configured ones: room for the connections of one client at its
// limit (up to 16) and for /health and the other clients still.
int spareThreads(int connectionsPerClient) {
    return std::min(connectionsPerClient, 16) + 4;
}
// How long a connection may take to send a request's head and body, and stay idle between
// requests, before it is closed.
constexpr int requestSeconds = 10;
constexpr int keepAliveSeconds = 5;

// The token in "Bearer <token>", or the password in "Basic base64(user:password)" when `basic`
// is allowed; empty when the request has neither.
std::string presentedToken(const ServeRequest& request, bool basic) {
    std::string token = request.bearerToken();
    if (!token.empty() || !basic) {
        return token;
    }
    const auto credentials = request.basicCredentials();
    return credentials ? credentials->second : std::string();
}

bool authorized(const ServeRequest& request, const std::optional<std::string>& token, bool basic) {
    if (!token) {
        return true;
    }
    const std::string presented = presentedToken(request, basic);
    return !presented.empty() && secretEquals(presented, *token);
}

ServeResponse apiUnauthorized() {
    ServeResponse answer = ServeResponse::error(
        401, "unauthorized", "Authorization: Bearer <serve.api_token> is missing or wrong");
    answer.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"fiscpos\"");
    answer.headers.emplace_back("X-Fiscpos-Status", "1");
    return answer;
}

ServeResponse auditUnauthorized() {
    ServeResponse answer = ServeResponse::html(
        401, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>fiscpos audit</title>"
             "</head><body><p lang=\"el\">Οι σελίδες ελέγχου ζητούν το audit token (ως κωδικό).</p>"
             "<p lang=\"en\">The audit pages need the audit token (as the password).</p>"
             "</body></html>\n");
    answer.headers.emplace_back("WWW-Authenticate",
                                "Basic realm=\"fiscpos audit\", charset=\"UTF-8\"");
    return answer;
}

// Every answer of fiscpos serve: never cached, never sniffed, and a page runs nothing.
core::ServerAnswer secured(ServeResponse answer) {
    std::vector<std::pair<std::string, std::string>> headers{{"Cache-Control", "no-store"},
                                                             {"X-Content-Type-Options", "nosniff"}};
    if (answer.contentType.starts_with("text/html")) {
        headers.emplace_back("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    }
    headers.insert(headers.end(), answer.headers.begin(), answer.headers.end());
    answer.headers = std::move(headers);
    return answer;
}

} // namespace

struct ServeServer::Impl {
    Impl(PaymentRuntime& r, ServeSettings s, ServeLog& l)
        : runtime(r)
        , settings(std::move(s))
        , log(l)
        , api(runtime, log)
        , audit(runtime.journal(), runtime.config().sections("terminal"), runtime.language()) {
        if (settings.webhookToken) {
            webhooks = std::make_unique<WebhookEndpoints>(
                runtime, *settings.webhookToken,
                std::chrono::seconds(settings.webhookFallbackSeconds), log);
            if (!runtime.config().sections("sms").empty()) {
                smsReports =
                    std::make_unique<SmsReportEndpoint>(runtime, *settings.webhookToken, log);
            }
        }
        http.route("", "/", [this](const core::ServerRequest& request) {
            return secured(route(ServeRequest{request}));
        });
    }

    PaymentRuntime& runtime;
    ServeSettings settings;
    ServeLog& log;
    ErpApi api;
    AuditPages audit;
    std::unique_ptr<WebhookEndpoints> webhooks;
    std::unique_ptr<SmsReportEndpoint> smsReports; // with [sms] and a webhook token

    core::HttpServer http{httpOptions()}; // last: its threads use everything above

    core::HttpServerOptions httpOptions() {
        core::HttpServerOptions o;
        o.host = settings.listen.host;
        o.port = settings.listen.port;
        o.maxThreads = settings.threads + spareThreads(settings.connectionsPerClient);
        o.maxBodyBytes = maxBodyBytes;
        o.requestTimeout = std::chrono::seconds(requestSeconds);
        o.keepAliveTimeout = std::chrono::seconds(keepAliveSeconds);
        o.maxConnectionsPerClient = settings.connectionsPerClient;
        o.softwareVersion = std::string("fiscpos/") + FISCPOS_VERSION;
        o.listenSetting = "serve.listen";
        o.problemAnswer = [this](core::ServerProblem problem, const std::string& detail) {
            return secured(problemAnswer(problem, detail));
        };
        return o;
    }

    ServeResponse problemAnswer(core::ServerProblem problem, const std::string& detail) {
        switch (problem) {
        case core::ServerProblem::BodyTooLarge:
            return ServeResponse::error(413, "input", "the request body is larger than 1 MiB",
                                        "request");
        case core::ServerProblem::BadTarget:
            return ServeResponse::error(400, "input", "the request target is not a valid URI");
        case core::ServerProblem::NoRoute:
            return ServeResponse::notFound();
        case core::ServerProblem::Failed:
            log.line("request failed: " + detail);
            return ServeResponse::error(500, "internal", detail);
        case core::ServerProblem::Stopping:
            return ServeResponse::error(503, "stopping", "fiscpos serve is stopping");
        case core::ServerProblem::Busy:
            break;
        }
        return ServeResponse::error(503, "busy", "too many connections from this client");
    }

    const std::optional<std::string>& auditToken() const {
        return settings.auditToken ? settings.auditToken : settings.apiToken;
    }

    ServeResponse route(const ServeRequest& request) {
        const std::string& path = request.path;
        if (path == "/health") {
            core::Json health{{"ok", true}, {"version", FISCPOS_VERSION}};
            if (webhooks) {
                health["webhooks"] = webhooks->stats();
            }
            if (smsReports) {
                health["sms_reports"] = smsReports->stats();
            }
            return ServeResponse::json(200, health);
        }
        if (path == "/openapi.json") {
            ServeResponse answer;
            answer.status = 200;
            answer.contentType = "application/json";
            answer.body = std::string(openApiDocument());
            return answer;
        }
        constexpr std::string_view apiPrefix = "/api/";
        if (path.starts_with(apiPrefix) && path.size() > apiPrefix.size()) {
            if (!authorized(request, settings.apiToken, false)) {
                return apiUnauthorized();
            }
            return api.handle(request, path.substr(apiPrefix.size()));
        }
        constexpr std::string_view smsPrefix = "/webhooks/sms/";
        if (path.starts_with(smsPrefix) && smsReports) {
            return smsReports->handle(request, path.substr(smsPrefix.size()));
        }
        if (path.starts_with("/webhooks/")) {
            if (!webhooks) {
                return ServeResponse::notFound();
            }
            return webhooks->handle(request);
        }
        if (AuditPages::serves(path)) {
            if (!authorized(request, auditToken(), true)) {
                return auditUnauthorized();
            }
            if (request.method != "GET") {
                ServeResponse answer =
                    ServeResponse::error(405, "input", "the audit pages take GET");
                answer.headers.emplace_back("Allow", "GET");
                return answer;
            }
            return audit.handle(request);
        }
        return ServeResponse::notFound();
    }
};

ServeServer::ServeServer(PaymentRuntime& runtime, ServeSettings settings, ServeLog& log) {
    if (!runtime.hasService()) {
        throw core::ConfigError("serve", "needs the payment service (provider and terminals)");
    }
    impl_ = std::make_unique<Impl>(runtime, std::move(settings), log);
}

ServeServer::~ServeServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; the threads are gone either way.
    }
}

void ServeServer::start() {
    impl_->http.start();
}

void ServeServer::beginStop() {
    impl_->http.beginStop();
}

int ServeServer::activeRequests() const {
    return impl_->http.activeRequests();
}

void ServeServer::stop() {
    impl_->http.stop();
    if (impl_->webhooks) {
        impl_->webhooks->stop();
    }
}

std::uint16_t ServeServer::port() const {
    return impl_->http.port();
}

std::string ServeServer::baseUrl() const {
    ListenAddress address = impl_->settings.listen;
    address.port = port();
    return address.url();
}

std::vector<std::string> ServeServer::webhookRegistration() const {
    auto lines = impl_->webhooks ? impl_->webhooks->registration() : std::vector<std::string>{};
    if (impl_->smsReports) {
        lines.push_back(impl_->smsReports->registration());
    }
    return lines;
}

} // namespace fiscpos::plugin::http_api
