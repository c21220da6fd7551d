#include "sim/viva/viva_http.hpp"

#include "core/errors.hpp"
#include "sim/server/sim_text.hpp"

#include <Poco/String.h>

namespace fiscpos::sim::viva {

namespace {

using core::Json;

Json webhookSettingsJson(const WebhookSettings& settings) {
    return Json{{"url", settings.url},
                {"duplicate", settings.duplicate},
                {"skip", settings.skip},
                {"retry_after_seconds", settings.retryAfter.count() / 1000},
                {"max_retries", settings.maxRetries}};
}

std::int64_t wholeSetting(const Json& body, const std::string& key, std::int64_t current,
                          std::int64_t min) {
    const auto it = body.find(key);
    if (it == body.end()) {
        return current;
    }
    if (!it->is_number_integer() || it->get<std::int64_t>() < min) {
        throw HttpError::problem(400, key + ": must be a whole number of at least " +
                                          std::to_string(min));
    }
    return it->get<std::int64_t>();
}

} // namespace

bool hasContentType(const SimRequest& request, std::string_view mediaType) {
    std::string type = Poco::toLower(request.header("Content-Type"));
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    return type == mediaType;
}

Json readObject(const SimRequest& request, bool emptyIsObject) {
    return readJsonObject(
        request.body, "request body", emptyIsObject,
        "The request body is not JSON: ", "The request body must be a JSON object.",
        [](const std::string& text) { return HttpError::problem(400, text); });
}

void requirePost(const SimRequest& request, const std::string& path) {
    if (request.method != "POST") {
        throw HttpError::problem(405, path + " takes POST");
    }
}

bool booleanSetting(const Json& body, const std::string& key, bool current) {
    const auto it = body.find(key);
    if (it == body.end()) {
        return current;
    }
    if (!it->is_boolean()) {
        throw HttpError::problem(400, key + ": must be true or false");
    }
    return it->get<bool>();
}

HttpError::HttpError(SimResponse response)
    : std::runtime_error("HTTP " + std::to_string(response.status) + " " + response.body)
    , response_(std::move(response)) {}

HttpError::HttpError(int status, const Json& body)
    : HttpError(SimResponse::json(status, body)) {}

HttpError HttpError::problem(int status, const std::string& detail) {
    const char* title = status == 400   ? "Bad Request"
                        : status == 401 ? "Unauthorized"
                        : status == 403 ? "Forbidden"
                        : status == 404 ? "Not Found"
                        : status == 405 ? "Method Not Allowed"
                        : status == 409 ? "Conflict"
                                        : "Error";
    SimResponse response =
        SimResponse::json(status, Json{{"type", "https://tools.ietf.org/html/rfc9110"},
                                       {"title", title},
                                       {"status", status},
                                       {"detail", detail}});
    response.contentType = "application/problem+json";
    return HttpError(std::move(response));
}

SimResponse emptyAnswer(int status) {
    SimResponse response;
    response.status = status;
    response.contentType.clear();
    return response;
}

SimResponse webhookControl(Merchant& merchant, const SimRequest& request,
                           const std::string& action) {
    Webhooks& webhooks = merchant.webhooks();
    if (action == "webhooks/verify") {
        requirePost(request, "/_control/webhooks/verify");
        return SimResponse::json(200, webhooks.verify(merchant.options().webhookKey));
    }
    if (request.method == "POST") {
        const Json body = readObject(request, true);
        WebhookSettings settings = webhooks.settings();
        if (const auto it = body.find("url"); it != body.end()) {
            if (!it->is_string() && !it->is_null()) {
                throw HttpError::problem(400, "url: must be a string or null");
            }
            const std::string url = it->is_null() ? "" : it->get<std::string>();
            try {
                checkWebhookUrl(url, "url");
            } catch (const core::ConfigError& e) {
                throw HttpError::problem(400, e.what());
            }
            settings.url = url;
        }
        settings.duplicate = booleanSetting(body, "duplicate", settings.duplicate);
        settings.skip = wholeSetting(body, "skip", settings.skip, 0);
        settings.retryAfter = Millis(
            wholeSetting(body, "retry_after_seconds", settings.retryAfter.count() / 1000, 1) *
            1000);
        settings.maxRetries =
            static_cast<int>(wholeSetting(body, "max_retries", settings.maxRetries, 0));
        webhooks.setSettings(settings);
    } else if (request.method != "GET") {
        throw HttpError::problem(405, "/_control/webhooks takes GET and POST");
    }
    Json json = webhookSettingsJson(webhooks.settings());
    json["deliveries"] = webhooks.deliveries();
    return SimResponse::json(200, json);
}

} // namespace fiscpos::sim::viva
