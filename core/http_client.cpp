#include "core/http_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

namespace fiscpos::core {

namespace {

using Poco::Net::HTTPClientSession;
using Poco::Net::HTTPSClientSession;

// A state-changing request goes out only on a connection made moments ago: a connection that sat
// idle may have been closed by the server, and a request lost on it would look like an unknown
// outcome although it never arrived.
constexpr auto maxIdleBeforeStateChange = std::chrono::milliseconds(1000);

void initialiseTlsOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        // A certificate that does not verify is rejected; nobody is ever asked to accept it.
        Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
            new Poco::Net::RejectCertificateHandler(false));
        Poco::Net::Context::Ptr context(new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_STRICT, 9, true));
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
    });
}

// Exposes the connect step of Poco's sessions, so a failure to connect (nothing sent) is told
// apart from a failure after the request left.
template <class Base> class ConnectingSession : public Base {
public:
    using Base::Base;
    void connectIfNeeded(bool fresh) {
        if (fresh || !this->connected() || this->mustReconnect()) {
            this->close();
            this->reconnect();
        }
    }
};

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
    virtual void connectIfNeeded(bool fresh) = 0;
    std::chrono::steady_clock::time_point lastUsed{};
};

namespace {

template <class PocoSession> class SessionOf final : public HttpClient::Session {
public:
    template <class... Args>
    explicit SessionOf(Args&&... args)
        : session_(std::forward<Args>(args)...) {}
    HTTPClientSession& poco() override { return session_; }
    void connectIfNeeded(bool fresh) override { session_.connectIfNeeded(fresh); }

private:
    ConnectingSession<PocoSession> session_;
};

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

HttpClient::HttpClient(const std::string& baseUrl, HttpOptions options, const std::string& setting)
    : baseUrl_(baseUrl)
    , options_(std::move(options)) {
    Poco::URI uri;
    try {
        uri = Poco::URI(baseUrl);
    } catch (const Poco::Exception& e) {
        throw ConfigError(setting, "\"" + baseUrl + "\" is not a URL (" + e.displayText() + ")");
    }
    const std::string scheme = uri.getScheme();
    if ((scheme != "http" && scheme != "https") || uri.getHost().empty()) {
        throw ConfigError(setting,
                          "\"" + baseUrl + "\" is not an http:// or https:// URL with a host name");
    }
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
    if (tls_) {
        initialiseTlsOnce();
        try {
            tlsContext_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE,
                                                 options_.caFile, Poco::Net::Context::VERIFY_STRICT,
                                                 9, options_.caFile.empty());
            tlsContext_->enableExtendedCertificateVerification(true);
        } catch (const Poco::Exception& e) {
            throw ConfigError(settingNextTo(setting, "ca_file"),
                              "the CA certificates could not be loaded: " + e.displayText());
        }
    }
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Session> HttpClient::newSession() const {
    std::unique_ptr<Session> session;
    if (tls_) {
        session = std::make_unique<SessionOf<HTTPSClientSession>>(host_, port_, tlsContext_);
    } else {
        session = std::make_unique<SessionOf<HTTPClientSession>>(host_, port_);
    }
    auto& poco = session->poco();
    poco.setTimeout(Poco::Timespan(options_.connectTimeout.count() * 1000),
                    Poco::Timespan(options_.readTimeout.count() * 1000),
                    Poco::Timespan(options_.readTimeout.count() * 1000));
    poco.setKeepAlive(true);
    return session;
}

void HttpClient::observe(HttpObserver observer) {
    std::lock_guard lock(mutex_);
    observer_ = std::move(observer);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
    std::unique_lock lock(mutex_);
    if (!observer_) {
        return sendLocked(request);
    }
    HttpExchange exchange;
    exchange.method = request.method;
    exchange.url = baseUrl_ + request.target;
    exchange.requestHeaders = request.headers;
    exchange.requestBody = request.body;
    exchange.startedAt = std::chrono::system_clock::now();
    const auto started = std::chrono::steady_clock::now();
    const HttpObserver observer = observer_;
    auto finish = [&] {
        exchange.duration = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - started);
        lock.unlock();
        observer(exchange);
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
    const std::string where = request.method + " " + baseUrl_ + request.target;
    const auto now = std::chrono::steady_clock::now();
    const bool fresh = !isSafeMethod(request.method) && session_ &&
                       now - session_->lastUsed > maxIdleBeforeStateChange;

    // Connect: nothing has been sent yet, so trying again is safe for every method.
    const int attempts = std::max(1, options_.connectAttempts);
    for (int attempt = 1;; ++attempt) {
        try {
            if (!session_) {
                session_ = newSession();
            }
            session_->connectIfNeeded(fresh || attempt > 1);
            break;
        } catch (const Poco::Exception& e) {
            session_.reset();
            if (attempt >= attempts) {
                const bool tlsProblem = dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr;
                throw TransportError(
                    TransportError::Stage::Connect,
                    "could not connect to " + host_ + ":" + std::to_string(port_) + " for " +
                        where + ": " + e.displayText() +
                        (tlsProblem ? " (the server's TLS certificate was not accepted; if it is "
                                      "signed by a private CA, set ca_file)"
                                    : "") +
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
    if (!request.body.empty() || !isSafeMethod(request.method)) {
        pocoRequest.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }

    HttpResponse response;
    try {
        auto& poco = session_->poco();
        std::ostream& out = poco.sendRequest(pocoRequest);
        out << request.body;
        Poco::Net::HTTPResponse pocoResponse;
        std::istream& in = poco.receiveResponse(pocoResponse);
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
        }
    } catch (const Poco::Exception& e) {
        session_.reset();
        throw TransportError(TransportError::Stage::Exchange,
                             "no complete answer to " + where + ": " + e.displayText() +
                                 "; the request may have been applied");
    } catch (const std::ios_base::failure& e) {
        session_.reset();
        throw TransportError(TransportError::Stage::Exchange,
                             "no complete answer to " + where + ": " + e.what() +
                                 "; the request may have been applied");
    }
    return response;
}

} // namespace fiscpos::core
