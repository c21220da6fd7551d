// The delivery reports of the SMS gateway of [sms], at /webhooks/sms/{webhook_token} (GET for
// Yuboto, POST for Routee): set [sms] callback_url to that URL. A wrong or missing token gets the
// server's plain 404, compared in constant time. A report is a hint (gateways sign nothing): where
// the gateway can be asked (Yuboto's delivery look-up), what it answers is what is journaled;
// elsewhere the report as it came. The outbox (plugin/receipt_delivery.hpp) keeps it on the row
// its reference names and ignores repeats; every report leaves one log line.
#pragma once

#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/payment_runtime.hpp"
#include "sms/sms_gateway.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace fiscpos::plugin::http_api {

class SmsReportEndpoint {
public:
    // ConfigError naming the [sms] setting that cannot work.
    SmsReportEndpoint(PaymentRuntime& runtime, std::string token, ServeLog& log);

    // `rest`: the path below /webhooks/sms/.
    ServeResponse handle(const ServeRequest& request, const std::string& rest);
    // {"reports", "recorded", "repeated", "unknown", "unreadable"}
    core::Json stats() const;
    // The line to register with the gateway.
    std::string registration() const;

private:
    PaymentRuntime& runtime_;
    std::string token_;
    ServeLog& log_;
    const sms::SmsGatewayModule& module_;
    std::unique_ptr<sms::SmsGateway> gateway_;
    std::mutex gatewayMutex_; // one look-up at a time through the gateway's client
    std::atomic<std::int64_t> reports_{0}, recorded_{0}, repeated_{0}, unknown_{0}, unreadable_{0};
};

} // namespace fiscpos::plugin::http_api
