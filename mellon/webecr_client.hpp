// The WebECR wire protocol: the integrator account's token, pairing (redeem), the terminal list,
// transaction intents (txninit, txnvoid), and the intent and transaction lists.
//
// Every business call carries "Authorization: Bearer <access>" and "X-Api-Key". The access token
// is cached until its `exp`; a 401 that refuses the token (simplejwt's token_not_valid) makes the
// client refresh it (or log in again when the refresh token is refused, or when the refused
// token was just issued) and try the call once more. A 401 or 403 that refuses the API key under
// a token the network accepts means the merchant revoked the pairing: PairingRequired, never a
// failed payment. Errors quote answers through core/body_quote (credential answers never).
//
// txninit and txnvoid with a Timeout above 0 go out on a connection of their own whose read
// timeout is the settings' read timeout plus that Timeout, so the network may hold the answer
// until the terminal finishes; every other call keeps the normal read timeout.
//
// txninit and txnvoid are never sent twice after a failure that may have reached the server: a
// core::TransportError with an unknown outcome reaches the caller unchanged, and so does an
// answer that leaves the outcome open (5xx, an unreadable 2xx); the caller then asks by its
// CustomerReference. The token calls change nothing payment-wise and are tried again once.
#pragma once

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "core/token_session.hpp"
#include "mellon/webecr_records.hpp"
#include "mellon/webecr_settings.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::mellon {

// The network refuses the API key even under a fresh token: the merchant revoked the pairing.
// Nothing was charged; the installer must pair the terminal again.
class PairingRequired : public core::Error {
public:
    explicit PairingRequired(const std::string& message)
        : core::Error("pair_again", message) {}
};

// The network refused an intent outright (HTTP 4xx other than the authentication answers): the
// intent was not created, nothing was charged.
using IntentRefused = core::RequestRefused;

// The body of txninit: a sale (TxnType 0) or a refund (1).
struct TxnInit {
    int txnType = 0;
    core::Money amount; // with a provider signature: its Payable
    core::Money tip;
    core::Money cashback;
    std::string customerReference; // ours, fresh per attempt, journaled before the call
    std::optional<std::string> customerEmail, customerPhone;
    // Refund: the original transaction's Id (sent as a number when it is all digits) or its
    // TransactionId.
    std::optional<std::string> initialTransaction;
    int timeoutSeconds = 0; // 0: answer at once; at most 180
    int paymentType = 0;    // 0 card, 1 IRIS
    // A preloaded sale: PreloadTransaction true and PreloadExpiration in minutes.
    std::optional<int> preloadMinutes;
    core::Json providerData; // null: omitted
};

// The body of txnvoid.
struct TxnVoid {
    enum class By { IntentId = 1, TransactionId = 2 };
    std::string originalIdentifier;
    By by = By::IntentId;
    // Not in the published body; sent so that the void can be found by our reference later.
    std::string customerReference;
    std::optional<std::string> customerEmail, customerPhone;
    int timeoutSeconds = 0;
};

// The JSON bodies, as sent.
core::Json txnInitBody(const TxnInit& request, int currencyCode);
core::Json txnVoidBody(const TxnVoid& request);

class WebEcrClient {
public:
    // Checks the settings for the account (url, username, password; ConfigError naming the
    // setting). What a call needs beyond that (api_key, pos_id) is checked by the call. The clock
    // judges the access token's `exp`; it must outlive the client.
    explicit WebEcrClient(WebEcrSettings settings, const core::Clock& clock = core::systemClock());

    // The settings in use (with the API key of the last redeem or setApiKey).
    WebEcrSettings settings() const;

    // Logs in now (POST {auth}/token/); otherwise the first call does. A refused username or
    // password is a ConfigError naming <section>.password.
    void login(const core::HttpObserver& record = {});

    // Pairs: redeems the code the terminal shows, returns the API key and uses it from now on.
    // A code the network refuses is an InputError naming "code".
    std::string redeem(const std::string& code, const core::HttpObserver& record = {});
    // Replaces the API key (after a pairing made elsewhere).
    void setApiKey(std::string apiKey);

    // The terminals of the account, every page.
    std::vector<TerminalInfo> terminals(const core::HttpObserver& record = {});

    // Creates an intent on settings().posId. IntentRefused on a 4xx; a TransportError with an
    // unknown outcome on anything that leaves open whether the intent was created (a connection
    // dropped while the network held the answer included). A Timeout outside 0..180 is an
    // InputError naming "Timeout".
    Intent txninit(const TxnInit& request, const core::HttpObserver& record = {});
    Intent txnvoid(const TxnVoid& request, const core::HttpObserver& record = {});

    // The intents made with this CustomerReference (normally one), every page.
    std::vector<Intent> intentsByReference(const std::string& reference,
                                           const core::HttpObserver& record = {});
    // The newest of them; nullopt when the network has none.
    std::optional<Intent> intentByReference(const std::string& reference,
                                            const core::HttpObserver& record = {});
    // The intents created in [from, to], every page.
    std::vector<Intent> intentsByPeriod(core::TimePoint from, core::TimePoint to,
                                        const core::HttpObserver& record = {});
    // The transactions of a terminal since `since` (and until `until`), every page.
    std::vector<Transaction> transactions(const std::string& tid, core::TimePoint since,
                                          std::optional<core::TimePoint> until = std::nullopt,
                                          const core::HttpObserver& record = {});
    // The transactions of a terminal since `since`, asked with our CustomerReference as a filter
    // too, so a network that honours it answers one short page. A network that ignores it
    // answers the whole period (the caller picks its record out); one that refuses the filter
    // (400) is asked again without it.
    std::vector<Transaction> transactionsByReference(const std::string& tid,
                                                     const std::string& reference,
                                                     core::TimePoint since,
                                                     const core::HttpObserver& record = {});

private:
    std::string authPath(const std::string& path) const; // {prefix}/token/...
    std::string apiPath(const std::string& path) const;  // {prefix}/{version}/...

    // A login with the integrator account, and a refresh (nullopt when refused).
    core::BearerToken obtainToken(const core::HttpObserver& record);
    std::optional<core::BearerToken> refreshToken(const core::BearerToken& current,
                                                  const core::HttpObserver& record);
    core::HttpResponse sendTokenCall(const core::HttpRequest& request,
                                     const core::HttpObserver& record);

    // Sends with Bearer (and X-Api-Key when withKey), renewing the token once on 401/403, on
    // `http` (the normal connection when null).
    core::HttpResponse call(core::HttpRequest request, bool withKey,
                            const core::HttpObserver& record, core::HttpClient* http = nullptr);
    // The connection for a call the network may hold for `waitSeconds` (> 0): its read timeout
    // is the normal one plus the wait. Made once per distinct wait.
    core::HttpClient& waitingHttp(int waitSeconds);
    // GET of a list, following `next` across pages.
    std::vector<core::Json> list(const std::string& path, const std::string& query,
                                 std::string_view what, const core::HttpObserver& record);
    Intent createIntent(const std::string& kind, const core::Json& body, int timeoutSeconds,
                        const core::HttpObserver& record);
    std::string apiKey() const;
    // ConfigError naming the setting when the settings do not cover `need`.
    void require(WebEcrSettings::Need need) const;

    WebEcrSettings settings_;
    core::HttpClient http_;
    std::mutex waitMutex_;                                      // guards waitHttp_
    std::map<int, std::unique_ptr<core::HttpClient>> waitHttp_; // by the wait, in seconds
    mutable std::mutex keyMutex_;                               // guards settings_.apiKey
    core::TokenSession tokens_;
};

// Query strings: key=value pairs joined with '&', values percent-encoded.
std::string queryString(const std::vector<std::pair<std::string, std::string>>& params);
// The target of the next page: our own path with the query of the `next` URL the server gave.
std::string nextTarget(const std::string& path, const std::string& next);

} // namespace fiscpos::mellon
