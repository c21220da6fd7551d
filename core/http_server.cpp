#include "core/http_server.hpp"

#include "core/errors.hpp"
#include "core/tls_context.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/SharedPtr.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <istream>
#include <iterator>
#include <mutex>
#include <sstream>

namespace fiscpos::core {

namespace {

// True when `header` starts with the authentication scheme `scheme` and a blank; the scheme's
// case does not matter (RFC 9110).
bool hasScheme(const std::string& header, std::string_view scheme) {
    return header.size() > scheme.size() + 1 && header[scheme.size()] == ' ' &&
           Poco::icompare(header.substr(0, scheme.size()), std::string(scheme)) == 0;
}

bool underPrefix(const std::string& path, const std::string& prefix) {
    if (prefix == "/") {
        return true;
    }
    return path.rfind(prefix, 0) == 0 &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

ServerAnswer defaultProblemAnswer(ServerProblem problem, const std::string& detail) {
    switch (problem) {
    case ServerProblem::BodyTooLarge:
        return ServerAnswer::json(413, Json{{"message", "The request body is too large."}});
    case ServerProblem::BadTarget:
        return ServerAnswer::json(400, Json{{"message", "The request target is not a valid URI."}});
    case ServerProblem::NoRoute:
        return ServerAnswer::json(404, Json{{"message", "Nothing is served at " + detail}});
    case ServerProblem::Failed:
        return ServerAnswer::json(500, Json{{"message", "Server Error: " + detail}});
    case ServerProblem::Stopping:
        return ServerAnswer::json(503, Json{{"message", "The server is stopping."}});
    case ServerProblem::Busy:
        return ServerAnswer::json(503, Json{{"message", "Too many connections."}});
    }
    return ServerAnswer::json(500, Json{{"message", detail}});
}

// The status line and headers of an answer.
void setHead(Poco::Net::HTTPServerResponse& out, const ServerAnswer& answer) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (answer.ending == ServerAnswer::Ending::Close) {
        out.setKeepAlive(false);
    }
    for (const auto& [name, value] : answer.headers) {
        out.set(name, value);
    }
    if (!answer.contentType.empty()) {
        out.setContentType(answer.contentType);
    }
    out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
}

// Ends the exchange without (more of) an answer: the client sees the connection close, the way a
// crashed server or a broken network path looks.
void shutDown(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out) {
    out.setKeepAlive(false);
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
        try {
            impl->socket().shutdown();
        } catch (const Poco::Exception&) {
            // Already gone: that is what we wanted.
        }
    }
}

void sendAnswer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out,
                const ServerAnswer& answer) {
    if (answer.ending == ServerAnswer::Ending::Drop) {
        shutDown(request, out);
        return;
    }
    setHead(out, answer);
    if (answer.ending != ServerAnswer::Ending::CloseSilently) {
        out.sendBuffer(answer.body.data(), answer.body.size());
        return;
    }
    // sendBuffer() leaves part of the answer buffered until the handler is done; this way it has
    // left when the connection is shut down.
    std::ostream& body = out.send();
    body.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    body.flush();
    shutDown(request, out);
}

void send(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out,
          const ServerAnswer& answer) {
    sendAnswer(request, out, answer);
    if (answer.afterSend) {
        answer.afterSend();
    }
}

// Connections per client address, counted from accept to close.
class ConnectionLimiter {
public:
    explicit ConnectionLimiter(int cap)
        : cap_(cap) {}

    bool acquire(const std::string& client) {
        std::lock_guard lock(mutex_);
        int& count = counts_[client];
        if (count >= cap_) {
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
    int cap_;
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

// A connection over its client's cap: one Busy answer and closed.
class RefusedConnection final : public Poco::Net::TCPServerConnection {
public:
    RefusedConnection(const Poco::Net::StreamSocket& socket, ServerAnswer answer)
        : TCPServerConnection(socket)
        , answer_(std::move(answer)) {}

    void run() override {
        const std::string head =
            "HTTP/1.1 " + std::to_string(answer_.status) + " " +
            Poco::Net::HTTPResponse::getReasonForStatus(
                static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer_.status)) +
            "\r\nConnection: close\r\nContent-Type: " + answer_.contentType +
            "\r\nContent-Length: " + std::to_string(answer_.body.size()) + "\r\n\r\n";
        const std::string bytes = head + answer_.body;
        try {
            socket().setSendTimeout(Poco::Timespan(1, 0));
            socket().sendBytes(bytes.data(), static_cast<int>(bytes.size()));
            socket().shutdownSend();
        } catch (const Poco::Exception&) {
            // The client is gone already.
        }
    }

private:
    ServerAnswer answer_;
};

std::string peerHost(const Poco::Net::StreamSocket& socket) {
    try {
        return socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
        return "?";
    }
}

class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory, int cap, ServerAnswer busy)
        : params_(std::move(params))
        , factory_(std::move(factory))
        , limiter_(cap)
        , capped_(cap > 0)
        , busy_(std::move(busy)) {}

    Poco::Net::TCPServerConnection*
    createConnection(const Poco::Net::StreamSocket& socket) override {
        // Poco's server takes ownership of the connection and deletes it when it ends.
        if (!capped_) {
            return std::make_unique<Poco::Net::HTTPServerConnection>(socket, params_, factory_)
                .release();
        }
        std::string client = peerHost(socket);
        if (!limiter_.acquire(client)) {
            return std::make_unique<RefusedConnection>(socket, busy_).release();
        }
        return std::make_unique<CountedConnection>(socket, params_, factory_, limiter_,
                                                   std::move(client))
            .release();
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    ConnectionLimiter limiter_;
    bool capped_;
    ServerAnswer busy_;
};

struct Route {
    std::string method;
    std::string prefix;
    HttpServer::Handler handler;
};

} // namespace

bool ServerRequest::setTarget(const std::string& target) {
    try {
        const Poco::URI uri(target);
        std::multimap<std::string, std::string> parameters;
        for (const auto& [name, value] : uri.getQueryParameters()) {
            parameters.emplace(name, value);
        }
        path = uri.getPath();
        rawQuery = uri.getRawQuery();
        query = std::move(parameters);
        return true;
    } catch (const Poco::SyntaxException&) {
        return false;
    }
}

std::string ServerRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (Poco::icompare(key, std::string(name)) == 0) {
            return value;
        }
    }
    return {};
}

std::optional<std::string> ServerRequest::queryParam(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string ServerRequest::bearerToken() const {
    const std::string value = header("Authorization");
    constexpr std::string_view scheme = "Bearer";
    return hasScheme(value, scheme) ? value.substr(scheme.size() + 1) : std::string();
}

std::optional<std::pair<std::string, std::string>> ServerRequest::basicCredentials() const {
    const std::string value = header("Authorization");
    constexpr std::string_view scheme = "Basic";
    if (!hasScheme(value, scheme)) {
        return std::nullopt;
    }
    std::string decoded;
    try {
        std::istringstream encoded(value.substr(scheme.size() + 1));
        Poco::Base64Decoder decoder(encoded);
        decoded.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) {
        return std::nullopt;
    }
    return std::pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

ServerAnswer ServerAnswer::json(int status, const Json& body) {
    ServerAnswer answer;
    answer.status = status;
    answer.body = dumpJson(body);
    return answer;
}

ServerAnswer ServerAnswer::html(int status, std::string page) {
    ServerAnswer answer;
    answer.status = status;
    answer.contentType = "text/html; charset=utf-8";
    answer.body = std::move(page);
    return answer;
}

struct HttpServer::Impl {
    explicit Impl(HttpServerOptions o)
        : options(std::move(o)) {
        if (!options.problemAnswer) {
            options.problemAnswer = defaultProblemAnswer;
        }
    }

    HttpServerOptions options;

    mutable std::mutex routesMutex;
    std::vector<std::shared_ptr<const Route>> routes;

    std::atomic<bool> stopping{false};
    std::atomic<int> active{0};
    std::mutex lifecycleMutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;
    std::unique_ptr<Poco::Net::TCPServer> server;
    Poco::Net::ServerSocket listener;
    std::atomic<std::uint16_t> port{0};

    std::shared_ptr<const Route> find(const ServerRequest& request) const {
        std::lock_guard lock(routesMutex);
        std::shared_ptr<const Route> best;
        for (const auto& route : routes) {
            if ((route->method.empty() || route->method == request.method) &&
                underPrefix(request.path, route->prefix) &&
                (!best || route->prefix.size() > best->prefix.size())) {
                best = route;
            }
        }
        return best;
    }

    // False when the body is larger than allowed.
    bool read(Poco::Net::HTTPServerRequest& in, ServerRequest& request) const {
        request.method = in.getMethod();
        for (const auto& [name, value] : in) {
            request.headers.emplace_back(name, value);
        }
        request.host = in.getHost();
        request.client = in.clientAddress().host().toString();
        std::istream& body = in.stream();
        char buffer[8192];
        while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
            request.body.append(buffer, static_cast<std::size_t>(body.gcount()));
            if (request.body.size() > options.maxBodyBytes) {
                return false;
            }
        }
        return true;
    }

    ServerAnswer problem(ServerProblem kind, const std::string& detail) const {
        return options.problemAnswer(kind, detail);
    }

    ServerAnswer answer(Poco::Net::HTTPServerRequest& in) const {
        if (stopping) {
            ServerAnswer refused = problem(ServerProblem::Stopping, {});
            refused.ending = ServerAnswer::Ending::Close;
            return refused;
        }
        ServerRequest request;
        if (!request.setTarget(in.getURI())) {
            return problem(ServerProblem::BadTarget, in.getURI());
        }
        if (!read(in, request)) {
            ServerAnswer tooLarge = problem(ServerProblem::BodyTooLarge, {});
            tooLarge.ending = ServerAnswer::Ending::Close;
            return tooLarge;
        }
        const auto route = find(request);
        if (!route) {
            return problem(ServerProblem::NoRoute, request.path);
        }
        return route->handler(request);
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
    explicit Handler(HttpServer::Impl& impl)
        : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        const ActiveRequest counted(impl_.active);
        try {
            send(request, response, impl_.answer(request));
        } catch (const Poco::Exception&) {
            // The client went away while we answered; nothing more to do on this connection.
            response.setKeepAlive(false);
        } catch (const std::exception& e) {
            if (!response.sent()) {
                send(request, response, impl_.problem(ServerProblem::Failed, e.what()));
            }
        }
    }

private:
    HttpServer::Impl& impl_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(HttpServer::Impl& impl)
        : impl_(impl) {}

    // What HTTPServer::stopAll does: the connections waiting for a next request close.
    void stopped(bool abortCurrent) { serverStopped(this, abortCurrent); }

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        // Poco takes ownership of the handler and deletes it after the request.
        return std::make_unique<Handler>(impl_).release();
    }

private:
    HttpServer::Impl& impl_;
};

} // namespace

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; the threads are gone either way.
    }
}

void HttpServer::route(const std::string& method, const std::string& prefix, Handler handler) {
    if (prefix.empty() || prefix.front() != '/' || (prefix.size() > 1 && prefix.back() == '/')) {
        throw ConfigError("route", "prefix \"" + prefix + "\" must look like /name");
    }
    std::lock_guard lock(impl_->routesMutex);
    for (const auto& existing : impl_->routes) {
        if (existing->method == method && existing->prefix == prefix) {
            throw ConfigError("route", prefix + " is served already");
        }
    }
    impl_->routes.push_back(
        std::make_shared<const Route>(Route{method, prefix, std::move(handler)}));
}

void HttpServer::start() {
    std::lock_guard lock(impl_->lifecycleMutex);
    if (impl_->server) {
        return;
    }
    const HttpServerOptions& options = impl_->options;
    Poco::Net::ServerSocket socket;
    if (!options.tlsCertificateFile.empty() || !options.tlsKeyFile.empty()) {
        socket = Poco::Net::SecureServerSocket(tlsServerContext(
            options.tlsCertificateFile, options.tlsKeyFile, options.tlsSetting));
    }
    try {
        // SO_REUSEADDR (a restart need not wait for old connections to time out) but never
        // SO_REUSEPORT: a second server on the same port must fail, not share it.
        socket.bind(Poco::Net::SocketAddress(options.host, options.port), true, false);
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        const bool ipv6 = options.host.find(':') != std::string::npos;
        throw ConfigError(options.listenSetting,
                          "cannot listen on " + (ipv6 ? "[" + options.host + "]" : options.host) +
                              ":" + std::to_string(options.port) + ": " + e.displayText());
    }
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(options.maxThreads);
    params->setMaxQueued(options.maxQueued);
    params->setTimeout(Poco::Timespan(options.requestTimeout.count(), 0));
    params->setKeepAlive(options.keepAlive);
    // An idle keep-alive connection holds a worker thread; let it go soon.
    params->setKeepAliveTimeout(Poco::Timespan(options.keepAliveTimeout.count(), 0));
    if (!options.softwareVersion.empty()) {
        params->setSoftwareVersion(options.softwareVersion);
    }
    impl_->stopping = false;
    impl_->pool = std::make_unique<Poco::ThreadPool>(
        std::min(options.minThreads, options.maxThreads), options.maxThreads);
    impl_->handlers = Poco::makeShared<HandlerFactory>(*impl_);
    impl_->server = std::make_unique<Poco::Net::TCPServer>(
        Poco::makeShared<ConnectionFactory>(params, impl_->handlers,
                                            options.maxConnectionsPerClient,
                                            impl_->problem(ServerProblem::Busy, {})),
        *impl_->pool, socket, params);
    impl_->server->start();
    impl_->listener = socket;
    impl_->port = socket.address().port();
}

void HttpServer::beginStop() {
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

void HttpServer::stop() {
    beginStop();
    std::lock_guard lock(impl_->lifecycleMutex);
    if (!impl_->server) {
        return;
    }
    static_cast<HandlerFactory&>(*impl_->handlers).stopped(true);
    impl_->pool->joinAll();
    impl_->server.reset();
    impl_->handlers = nullptr;
    impl_->pool.reset();
    impl_->port = 0;
}

bool HttpServer::running() const {
    return impl_->port.load() != 0;
}

int HttpServer::activeRequests() const {
    return impl_->active.load();
}

std::uint16_t HttpServer::port() const {
    return impl_->port.load();
}

std::string HttpServer::baseUrl() const {
    const std::string& host = impl_->options.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    const bool tls =
        !impl_->options.tlsCertificateFile.empty() || !impl_->options.tlsKeyFile.empty();
    return (tls ? "https://" : "http://") + (ipv6 ? "[" + host + "]" : host) + ":" +
           std::to_string(port());
}

} // namespace fiscpos::core
