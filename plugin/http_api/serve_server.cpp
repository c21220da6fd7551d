#include "plugin/http_api/serve_server.hpp"

#include "core/errors.hpp"
#include "plugin/http_api/audit_pages.hpp"
#include "plugin/http_api/erp_api.hpp"
#include "plugin/http_api/secret_compare.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/http_api/webhook_endpoint.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/SharedPtr.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t maxBodyBytes = 1024 * 1024;
// One client (an address) holds at most this many connections at once; more are answered 503 and
// closed at once, so that idle or slow connections from one place cannot take every thread.
constexpr int maxConnectionsPerClient = 16;
// Threads beyond the configured ones: room for the connections of one client at its limit and
// for /health and the other clients still.
constexpr int spareThreads = maxConnectionsPerClient + 4;
// How long a connection may take to send a request's head and body, and stay idle between
// requests, before it is closed.
constexpr int requestSeconds = 10;
constexpr int keepAliveSeconds = 5;

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

// Connections per client address, counted from accept to close.
class ConnectionLimiter {
public:
    bool acquire(const std::string& client) {
        std::lock_guard lock(mutex_);
        int& count = counts_[client];
        if (count >= maxConnectionsPerClient) {
            return false;
        }
        ++count;
        return true;
    }
    void release(const std::string& client) {
        std::lock_guard lock(mutex_);
        const auto it = counts_.find(client);
        if (it != counts_.end() && --it->second <= 0) {
            counts_.erase(it);
        }
    }

private:
    std::mutex mutex_;
    std::map<std::string, int> counts_;
};

// An HTTP connection that gives its client's place back when it closes.
class CountedConnection final : public Poco::Net::HTTPServerConnection {
public:
    CountedConnection(const Poco::Net::StreamSocket& socket,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, ConnectionLimiter& limiter,
                      std::string client)
        : HTTPServerConnection(socket, std::move(params), std::move(factory))
        , limiter_(limiter)
        , client_(std::move(client)) {}
    ~CountedConnection() override { limiter_.release(client_); }
    CountedConnection(const CountedConnection&) = delete;
    CountedConnection& operator=(const CountedConnection&) = delete;

private:
    ConnectionLimiter& limiter_;
    std::string client_;
};

// A connection over its client's limit: one 503 and closed.
class RefusedConnection final : public Poco::Net::TCPServerConnection {
public:
    explicit RefusedConnection(const Poco::Net::StreamSocket& socket)
        : TCPServerConnection(socket) {}
    void run() override {
        static const std::string body = "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":"
                                        "\"too many connections from this client\"}}\n";
        const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                                   "Content-Type: application/json\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body;
        try {
            socket().setSendTimeout(Poco::Timespan(1, 0));
            socket().sendBytes(answer.data(), static_cast<int>(answer.size()));
            socket().shutdownSend();
        } catch (const Poco::Exception&) {
            // The client is gone already.
        }
    }
};

class LimitedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    LimitedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
        : params_(std::move(params))
        , factory_(std::move(factory)) {}

    Poco::Net::TCPServerConnection*
    createConnection(const Poco::Net::StreamSocket& socket) override {
        std::string client;
        try {
            client = socket.peerAddress().host().toString();
        } catch (const Poco::Exception&) {
            client = "?";
        }
        // Poco's server takes ownership of the connection and deletes it when it ends.
        if (!limiter_.acquire(client)) {
            return std::make_unique<RefusedConnection>(socket).release();
        }
        return std::make_unique<CountedConnection>(socket, params_, factory_, limiter_, client)
            .release();
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    ConnectionLimiter limiter_;
};

} // namespace

struct ServeServer::Impl {
    Impl(PaymentRuntime& r, ServeSettings s, ServeLog& l)
        : runtime(r)
        , settings(std::move(s))
        , log(l)
        , api(runtime, log)
        , audit(runtime.journal()) {
        if (settings.webhookToken) {
            webhooks = std::make_unique<WebhookEndpoints>(runtime, *settings.webhookToken, log);
        }
    }

    PaymentRuntime& runtime;
    ServeSettings settings;
    ServeLog& log;
    ErpApi api;
    AuditPages audit;
    std::unique_ptr<WebhookEndpoints> webhooks;

    std::atomic<bool> stopping{false};
    std::atomic<int> active{0};
    std::mutex lifecycleMutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;
    std::unique_ptr<Poco::Net::TCPServer> server;
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
        if (path.starts_with("/webhooks/")) {
            if (!webhooks) {
                return ServeResponse::notFound();
            }
            return webhooks->handle(request);
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

    // What HTTPServer::stopAll does: the connections waiting for a next request close.
    void stopped(bool abortCurrent) { serverStopped(this, abortCurrent); }

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
        // SO_REUSEADDR (a restart need not wait for old connections to time out) but never
        // SO_REUSEPORT: a second fiscpos serve on the same port must fail, not share it.
        socket.bind(Poco::Net::SocketAddress(settings.listen.host, settings.listen.port), true,
                    false);
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw core::ConfigError("serve.listen", "cannot listen on " +
                                                    settings.listen.url().substr(7) + ": " +
                                                    e.displayText());
    }
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    const int threads = settings.threads + spareThreads;
    params->setMaxThreads(threads);
    params->setMaxQueued(64);
    params->setTimeout(Poco::Timespan(requestSeconds, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(keepAliveSeconds, 0));
    params->setSoftwareVersion(std::string("fiscpos/") + FISCPOS_VERSION);
    impl_->pool = std::make_unique<Poco::ThreadPool>(2, threads);
    impl_->handlers = Poco::makeShared<HandlerFactory>(*impl_);
    impl_->server = std::make_unique<Poco::Net::TCPServer>(
        Poco::makeShared<LimitedConnectionFactory>(params, impl_->handlers), *impl_->pool, socket,
        params);
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
            static_cast<HandlerFactory&>(*impl_->handlers).stopped(true);
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

std::vector<std::string> ServeServer::webhookRegistration() const {
    return impl_->webhooks ? impl_->webhooks->registration() : std::vector<std::string>{};
}

} // namespace fiscpos::plugin::http_api
