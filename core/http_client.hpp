// HTTP(S) client for every remote party (provider, networks). It never retries a request that may
// have reached the server: a failure after the request left is reported as "outcome unknown", so
// the caller asks the remote party by its own reference before anything is sent again.
#pragma once

#include "core/errors.hpp"
#include "core/json.hpp"

#include <Poco/AutoPtr.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class Context;
}

namespace fiscpos::core {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpOptions {
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds readTimeout{10000};
    // PEM file of the CA certificates to trust instead of the system's. Verification of the
    // server's certificate and host name is always on.
    std::string caFile;
    // The SHA-256 of the server's certificate (64 hex digits; colons and case do not matter) for
    // a device on the shop's LAN with a self-signed certificate: only exactly that certificate is
    // accepted, whoever signed it and whatever host it names. It replaces the CA and host-name
    // checks, never switches them off; not together with caFile, and only over https.
    std::string certificateSha256;
    // How many times to try to connect. A connection that was never made carried nothing, so
    // trying again is safe for any method.
    int connectAttempts = 2;
    std::string userAgent = "fiscpos";
};

struct HttpRequest {
    std::string method = "GET";
    // Path and query, appended to the path of the client's base URL ("/v2/signatures?page=2").
    std::string target;
    HttpHeaders headers;
    std::string body;
    std::string contentType;
    // Fields of this request's body and of its answer whose values are credentials beyond the
    // ones every record leaves out by name (passwords, tokens, keys): e.g. a pairing code and the
    // key it is exchanged for. Whoever keeps the exchange removes their values.
    std::vector<std::string> secretFields;

    static HttpRequest get(std::string target);
    static HttpRequest del(std::string target);
    // A request with a JSON body (serialised with dumpJson, so decimal amounts stay exact).
    static HttpRequest json(std::string method, std::string target, const Json& body);
    HttpRequest& header(std::string name, std::string value);
    HttpRequest& secret(std::string field);
};

struct HttpResponse {
    int status = 0;
    std::string reason;
    HttpHeaders headers;
    std::string body;

    bool ok() const { return status >= 200 && status < 300; }
    // Case-insensitive header lookup; empty when absent.
    std::string header(std::string_view name) const;
    // The body as JSON; a body that is not JSON is a ResponseError naming `what`.
    Json json(std::string_view what) const;
};

// The request did not complete. Stage Connect: no connection was made, nothing reached the server.
// Stage Exchange: the connection was made and the request may have been applied; the outcome is
// unknown and the caller must find out before it sends anything again.
class TransportError : public Error {
public:
    enum class Stage { Connect, Exchange };
    TransportError(Stage stage, const std::string& message)
        : Error(stage == Stage::Connect ? "transport_connect" : "transport_unknown_outcome",
                message)
        , stage_(stage) {}
    Stage stage() const noexcept { return stage_; }
    bool outcomeUnknown() const noexcept { return stage_ == Stage::Exchange; }

private:
    Stage stage_;
};

// The server answered, with a status the caller did not accept.
class HttpStatusError : public Error {
public:
    HttpStatusError(int status, std::string body, const std::string& message)
        : Error("http_status", message)
        , status_(status)
        , body_(std::move(body)) {}
    int status() const noexcept { return status_; }
    const std::string& body() const noexcept { return body_; }

private:
    int status_;
    std::string body_;
};

// The server refused a request outright (for a network: a 4xx that is not about credentials): it
// was not applied, nothing was created, nothing was charged. Carries the answer as it came;
// `code` names what was refused ("intent_refused", "task_refused", "transaction_refused").
class RequestRefused : public Error {
public:
    RequestRefused(const std::string& code, HttpResponse answer, const std::string& message)
        : Error(code, message)
        , answer_(std::move(answer)) {}
    int status() const noexcept { return answer_.status; }
    const std::string& body() const noexcept { return answer_.body; }
    const HttpHeaders& headers() const noexcept { return answer_.headers; }

private:
    HttpResponse answer_;
};

// One request and what came of it, for whoever keeps the record (the journal redacts secrets).
struct HttpExchange {
    std::string method;
    std::string url; // base URL + target
    HttpHeaders requestHeaders;
    std::string requestBody;
    int status = 0; // 0 when no answer came
    std::string responseBody;
    std::string error;                     // the transport failure, when there was one
    std::vector<std::string> secretFields; // the request's (HttpRequest::secretFields)
    std::chrono::system_clock::time_point startedAt;
    std::chrono::microseconds duration{0};
};

// Receives HTTP exchanges. A client-wide observer (HttpClient::observe) sees every exchange; the
// record of one call (a payment's step, for its journal entry) is passed explicitly to the call
// that makes the exchanges, down to send(), so that calls running at once never mix their records.
using HttpObserver = std::function<void(const HttpExchange&)>;

// Checks a server's base URL the way HttpClient does: an http:// or https:// URL with a host, and
// plain http only to this machine's loopback (127.0.0.0/8, ::1, localhost), since credentials
// would otherwise travel in clear. ConfigError naming `setting` otherwise.
void checkServerUrl(const std::string& url, const std::string& setting);

class HttpClient {
public:
    // baseUrl: "http://127.0.0.1:8080/provider" or "https://api.example.gr". A bad URL or CA file
    // is a ConfigError naming `setting` (e.g. "provider.url"), and so is plain http to any host
    // but this machine's loopback (127.0.0.0/8, ::1, localhost). Over TLS the server's
    // certificate must verify and name the host in its subjectAltName.
    HttpClient(const std::string& baseUrl, HttpOptions options = {},
               const std::string& setting = "url");
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends once (connecting again only if no connection could be made). Returns any answer the
    // server gave, whatever its status; throws TransportError when there was none. An idle
    // kept-alive connection the server closed is noticed before anything is sent on it, and a
    // new one made; a GET that went out on a reused connection and got no answer at all is sent
    // once more on a new connection. Any other method is never sent twice. The exchange goes to
    // `record` (when set) and to the client's observer.
    HttpResponse send(const HttpRequest& request, const HttpObserver& record = {});

    const std::string& baseUrl() const { return baseUrl_; }

    // Called after every send(), with the answer or the failure, on the sending thread (after the
    // call's own record).
    void observe(HttpObserver observer);

private:
public:
    class Session; // one kept-alive connection

private:
    // A request that left on a reused connection and got no answer at all.
    struct ResendSafely {
        std::string message;
    };
    std::unique_ptr<Session> newSession() const;
    HttpResponse sendLocked(const HttpRequest& request);
    // One attempt; throws ResendSafely when the request went out on a reused connection and
    // nothing came back.
    HttpResponse exchangeOnce(const HttpRequest& request, bool forceFresh);

    std::string baseUrl_;
    HttpOptions options_;
    std::string host_;
    unsigned short port_ = 0;
    std::string basePath_;
    bool tls_ = false;
    Poco::AutoPtr<Poco::Net::Context> tlsContext_;
    std::mutex mutex_;
    std::unique_ptr<Session> session_;
    HttpObserver observer_;
};

} // namespace fiscpos::core
