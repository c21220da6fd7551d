#include "plugin/http_api/serve_server.hpp"

#include "core/errors.hpp"
#include "plugin/http_api/audit_pages.hpp"
#include "plugin/http_api/erp_api.hpp"
#include "plugin/http_api/secret_compare.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/http_api/viva_webhook_endpoint.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/SharedPtr.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <iterator>
#include <mutex>
#include <sstream>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t maxBodyBytes = 1024 * 1024;

// True when `header` starts with the authentication scheme `scheme` and a blank; the scheme's
// case does not matter (RFC 9110).
bool hasScheme(const std::string& header, std::string_view scheme) {
    return header.size() > scheme.size() && header[scheme.size()] == ' ' &&
           Poco::icompare(header.substr(0, scheme.size()), std::string(scheme)) == 0;
}

// The token in "Bearer <token>", or the password in "Basic base64(user:password)" when `basic`
// is allowed; empty when the header has neither.
std::string presentedToken(const std::string& authorization, bool basic) {
    constexpr std::string_view bearer = "Bearer";
    if (hasScheme(authorization, bearer)) {
        return authorization.substr(bearer.size() + 1);
    }
    constexpr std::string_view basicScheme = "Basic";
    if (!basic || !hasScheme(authorization, basicScheme)) {
        return {};
    }
    try {
        std::istringstream encoded(authorization.substr(basicScheme.size() + 1));
        Poco::Base64Decoder decoder(encoded);
        std::string decoded((std::istreambuf_iterator<char>(decoder)),
                            std::istreambuf_iterator<char>());
        const auto colon = decoded.find(':');
        return colon == std::string::npos ? std::string() : decoded.substr(colon + 1);
    } catch (const Poco::Exception&) {
        return {};
    }
}

bool authorized(const ServeRequest& request, const std::optional<std::string>& token, bool basic) {
    if (!token) {
        return true;
    }
    const std::string presented = presentedToken(request.authorization, basic);
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
             "</head><body><p>The audit pages need the audit token (as the password).</p>"
             "</body></html>\n");
    answer.headers.emplace_back("WWW-Authenticate",
                                "Basic realm=\"fiscpos audit\", charset=\"UTF-8\"");
    return answer;
}

bool readRequest(Poco::Net::HTTPServerRequest& in, ServeRequest& request) {
    request.method = in.getMethod();
    const Poco::URI uri(in.getURI());
    request.path = uri.getPath();
    for (const auto& [name, value] : uri.getQueryParameters()) {
        request.query.emplace(name, value);
    }
    request.authorization = in.get("Authorization", "");
    std::istream& body = in.stream();
    char buffer[8192];
    while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
        request.body.append(buffer, static_cast<std::size_t>(body.gcount()));
        if (request.body.size() > maxBodyBytes) {
            return false;
        }
    }
    return true;
}

void send(Poco::Net::HTTPServerResponse& out, const ServeResponse& answer) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    out.set("Cache-Control", "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    if (answer.contentType.starts_with("text/html")) {
        out.set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    }
    for (const auto& [name, value] : answer.headers) {
        out.set(name, value);
    }
    out.setContentType(answer.contentType);
    out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    out.sendBuffer(answer.body.data(), answer.body.size());
}

} // namespace

struct ServeServer::Impl {
    Impl(PaymentRuntime& r, ServeSettings s, ServeLog& l)
        : runtime(r)
        , settings(std::move(s))
        , log(l)
        , api(runtime, log)
        , audit(runtime.journal()) {
        if (settings.webhookToken) {
            webhooks = std::make_unique<VivaWebhookEndpoint>(runtime, *settings.webhookToken, log);
        }
    }

    PaymentRuntime& runtime;
    ServeSettings settings;
    ServeLog& log;
    ErpApi api;
    AuditPages audit;
    std::unique_ptr<VivaWebhookEndpoint> webhooks;

    std::atomic<bool> stopping{false};
    std::atomic<int> active{0};
    std::mutex lifecycleMutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    Poco::Net::ServerSocket listener;
    std::atomic<std::uint16_t> port{0};

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
            return ServeResponse::json(200, health);
        }
        constexpr std::string_view apiPrefix = "/api/";
        if (path.starts_with(apiPrefix) && path.size() > apiPrefix.size()) {
            if (!authorized(request, settings.apiToken, false)) {
                return apiUnauthorized();
            }
            return api.handle(request, path.substr(apiPrefix.size()));
        }
        constexpr std::string_view webhookPrefix = "/webhooks/viva/";
        if (path.starts_with(webhookPrefix)) {
            if (!webhooks) {
                return ServeResponse::notFound();
            }
            return webhooks->handle(request, path.substr(webhookPrefix.size()));
        }
        constexpr std::string_view entryPrefix = "/audit/entry/";
        if (path == "/audit" || path == "/audit/" ||
            (path.starts_with(entryPrefix) && path.size() > entryPrefix.size())) {
            if (!authorized(request, auditToken(), true)) {
                return auditUnauthorized();
            }
            if (request.method != "GET") {
                ServeResponse answer =
                    ServeResponse::error(405, "input", "the audit pages take GET");
                answer.headers.emplace_back("Allow", "GET");
                return answer;
            }
            return path.starts_with(entryPrefix) ? audit.entry(path.substr(entryPrefix.size()))
                                                 : audit.index(request);
        }
        return ServeResponse::notFound();
    }

    void serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
        if (stopping) {
            out.setKeepAlive(false);
            send(out, ServeResponse::error(503, "stopping", "fiscpos serve is stopping"));
            return;
        }
        ServeRequest request;
        try {
            if (!readRequest(in, request)) {
                out.setKeepAlive(false);
                send(out, ServeResponse::error(413, "input",
                                               "the request body is larger than 1 MiB", "request"));
                return;
            }
        } catch (const Poco::SyntaxException&) {
            send(out, ServeResponse::error(400, "input", "the request target is not a valid URI"));
            return;
        }
        send(out, route(request));
    }
};

namespace {

class ActiveRequest {
public:
    explicit ActiveRequest(std::atomic<int>& active)
        : active_(active) {
        ++active_;
    }
    ~ActiveRequest() { --active_; }
    ActiveRequest(const ActiveRequest&) = delete;
    ActiveRequest& operator=(const ActiveRequest&) = delete;

private:
    std::atomic<int>& active_;
};

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(ServeServer::Impl& impl)
        : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        const ActiveRequest counted(impl_.active);
        try {
            impl_.serve(request, response);
        } catch (const Poco::Exception&) {
            // The client went away while we answered; nothing more to do on this connection.
            response.setKeepAlive(false);
        } catch (const std::exception& e) {
            impl_.log.line(std::string("request failed: ") + e.what());
            if (!response.sent()) {
                send(response, ServeResponse::error(500, "internal", e.what()));
            }
        }
    }

private:
    ServeServer::Impl& impl_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(ServeServer::Impl& impl)
        : impl_(impl) {}

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        // Poco takes ownership of the handler and deletes it after the request.
        return std::make_unique<Handler>(impl_).release();
    }

private:
    ServeServer::Impl& impl_;
};

} // namespace

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
    std::lock_guard lock(impl_->lifecycleMutex);
    if (impl_->server) {
        return;
    }
    const ServeSettings& settings = impl_->settings;
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(settings.listen.host, settings.listen.port), true);
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw core::ConfigError("serve.listen", "cannot listen on " +
                                                    settings.listen.url().substr(7) + ": " +
                                                    e.displayText());
    }
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(settings.threads);
    params->setMaxQueued(64);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setSoftwareVersion(std::string("fiscpos/") + FISCPOS_VERSION);
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, settings.threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        Poco::makeShared<HandlerFactory>(*impl_), *impl_->pool, socket, params);
    impl_->server->start();
    impl_->listener = socket;
    impl_->port = socket.address().port();
}

void ServeServer::beginStop() {
    impl_->stopping = true;
    std::lock_guard lock(impl_->lifecycleMutex);
    if (!impl_->server || !impl_->listener.impl()->initialized()) {
        return;
    }
    // Shutting the listening socket down wakes the accepting thread at once; closing it makes a
    // new connection fail at once instead of waiting in the backlog for an answer that never
    // comes.
    try {
        impl_->listener.impl()->shutdown();
    } catch (const Poco::Exception&) {
        // The accepting thread notices the stop at its next poll instead.
    }
    impl_->server->stop();
    impl_->listener.close();
}

int ServeServer::activeRequests() const {
    return impl_->active.load();
}

void ServeServer::stop() {
    beginStop();
    {
        std::lock_guard lock(impl_->lifecycleMutex);
        if (impl_->server) {
            impl_->server->stopAll(true);
            impl_->pool->joinAll();
            impl_->server.reset();
            impl_->pool.reset();
            impl_->port = 0;
        }
    }
    if (impl_->webhooks) {
        impl_->webhooks->stop();
    }
}

std::uint16_t ServeServer::port() const {
    return impl_->port.load();
}

std::string ServeServer::baseUrl() const {
    ListenAddress address = impl_->settings.listen;
    address.port = port();
    return address.url();
}

std::vector<std::string> ServeServer::webhookPaths() const {
    return impl_->webhooks ? impl_->webhooks->pathsToRegister() : std::vector<std::string>{};
}

} // namespace fiscpos::plugin::http_api
