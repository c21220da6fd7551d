#include "plugin/http_api/sms_report_endpoint.hpp"

#include "core/errors.hpp"
#include "core/secret_compare.hpp"
#include "plugin/receipt_delivery.hpp"

namespace fiscpos::plugin::http_api {

SmsReportEndpoint::SmsReportEndpoint(PaymentRuntime& runtime, std::string token, ServeLog& log)
    : runtime_(runtime)
    , token_(std::move(token))
    , log_(log)
    , module_(sms::smsGatewayModule(runtime.config()))
    , gateway_(sms::smsGatewayFromConfig(runtime.config(),
                                         core::httpOptions(runtime.config(), "sms"))) {}

ServeResponse SmsReportEndpoint::handle(const ServeRequest& request, const std::string& rest) {
    if (rest.find('/') != std::string::npos || !core::secretEquals(rest, token_)) {
        return ServeResponse::notFound();
    }
    if (request.method != "GET" && request.method != "POST") {
        return ServeResponse::error(405, "method", "delivery reports come by GET or POST");
    }
    ++reports_;
    std::vector<sms::DeliveryReport> reports;
    try {
        if (!module_.readReports) {
            throw core::ResponseError("callback", module_.title + " sends no delivery reports");
        }
        reports = module_.readReports(request);
    } catch (const core::InputError& e) {
        ++unreadable_;
        log_.line("sms report: unreadable, " + std::string(e.what()));
        return ServeResponse::error(400, "input", e.what(), e.field());
    }
    ReceiptDelivery outbox(runtime_.journal());
    for (auto report : reports) {
        std::string note = "as the callback said";
        // A hint is confirmed by asking the gateway, where it can be asked.
        try {
            const std::lock_guard lock(gatewayMutex_);
            if (const auto asked = gateway_->deliveryOf(report.gatewayId)) {
                report.state = asked->state;
                report.status = asked->status;
                note = "confirmed by " + module_.title + "'s delivery look-up";
            }
        } catch (const core::Error& e) {
            report.state = sms::DeliveryState::Pending;
            note = std::string("not confirmed (") + e.what() + "): kept as pending";
        }
        const auto outcome = outbox.recordReport(report, note);
        const char* what = outcome == ReceiptDelivery::ReportOutcome::Recorded ? "recorded"
                           : outcome == ReceiptDelivery::ReportOutcome::Repeated
                               ? "a repeat, ignored"
                               : "names no SMS this journal sent, ignored";
        (outcome == ReceiptDelivery::ReportOutcome::Recorded   ? recorded_
         : outcome == ReceiptDelivery::ReportOutcome::Repeated ? repeated_
                                                               : unknown_)++;
        log_.line("sms report: " + report.gatewayId + " " + sms::deliveryStateName(report.state) +
                  " (" + report.status + "), reference " + report.reference + ": " + what);
    }
    return ServeResponse::json(200, core::Json{{"ok", true}});
}

core::Json SmsReportEndpoint::stats() const {
    return {{"reports", reports_.load()},
            {"recorded", recorded_.load()},
            {"repeated", repeated_.load()},
            {"unknown", unknown_.load()},
            {"unreadable", unreadable_.load()}};
}

std::string SmsReportEndpoint::registration() const {
    return module_.title + " delivery reports: [sms] callback_url = <this server's public URL>" +
           "/webhooks/sms/{webhook_token}";
}

} // namespace fiscpos::plugin::http_api
