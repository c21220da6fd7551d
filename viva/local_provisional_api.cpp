#include "viva/local_provisional_api.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

namespace fiscpos::viva::local {

void requireExplicitPort(const std::string& url, const std::string& setting) {
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const std::string authority = url.substr(start, url.find('/', start) - start);
    // [v6]:port or host:port
    const auto close = authority.rfind(']');
    const auto colon = authority.rfind(':');
    const bool hasPort =
        colon != std::string::npos && (close == std::string::npos || colon > close) &&
        colon + 1 < authority.size() && core::allDigits(authority.substr(colon + 1));
    if (!hasPort) {
        throw core::ConfigError(setting, "\"" + url +
                                             "\" names no port: the Viva terminal app shows the "
                                             "port of its peer-to-peer API, write it as "
                                             "https://IP:PORT (there is no standard port)");
    }
}

std::string sessionPath(const std::string& sessionId) {
    return std::string("/pos/v1/sessions/") + sessionId;
}

State stateOf(std::string_view text) {
    if (text == "PROCESSING") {
        return State::Processing;
    }
    if (text == "SUCCESS") {
        return State::Success;
    }
    if (text == "FAILURE") {
        return State::Failure;
    }
    if (text == "SESSION_NOT_FOUND_ERROR") {
        return State::SessionNotFound;
    }
    if (text == "SERVER_ERROR") {
        return State::ServerError;
    }
    if (text == "BUSY_ERROR") {
        return State::Busy;
    }
    return State::Other;
}

std::optional<std::string> stateOfAnswer(const core::HttpResponse& response) {
    try {
        const core::Json json =
            core::parseJson(response.body, "answer", core::JsonOrigin::Response);
        if (json.is_object() && json.contains("state") && json["state"].is_string()) {
            return json["state"].get<std::string>();
        }
    } catch (const core::InputError&) {
        // not JSON
    }
    return std::nullopt;
}

core::Json preauthCompletionBody(const core::Json& refundBody) {
    return refundBody;
}

NotFoundMeaning notFoundMeaning(SendRecord record, std::chrono::seconds sinceSent) {
    switch (record) {
    case SendRecord::NeverLeft:
        return NotFoundMeaning::NeverArrived;
    case SendRecord::Unacknowledged:
        return sinceSent <= neverArrivedWithin ? NotFoundMeaning::NeverArrived
                                               : NotFoundMeaning::InDoubt;
    case SendRecord::Acknowledged:
    case SendRecord::Unknown:
        break;
    }
    return NotFoundMeaning::InDoubt;
}

} // namespace fiscpos::viva::local
