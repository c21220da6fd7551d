#include "plugin/journal/journal_event.hpp"

#include "core/http_client.hpp"
#include "plugin/journal/redaction.hpp"

namespace fiscpos::plugin {

EventRecord EventRecord::make(std::string kind, std::optional<std::string> note) {
    EventRecord record;
    record.kind = std::move(kind);
    record.note = std::move(note);
    return record;
}

EventRecord EventRecord::fromExchange(std::string kind, const core::HttpExchange& exchange) {
    EventRecord record;
    record.kind = std::move(kind);
    record.httpMethod = exchange.method;
    record.url = exchange.url;
    // The fields this exchange declared secret are removed here, while they are known; the
    // journal's own rules apply to every record when it is written.
    const MoreSecrets secret = exchange.secretFields;
    auto kept = [&secret](const std::string& body) {
        return secret.empty() ? body : redactBody(body, secret);
    };
    if (exchange.status != 0) {
        record.httpStatus = exchange.status;
        record.responseBody = kept(exchange.responseBody);
    }
    record.durationUs = static_cast<std::int64_t>(exchange.duration.count());
    if (!exchange.requestHeaders.empty()) {
        std::string lines;
        for (const auto& [name, value] : exchange.requestHeaders) {
            lines += name + ": " + value + "\n";
        }
        record.requestHeaders = std::move(lines);
    }
    record.requestBody = kept(exchange.requestBody);
    if (!exchange.error.empty()) {
        record.transportError =
            secret.empty() ? exchange.error : redactText(exchange.error, secret);
    }
    return record;
}

} // namespace fiscpos::plugin
