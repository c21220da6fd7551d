#include "core/token_session.hpp"

#include "core/errors.hpp"

namespace fiscpos::core {

TokenSession::TokenSession(const Clock& clock, Login login, Refresh refresh)
    : clock_(clock)
    , login_(std::move(login))
    , refresh_(std::move(refresh)) {}

BearerToken TokenSession::loginLocked(const HttpObserver& record) {
    BearerToken token = login_(record);
    token.generation = token_.generation + 1;
    token_ = std::move(token);
    return token_;
}

BearerToken TokenSession::refreshOrLoginLocked(const HttpObserver& record) {
    if (refresh_ && !token_.refresh.empty()) {
        if (auto refreshed = refresh_(token_, record)) {
            if (refreshed->refresh.empty()) {
                refreshed->refresh = token_.refresh; // not rotated
            }
            refreshed->generation = token_.generation + 1;
            token_ = std::move(*refreshed);
            return token_;
        }
    }
    return loginLocked(record);
}

BearerToken TokenSession::current(bool& issued, const HttpObserver& record) {
    std::lock_guard lock(mutex_);
    issued = false;
    if (token_.access.empty()) {
        issued = true;
        return loginLocked(record);
    }
    if (token_.renewAt && clock_.now() >= *token_.renewAt) {
        issued = true;
        return refreshOrLoginLocked(record);
    }
    return token_;
}

BearerToken TokenSession::renew(const BearerToken& used, bool byLogin, const HttpObserver& record) {
    std::lock_guard lock(mutex_);
    if (token_.generation != used.generation && !token_.access.empty()) {
        return token_; // another caller replaced it meanwhile
    }
    return byLogin ? loginLocked(record) : refreshOrLoginLocked(record);
}

void TokenSession::login(const HttpObserver& record) {
    std::lock_guard lock(mutex_);
    loginLocked(record);
}

std::uint64_t TokenSession::obtained() const {
    std::lock_guard lock(mutex_);
    return token_.generation;
}

HttpResponse TokenSession::send(const std::function<HttpResponse(const std::string&)>& send,
                                const std::function<bool(const HttpResponse&, bool)>& renewOn,
                                const std::function<bool()>& mayResend,
                                const HttpObserver& record) {
    bool issued = false;
    BearerToken token = current(issued, record);
    HttpResponse response = send(token.access);
    if (!renewOn(response, issued)) {
        return response;
    }
    // A token just issued and refused anyway (clocks differ, servers revoke) is replaced by a
    // login: a refresh would only extend what was refused.
    token = renew(token, issued, record);
    if (mayResend && !mayResend()) {
        return response;
    }
    return send(token.access);
}

HttpResponse sendTokenRequest(HttpClient& http, const HttpRequest& request,
                              const HttpObserver& record) {
    for (int attempt = 1;; ++attempt) {
        try {
            HttpResponse response = http.send(request, record);
            if (response.status >= 500 && attempt < 2) {
                continue;
            }
            return response;
        } catch (const TransportError&) {
            if (attempt >= 2) {
                throw;
            }
        }
    }
}

} // namespace fiscpos::core
