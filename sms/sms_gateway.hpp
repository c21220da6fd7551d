// What an SMS gateway is to fiscpos: one call that sends one text to one number, once, and says
// what became of it in the terms the receipt outbox acts on (contract receipt-delivery.md §8):
// accepted (with the gateway's id), refused (nothing sent: sending again is safe), or unknown
// (it may have been sent: never sent again by itself).
//
// The [sms] section of the configuration picks the gateway (`gateway = yuboto | routee`); each
// gateway's folder fills in one SmsGatewayModule with the keys it reads beyond the common ones,
// and sms/builtin_gateways.cpp is the one file that names them. Keys every gateway takes:
//   gateway       yuboto | routee
//   url           the gateway's API (default: its production host)
//   sender        the registered sender id: Latin letters and digits, at most 11 (or a number of
//                 at most 20 digits)
//   encoding      ucs2 (default) | gsm7-greek-caps (sms_text.hpp)
//   max_parts     the most parts a text may cost (default 2, at most 10)
//   callback_url  where the gateway pushes delivery reports (optional; https, or http to this
//                 machine)
//   ca_file, connect_timeout_ms, read_timeout_ms   as in every section with a URL
// Any other key in [sms] is refused, naming it.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/http_server.hpp"
#include "core/json.hpp"
#include "sms/sms_text.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::sms {

struct SmsMessage {
    std::string to;        // E.164, "+3069..." (normalisedNumber)
    std::string text;      // UTF-8, as written; the gateway applies [sms] encoding
    std::string reference; // our outbox id: 1 to 40 of A-Z a-z 0-9 . _ -
};

struct SmsAccepted {
    std::string gatewayId; // Yuboto's Message[0].id, Routee's trackingId
    int parts = 0;         // as the gateway counted them, else as fiscpos did
    std::string status;    // as the gateway said it: "Submitted", "Queued"
};

// The gateway answered that it did not take the message (a 4xx, 429 among them, or Yuboto's
// ErrorCode other than 0): nothing was sent, and sending again is safe.
class SmsRefused : public core::Error {
public:
    // `status`: the HTTP status of the answer (200 for a refusal in a 200's body).
    SmsRefused(const std::string& gateway, int status, std::string reason);
    int status() const noexcept { return status_; }
    // The gateway's own words (its error code and message), redacted.
    const std::string& reason() const noexcept { return reason_; }

private:
    int status_;
    std::string reason_;
};

// The message may have been sent: the gateway answered 5xx, or a 2xx fiscpos could not read an
// id from (the message names the field). Never sent again by itself (no idempotency key exists).
class SmsOutcomeUnknown : public core::Error {
public:
    explicit SmsOutcomeUnknown(const std::string& message)
        : core::Error("sms_unknown", message) {}
};

// What a delivery report says of a message (contract receipt-delivery.md §7).
enum class DeliveryState { Pending, Delivered, Failed };
// "PENDING", "DELIVERED", "FAILED".
const char* deliveryStateName(DeliveryState state);

// One delivery report: a gateway's callback to callback_url, or its answer to a look-up.
struct DeliveryReport {
    std::string reference; // ours, as the gateway echoes it (Yuboto option1, Routee label)
    std::string gatewayId; // the gateway's message id
    int part = 1;          // Routee reports each part of a long text
    int parts = 1;
    DeliveryState state = DeliveryState::Pending;
    std::string status; // the gateway's own word ("Delivered", "Undelivered", "Expired")
    core::Json raw;     // the report as received (a callback's query or body)
};

// The keys of [sms] every gateway reads (see the top of this file).
struct SmsSettings {
    std::string gateway;
    std::string url;
    std::string sender;
    SmsEncoding encoding = SmsEncoding::Ucs2;
    int maxParts = 2;
    std::string callbackUrl; // "": no delivery reports
    core::HttpOptions http;

    static std::string settingName(std::string_view key) { return "sms." + std::string(key); }
};

class SmsGateway {
public:
    virtual ~SmsGateway() = default;
    virtual const std::string& name() const = 0; // "yuboto"
    // The [sms] keys it sends under: prepareSms(message, settings()) checks a message beforehand.
    virtual const SmsSettings& settings() const = 0;

    // Sends once; never repeats a POST that may have been taken. The message is checked before any
    // HTTP call: core::InputError naming "sms.to", "sms.reference" or "sms.text" (a text longer
    // than max_parts, or not UTF-8). Then: SmsAccepted; SmsRefused (safe to send again);
    // core::TransportError (Stage::Connect: nothing sent; Stage::Exchange: outcome unknown) or
    // SmsOutcomeUnknown when it may have been sent; core::ConfigError naming the setting when the
    // gateway refuses the credentials while obtaining a token. Every HTTP exchange (token and
    // send) goes to `record`.
    virtual SmsAccepted send(const SmsMessage& message, const core::HttpObserver& record = {}) = 0;
    // Asks the gateway what became of the message `gatewayId` (a delivery-report look-up), where
    // it offers one; nullopt where it does not. A callback is a hint: this is how it is confirmed.
    virtual std::optional<DeliveryReport> deliveryOf(const std::string& gatewayId,
                                                     const core::HttpObserver& record = {}) {
        (void)gatewayId;
        (void)record;
        return std::nullopt;
    }
};

// A message checked against the settings, as a gateway sends it.
struct PreparedSms {
    std::string to;   // E.164 with '+'
    std::string text; // wireText() under the settings' encoding
    SmsLength length;
};

// Checks `message` (InputError naming "sms.to", "sms.reference" or "sms.text") and sizes its text
// under `settings`: a text of more than maxParts parts is refused.
PreparedSms prepareSms(const SmsMessage& message, const SmsSettings& settings);

// What a gateway's answer to a send means, as every gateway reads it: a 4xx is a refusal
// (SmsRefused with `refusalReason(response)`), another status but 2xx leaves the outcome unknown,
// and a 2xx is the JSON object `read` takes the message's id from; a core::ResponseError it throws
// (not JSON, no id: the fields it names) leaves the outcome unknown too (SmsOutcomeUnknown naming
// the field), while an SmsRefused it throws (a refusal in a 2xx's body) passes. `title` names the
// gateway.
SmsAccepted
readSendAnswer(const std::string& title, const core::HttpResponse& response,
               const std::function<std::string(const core::HttpResponse&)>& refusalReason,
               const std::function<SmsAccepted(const core::JsonFields&)>& read);

// An answer's id (`idKey`, text or number; a ResponseError naming it when missing) and `status`,
// with the parts fiscpos counted.
SmsAccepted acceptedMessage(const core::JsonFields& answer, std::string_view idKey, int parts);

// One gateway as the [sms] section chooses it.
struct SmsGatewayModule {
    std::string name;       // the value of `gateway`: "yuboto"
    std::string title;      // "Yuboto OMNI", for messages
    std::string defaultUrl; // the production API, when `url` is not set
    // The keys it reads from [sms] beyond the common ones ("api_key").
    std::vector<std::string> keys;
    // The gateway of `config`'s [sms], whose common keys `settings` holds (checked); it reads and
    // checks its own keys (ConfigError naming "sms.<key>").
    std::function<std::unique_ptr<SmsGateway>(const core::Config& config, SmsSettings settings,
                                              const core::Clock& clock)>
        make;
    // The delivery reports in one of its callbacks to callback_url (the request as fiscpos serve
    // received it); core::ResponseError naming the field when it is not one.
    std::function<std::vector<DeliveryReport>(const core::ServerRequest& request)> readReports;
};

class SmsGatewayRegistry {
public:
    // std::logic_error when a module of the same name is there already.
    void add(SmsGatewayModule module);
    const SmsGatewayModule* find(std::string_view name) const;
    std::string list() const; // "yuboto, routee"

private:
    std::vector<SmsGatewayModule> modules_;
};

// The gateways fiscpos is built with (sms/builtin_gateways.cpp: the one file naming them).
const SmsGatewayRegistry& builtinGateways();

// The gateway of the [sms] section. ConfigError naming "sms" when there is none, "sms.gateway"
// when it names no gateway, "sms.<key>" for a key that is unknown or cannot work. `http` are the
// options of its HTTP clients (core::httpOptions(config, "sms") reads them from [sms]).
// The module of the [sms] section (ConfigError as smsGatewayFromConfig says).
const SmsGatewayModule& smsGatewayModule(const core::Config& config);

std::unique_ptr<SmsGateway> smsGatewayFromConfig(const core::Config& config, core::HttpOptions http,
                                                 const core::Clock& clock = core::systemClock());

} // namespace fiscpos::sms
