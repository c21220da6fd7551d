#include "plugin/journal/journal_event.hpp"

#include "core/http_client.hpp"

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
    if (exchange.status != 0) {
        record.httpStatus = exchange.status;
        record.responseBody = exchange.responseBody;
    }
    record.durationUs = static_cast<std::int64_t>(exchange.duration.count());
    if (!exchange.requestHeaders.empty()) {
        std::string lines;
        for (const auto& [name, value] : exchange.requestHeaders) {
            lines += name + ": " + value + "\n";
        }
        record.requestHeaders = std::move(lines);
    }
    record.requestBody = exchange.requestBody;
    if (!exchange.error.empty()) {
        record.transportError = exchange.error;
    }
    return record;
}

} // namespace fiscpos::plugin
