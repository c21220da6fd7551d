// A client's bearer token for a network's API: obtained by a login, renewed by a refresh where the
// network offers one (else by a new login) when due, and replaced once when the network refuses
// it. One login serves every caller: the session is locked while a token is obtained. What a
// login and a refresh send, and how an answer tells a refused token from a refused key, are the
// network's; the lifecycle is here.
#pragma once

#include "core/clock.hpp"
#include "core/http_client.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::core {

struct BearerToken {
    std::string access;
    std::string refresh;              // "": none (the next renewal is a login)
    std::optional<TimePoint> renewAt; // renewed before its next use from then on
    std::uint64_t generation = 0;     // set by the session: counts the tokens obtained
};

class TokenSession {
public:
    // A new token (throws the network's errors); its exchanges go to `record`.
    using Login = std::function<BearerToken(const HttpObserver& record)>;
    // The token `current` refreshed, or nullopt when the network would not (a login follows).
    using Refresh = std::function<std::optional<BearerToken>(const BearerToken& current,
                                                             const HttpObserver& record)>;

    TokenSession(const Clock& clock, Login login, Refresh refresh = {});

    // A usable token: a login when there is none, a refresh (else a login) when it is due.
    // `issued` says whether it was obtained for this call. A login or refresh made for it goes to
    // the call's `record`.
    BearerToken current(bool& issued, const HttpObserver& record = {});
    // After the network refused `used`: a refresh, else a login (`byLogin`: a login), unless
    // another caller has replaced it meanwhile.
    BearerToken renew(const BearerToken& used, bool byLogin = false,
                      const HttpObserver& record = {});
    void login(const HttpObserver& record = {});
    // How many tokens have been obtained.
    std::uint64_t obtained() const;

    // Sends under the current token (`send` gets the access token). When `renewOn(answer,
    // issued)` says the token should be replaced, it is replaced once — by a login when it had
    // just been issued — and, unless `mayResend` (asked after the renewal) says no, the request
    // is sent again. The caller reads what the last answer means; a request the network refused
    // was not applied, so sending it again is safe unless `mayResend` knows better. Logins and
    // refreshes go to `record`, like the requests `send` makes.
    HttpResponse send(const std::function<HttpResponse(const std::string& access)>& send,
                      const std::function<bool(const HttpResponse&, bool issued)>& renewOn,
                      const std::function<bool()>& mayResend = {}, const HttpObserver& record = {});

private:
    BearerToken loginLocked(const HttpObserver& record);
    BearerToken refreshOrLoginLocked(const HttpObserver& record);

    const Clock& clock_;
    Login login_;
    Refresh refresh_;
    mutable std::mutex mutex_;
    BearerToken token_;
};

// Sends a request for a token (a login or a refresh), once more after a 5xx answer or a failed
// exchange: a token request changes nothing payment-wise. Each exchange goes to `record`.
HttpResponse sendTokenRequest(HttpClient& http, const HttpRequest& request,
                              const HttpObserver& record = {});

} // namespace fiscpos::core
