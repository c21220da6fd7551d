#include "core/http_client.hpp"

#include "core/tls_context.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <type_traits>

namespace fiscpos::core {

namespace {

using Poco::Net::HTTPClientSession;
using Poco::Net::HTTPSClientSession;

// A state-changing request goes out only on a connection made moments ago: a connection that sat
// idle may have been closed by the server, and a request lost on it would look like an unknown
// outcome although it never arrived.
constexpr auto maxIdleBeforeStateChange = std::chrono::milliseconds(1000);
// The longest a connection is kept idle for reuse.
constexpr auto keepAliveIdle = std::chrono::seconds(3);

// Whether the peer has closed (or written to) an idle kept-alive connection: anything readable
// on a connection with no request outstanding, an end of file included, means it cannot carry
// the next request.
bool peerClosedOrSpoke(const Poco::Net::StreamSocket& socket) {
    const auto* impl = socket.impl();
    if (impl == nullptr || impl->sockfd() == POCO_INVALID_SOCKET) {
        return true;
    }
    pollfd descriptor{};
    descriptor.fd = impl->sockfd();
    descriptor.events = POLLIN | POLLRDHUP;
    const int ready = ::poll(&descriptor, 1, 0);
    return ready != 0; // readable, hung up, or poll failed: do not reuse
}

// Exposes the connect step of Poco's sessions, so a failure to connect (nothing sent) is told
// apart from a failure after the request left.
template <class Base> class ConnectingSession : public Base {
public:
    using Base::Base;
    // Returns whether a new connection was made (false: the kept-alive one is reused).
    bool connectIfNeeded(bool fresh) {
        if (fresh || !this->connected() || this->mustReconnect() ||
            peerClosedOrSpoke(this->socket())) {
            this->close();
            this->reconnect();
            return true;
        }
        return false;
    }
    void drop() { this->close(); }
};

// A TLS server's certificate must name the host in its subjectAltName: OpenSSL's host check,
// as Poco calls it, falls back to the subject's common name when a certificate has no DNS names,
// which browsers and RFC 6125 no longer accept.
void requireSubjectAltName(const Poco::Net::X509Certificate& certificate, const std::string& host) {
    X509* x509 = const_cast<X509*>(certificate.certificate());
    Poco::Net::IPAddress address;
    const bool matches = Poco::Net::IPAddress::tryParse(host, address)
                             ? X509_check_ip_asc(x509, host.c_str(), 0) == 1
                             : X509_check_host(x509, host.c_str(), host.size(),
                                               X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr) == 1;
    if (!matches) {
        throw Poco::Net::CertificateValidationException(
            "the server's certificate does not name " + host +
            " in its subjectAltName (a certificate naming the host only as its common name is "
            "not accepted)");
    }
}

// A pinned server certificate is checked again once the connection is made (a resumed TLS
// session skips the handshake's verification).
void requirePinned(const Poco::Net::X509Certificate& certificate, const std::string& sha256) {
    const std::string seen = certificateSha256(certificate.certificate());
    if (seen != sha256) {
        throw Poco::Net::CertificateValidationException("the server's certificate has SHA-256 " +
                                                        seen + ", not the pinned " + sha256);
    }
}

bool isSafeMethod(const std::string& method) {
    return method == "GET" || method == "HEAD";
}

std::string settingNextTo(const std::string& setting, const std::string& name) {
    const auto dot = setting.rfind('.');
    return dot == std::string::npos ? name : setting.substr(0, dot + 1) + name;
}

} // namespace

class HttpClient::Session {
public:
    virtual ~Session() = default;
    virtual HTTPClientSession& poco() = 0;
    // Returns whether a new connection was made.
    virtual bool connectIfNeeded(bool fresh) = 0;
    std::chrono::steady_clock::time_point lastUsed{};
    std::string pinnedSha256; // set: the server's certificate must be this one (HttpOptions)
};

namespace {

template <class PocoSession> class SessionOf final : public HttpClient::Session {
public:
    template <class... Args>
    explicit SessionOf(Args&&... args)
        : session_(std::forward<Args>(args)...) {}
    HTTPClientSession& poco() override { return session_; }
    bool connectIfNeeded(bool fresh) override {
        const bool made = session_.connectIfNeeded(fresh);
        if constexpr (std::is_same_v<PocoSession, HTTPSClientSession>) {
            if (made) {
                try {
                    if (pinnedSha256.empty()) {
                        requireSubjectAltName(session_.serverCertificate(), session_.getHost());
                    } else {
                        requirePinned(session_.serverCertificate(), pinnedSha256);
                    }
                } catch (...) {
                    session_.drop();
                    throw;
                }
            }
        }
        return made;
    }

private:
    ConnectingSession<PocoSession> session_;
};

// The idle time after which the server's "Keep-Alive: timeout=N" says it closes a connection
// (a second early, for the trip); nullopt when the answer does not say.
std::optional<std::chrono::seconds> serverKeepAlive(const Poco::Net::HTTPResponse& response) {
    const std::string header = response.get("Keep-Alive", "");
    const auto at = header.find("timeout=");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    long seconds = 0;
    for (std::size_t i = at + 8;
         i < header.size() && std::isdigit(static_cast<unsigned char>(header[i])) != 0 &&
         seconds < 3600;
         ++i) {
        seconds = seconds * 10 + (header[i] - '0');
    }
    return std::chrono::seconds(std::max(0L, seconds - 1));
}

} // namespace

HttpRequest HttpRequest::get(std::string target) {
    HttpRequest request;
    request.method = "GET";
    request.target = std::move(target);
    return request;
}

HttpRequest HttpRequest::del(std::string target) {
    HttpRequest request;
    request.method = "DELETE";
    request.target = std::move(target);
    return request;
}

HttpRequest HttpRequest::json(std::string method, std::string target, const Json& body) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = dumpJson(body);
    request.contentType = "application/json";
    return request;
}

HttpRequest& HttpRequest::header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

HttpRequest& HttpRequest::secret(std::string field) {
    secretFields.push_back(std::move(field));
    return *this;
}

std::string HttpResponse::header(std::string_view name) const {
    auto equalNoCase = [](std::string_view a, std::string_view b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) ==
                   std::tolower(static_cast<unsigned char>(y));
        });
    };
    for (const auto& [key, value] : headers) {
        if (equalNoCase(key, name)) {
            return value;
        }
    }
    return {};
}

Json HttpResponse::json(std::string_view what) const {
    return parseJson(body, what, JsonOrigin::Response);
}

void checkServerUrl(const std::string& url, const std::string& setting) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw ConfigError(setting, "\"" + url + "\" is not a URL (" + e.displayText() + ")");
    }
    const std::string scheme = uri.getScheme();
    if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
        throw ConfigError(setting,
                          "\"" + url + "\" is not an http:// or https:// URL with a host name");
    }
    if (scheme == "http" && !isLoopbackHost(uri.getHost())) {
        throw ConfigError(setting, "\"" + url +
                                       "\" is plain http to a host other than this machine: "
                                       "credentials and payments would travel in clear; use "
                                       "https:// (plain http is only for loopback, e.g. a "
                                       "simulator on 127.0.0.1)");
    }
}

HttpClient::HttpClient(const std::string& baseUrl, HttpOptions options, const std::string& setting)
    : baseUrl_(baseUrl)
    , options_(std::move(options)) {
    checkServerUrl(baseUrl, setting);
    const Poco::URI uri(baseUrl);
    const std::string scheme = uri.getScheme();
    if (!options_.caFile.empty() && !std::filesystem::is_regular_file(options_.caFile)) {
        throw ConfigError(settingNextTo(setting, "ca_file"),
                          "\"" + options_.caFile + "\" is not a readable file");
    }
    std::string basePath = uri.getPath();
    while (!basePath.empty() && basePath.back() == '/') {
        basePath.pop_back();
    }
    basePath_ = basePath;
    host_ = uri.getHost();
    port_ = uri.getPort();
    tls_ = scheme == "https";
    if (!options_.certificateSha256.empty()) {
        const std::string pinSetting = settingNextTo(setting, "certificate_sha256");
        const auto pin = normalSha256(options_.certificateSha256);
        if (!pin) {
            throw ConfigError(pinSetting, "\"" + options_.certificateSha256 +
                                              "\" is not a SHA-256 fingerprint (64 hex digits)");
        }
        if (!options_.caFile.empty()) {
            throw ConfigError(pinSetting, "set either certificate_sha256 or ca_file, not both");
        }
        if (!tls_) {
            throw ConfigError(pinSetting, "a pinned certificate needs an https:// url");
        }
        options_.certificateSha256 = *pin;
        tlsContext_ = tlsPinnedContext(*pin);
    } else if (tls_) {
        initialiseTls();
        try {
            tlsContext_ = tlsClientContext(options_.caFile);
        } catch (const Poco::Exception& e) {
            throw ConfigError(settingNextTo(setting, "ca_file"),
                              "the CA certificates could not be loaded: " + e.displayText());
        } catch (const std::filesystem::filesystem_error& e) {
            throw ConfigError(settingNextTo(setting, "ca_file"),
                              "the CA certificates could not be loaded: " + std::string(e.what()));
        }
    }
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Session> HttpClient::newSession() const {
    std::unique_ptr<Session> session;
    if (tls_) {
        session = std::make_unique<SessionOf<HTTPSClientSession>>(host_, port_, tlsContext_);
        session->pinnedSha256 = options_.certificateSha256;
    } else {
        session = std::make_unique<SessionOf<HTTPClientSession>>(host_, port_);
    }
    auto& poco = session->poco();
    poco.setTimeout(Poco::Timespan(options_.connectTimeout.count() * 1000),
                    Poco::Timespan(options_.readTimeout.count() * 1000),
                    Poco::Timespan(options_.readTimeout.count() * 1000));
    poco.setKeepAlive(true);
    // Reuse an idle connection for a few seconds at most: servers and proxies close idle
    // connections after 5 s or so, and Poco's default (8 s) outlives that.
    poco.setKeepAliveTimeout(Poco::Timespan(std::chrono::seconds(keepAliveIdle).count(), 0));
    return session;
}

void HttpClient::observe(HttpObserver observer) {
    std::lock_guard lock(mutex_);
    observer_ = std::move(observer);
}

HttpResponse HttpClient::send(const HttpRequest& request, const HttpObserver& record) {
    std::unique_lock lock(mutex_);
    if (!observer_ && !record) {
        return sendLocked(request);
    }
    HttpExchange exchange;
    exchange.method = request.method;
    exchange.url = baseUrl_ + request.target;
    exchange.requestHeaders = request.headers;
    exchange.requestBody = request.body;
    exchange.secretFields = request.secretFields;
    exchange.startedAt = std::chrono::system_clock::now();
    const auto started = std::chrono::steady_clock::now();
    const HttpObserver observer = observer_;
    auto finish = [&] {
        exchange.duration = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - started);
        lock.unlock();
        if (record) {
            record(exchange);
        }
        if (observer) {
            observer(exchange);
        }
    };
    try {
        HttpResponse response = sendLocked(request);
        exchange.status = response.status;
        exchange.responseBody = response.body;
        finish();
        return response;
    } catch (const TransportError& e) {
        exchange.error = e.what();
        finish();
        throw;
    }
}

HttpResponse HttpClient::sendLocked(const HttpRequest& request) {
    const bool safe = isSafeMethod(request.method);
    try {
        return exchangeOnce(request, false);
    } catch (const ResendSafely& first) {
        // The request went out on a kept-alive connection and no answer came back: the server had
        // most likely closed it. A GET changes nothing, so it goes once more on a new connection;
        // anything else may have been applied and is left to the caller to find out about.
        if (!safe) {
            throw TransportError(TransportError::Stage::Exchange, first.message);
        }
        try {
            return exchangeOnce(request, true);
        } catch (const ResendSafely& second) {
            throw TransportError(TransportError::Stage::Exchange, second.message);
        }
    }
}

HttpResponse HttpClient::exchangeOnce(const HttpRequest& request, bool forceFresh) {
    const std::string where = request.method + " " + baseUrl_ + request.target;
    const auto now = std::chrono::steady_clock::now();
    const bool safe = isSafeMethod(request.method);
    const bool fresh =
        forceFresh || (!safe && session_ && now - session_->lastUsed > maxIdleBeforeStateChange);

    // Connect: nothing has been sent yet, so trying again is safe for every method.
    const int attempts = std::max(1, options_.connectAttempts);
    bool reused = false;
    for (int attempt = 1;; ++attempt) {
        try {
            if (!session_) {
                session_ = newSession();
            }
            reused = !session_->connectIfNeeded(fresh || attempt > 1);
            break;
        } catch (const Poco::Exception& e) {
            session_.reset();
            if (attempt >= attempts) {
                const bool tlsProblem = dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr;
                throw TransportError(
                    TransportError::Stage::Connect,
                    "could not connect to " + host_ + ":" + std::to_string(port_) + " for " +
                        where + ": " + e.displayText() +
                        (!tlsProblem ? std::string()
                         : options_.certificateSha256.empty()
                             ? std::string(" (the server's TLS certificate was not accepted; if "
                                           "it is signed by a private CA, set ca_file)")
                             : " (the server's TLS certificate is not the one pinned by "
                               "certificate_sha256 " +
                                   options_.certificateSha256 + ")") +
                        "; nothing was sent");
            }
        }
    }

    Poco::Net::HTTPRequest pocoRequest(request.method, basePath_ + request.target,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
    pocoRequest.setKeepAlive(true);
    pocoRequest.set("User-Agent", options_.userAgent);
    for (const auto& [name, value] : request.headers) {
        pocoRequest.set(name, value);
    }
    if (!request.contentType.empty()) {
        pocoRequest.setContentType(request.contentType);
    }
    if (!request.body.empty() || !safe) {
        pocoRequest.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }

    HttpResponse response;
    bool answered = false; // the status line and headers arrived
    const auto failed = [&](const std::string& why) {
        session_.reset();
        const std::string message =
            "no complete answer to " + where + ": " + why + "; the request may have been applied";
        if (reused && !answered) {
            throw ResendSafely{message};
        }
        throw TransportError(TransportError::Stage::Exchange, message);
    };
    try {
        auto& poco = session_->poco();
        std::ostream& out = poco.sendRequest(pocoRequest);
        out << request.body;
        Poco::Net::HTTPResponse pocoResponse;
        std::istream& in = poco.receiveResponse(pocoResponse);
        answered = true;
        Poco::StreamCopier::copyToString(in, response.body);
        if (in.bad()) {
            throw Poco::IOException("the answer was cut off");
        }
        response.status = static_cast<int>(pocoResponse.getStatus());
        response.reason = pocoResponse.getReason();
        for (const auto& [name, value] : pocoResponse) {
            response.headers.emplace_back(name, value);
        }
        if (!pocoResponse.getKeepAlive()) {
            session_.reset();
        } else {
            session_->lastUsed = std::chrono::steady_clock::now();
            if (const auto idle = serverKeepAlive(pocoResponse)) {
                const auto current =
                    std::chrono::seconds(session_->poco().getKeepAliveTimeout().totalSeconds());
                if (*idle < current) {
                    session_->poco().setKeepAliveTimeout(Poco::Timespan(idle->count(), 0));
                }
            }
        }
    } catch (const Poco::Exception& e) {
        failed(e.displayText());
    } catch (const std::ios_base::failure& e) {
        failed(e.what());
    }
    return response;
}

} // namespace fiscpos::core
