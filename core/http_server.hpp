// A small HTTP server that `fiscpos serve` and fiscpos-sim both run on: one Poco::Net listener
// with a pool of worker threads, routes by method and path prefix, requests and answers as plain
// values (handlers know nothing of sockets), an optional cap on the connections of one client,
// and a stop in two steps (no new requests; then every connection closed and the threads joined).
// Secrets presented in a request are compared with core::secretEquals (core/secret_compare.hpp).
#pragma once

#include "core/json.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::core {

struct ServerRequest {
    std::string method;   // "GET", "POST", ...
    std::string path;     // decoded, without the query: "/provider/v2/signatures/01ABC"
    std::string rawQuery; // "status=pending&page=2"
    std::multimap<std::string, std::string> query; // decoded query parameters
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string host;   // the Host header, for absolute links ("127.0.0.1:8099")
    std::string client; // the peer's address, without the port

    // Sets path, rawQuery and query from a request target ("/a/b?x=1"); false when the target is
    // not a valid URI (and nothing is set).
    bool setTarget(const std::string& target);
    // Case-insensitive; empty when absent.
    std::string header(std::string_view name) const;
    // The first value of a query parameter.
    std::optional<std::string> queryParam(const std::string& name) const;
    // The token of "Authorization: Bearer <token>" (the scheme in any case); empty when none.
    std::string bearerToken() const;
    // The user and password of "Authorization: Basic base64(user:password)"; nullopt when the
    // header is not that.
    std::optional<std::pair<std::string, std::string>> basicCredentials() const;
};

struct ServerAnswer {
    // How the connection goes on after the answer.
    enum class Ending {
        KeepAlive,     // as the client asked
        Close,         // "Connection: close", then closed
        CloseSilently, // the answer as if the connection stayed open, then closed at once
        Drop,          // no answer at all: the connection is shut down
    };

    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    Ending ending = Ending::KeepAlive;
    // Called once the answer has left and the connection ended as `ending` says (for counters a
    // client may wait on).
    std::function<void()> afterSend;

    static ServerAnswer json(int status, const Json& body);
    static ServerAnswer html(int status, std::string page);
};

// What the server answers by itself, in the shape of whoever runs it (see problemAnswer).
enum class ServerProblem {
    BodyTooLarge, // 413
    BadTarget,    // 400: the request target is not a valid URI
    NoRoute,      // 404: no route serves the path (detail: the path)
    Failed,       // 500: a handler threw (detail: what it said)
    Stopping,     // 503: a request came after beginStop()
    Busy,         // 503: a connection over the client's cap (the answer closes it)
};

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0: an ephemeral port, see HttpServer::port()
    int minThreads = 2;
    int maxThreads = 16; // worker threads; connections beyond them wait in a queue
    int maxQueued = 64;
    std::size_t maxBodyBytes = 1024 * 1024;
    // How long a connection may take to send a request, and stay idle between requests.
    std::chrono::seconds requestTimeout{60};
    std::chrono::seconds keepAliveTimeout{5};
    // false: every connection is closed after its answer (a kept-alive connection holds a worker
    // thread for as long as its client keeps it).
    bool keepAlive = true;
    // The connections one client address may hold at once; 0 for no cap.
    int maxConnectionsPerClient = 0;
    std::string softwareVersion; // the Server header
    // What the server's own answers look like. Without it: {"message": ...}.
    std::function<ServerAnswer(ServerProblem problem, const std::string& detail)> problemAnswer;
    // Where the name of the listen setting in errors comes from ("listen", "serve.listen").
    std::string listenSetting = "listen";
    // HTTPS with this certificate (PEM, its chain after it) and private key (PEM) files; both
    // empty: plain HTTP. A file that cannot be used is a ConfigError naming tlsSetting.
    std::string tlsCertificateFile{};
    std::string tlsKeyFile{};
    std::string tlsSetting = "tls";
};

class HttpServer {
public:
    using Handler = std::function<ServerAnswer(const ServerRequest& request)>;

    explicit HttpServer(HttpServerOptions options);
    ~HttpServer(); // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Serves `prefix` (exactly, and every path below it: "/api" takes "/api" and "/api/pay")
    // for `method` ("" for any). The longest matching prefix wins; "/" is the fallback. Allowed
    // before and after start(); a method and prefix served already is a ConfigError.
    void route(const std::string& method, const std::string& prefix, Handler handler);

    // Binds (SO_REUSEADDR, never SO_REUSEPORT: a second server on the port fails) and serves; a
    // port that cannot be bound is a ConfigError naming options.listenSetting.
    void start();
    // No new connections; a request that still comes on an open connection gets the Stopping
    // answer. Requests in progress go on.
    void beginStop();
    // Closes every connection and waits for the worker threads (a request in progress runs to
    // its end).
    void stop();
    bool running() const;
    // Requests being answered now.
    int activeRequests() const;
    // The bound port (the real one when started with port 0); 0 before start().
    std::uint16_t port() const;
    // "http://HOST:PORT" ("https://" with TLS), without a trailing slash (an IPv6 host in
    // brackets).
    std::string baseUrl() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace fiscpos::core
