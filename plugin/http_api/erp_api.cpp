#include "plugin/http_api/erp_api.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "plugin/c_abi/c_api_methods.hpp"
#include "plugin/http_api/journal_query.hpp"
#include "signing/provider_error.hpp"

#include <Poco/Exception.h>

namespace fiscpos::plugin::http_api {

namespace {

constexpr int refused = 1;
constexpr int inDoubt = 3;

ServeResponse withStatus(ServeResponse response, int status) {
    response.headers.emplace_back("X-Fiscpos-Status", std::to_string(status));
    return response;
}

ServeResponse failure(int http, int status, const std::string& code, const std::string& message,
                      const std::optional<std::string>& field = std::nullopt) {
    return withStatus(ServeResponse::error(http, code, message, field), status);
}

// Logs an error that is not the caller's fault and answers it.
ServeResponse logged(ServeLog& log, const std::string& what, int http, int status,
                     const core::Error& e, const std::optional<std::string>& field = std::nullopt) {
    log.line(what + ": " + e.what());
    return failure(http, status, e.code(), e.what(), field);
}

// Runs `body` and turns every exception into the answer that says what went wrong.
template <typename Body>
ServeResponse guarded(ServeLog& log, const std::string& what, Body&& body) {
    try {
        return body();
    } catch (const core::ConfigError& e) {
        return logged(log, what, 500, refused, e, e.field());
    } catch (const core::ResponseError& e) {
        return logged(log, what, 502, refused, e, e.field());
    } catch (const core::InputError& e) {
        return failure(e.field() == "method" ? 404 : 400, refused, e.code(), e.what(), e.field());
    } catch (const core::NotSupportedError& e) {
        return failure(400, refused, e.code(), e.what());
    } catch (const core::TransportError& e) {
        return logged(log, what, 502, e.outcomeUnknown() ? inDoubt : refused, e);
    } catch (const core::HttpStatusError& e) {
        return logged(log, what, 502, refused, e);
    } catch (const signing::ProviderError& e) {
        return logged(log, what, 502, refused, e);
    } catch (const core::Error& e) {
        return logged(log, what, 500, refused, e);
    } catch (const Poco::Exception& e) {
        log.line(what + ": " + e.displayText());
        return failure(500, refused, "internal", e.displayText());
    } catch (const std::exception& e) {
        log.line(what + ": " + e.what());
        return failure(500, refused, "internal", e.what());
    }
}

} // namespace

ErpApi::ErpApi(PaymentRuntime& runtime, ServeLog& log)
    : runtime_(runtime)
    , log_(log) {}

ServeResponse ErpApi::handle(const ServeRequest& request, const std::string& method) {
    if (method == "journal" && request.method == "GET") {
        return guarded(log_, "GET /api/journal", [&] { return journal(request); });
    }
    if (request.method != "POST") {
        ServeResponse answer =
            failure(405, refused, "input", "/api/" + method + " takes POST", "method");
        answer.headers.emplace_back("Allow", method == "journal" ? "GET, POST" : "POST");
        return answer;
    }
    return guarded(log_, "api " + printable(method, 40), [&] { return call(request, method); });
}

ServeResponse ErpApi::call(const ServeRequest& request, const std::string& method) {
    const std::string text = request.body.empty() ? "{}" : request.body;
    const core::Json json = core::parseJson(text, "request", core::JsonOrigin::Input);
    const ProgressListener progress = [this, &method](const std::string& entryId,
                                                      const std::string& step,
                                                      const std::string& message) {
        log_.line("api " + method + (entryId.empty() ? "" : " entry " + entryId) + ": " + step +
                  ": " + message);
    };
    c_abi::MethodResult result = c_abi::callMethod(runtime_, method, json, progress);
    if (result.response.is_object()) {
        result.response["status"] = result.status;
    }
    return withStatus(ServeResponse::json(200, result.response), result.status);
}

ServeResponse ErpApi::journal(const ServeRequest& request) {
    core::Json entries = core::Json::array();
    for (const auto& entry : runtime_.journal().list(journalFilterFrom(request))) {
        entries.push_back(entryToJson(entry));
    }
    return withStatus(
        ServeResponse::json(200, core::Json{{"ok", true}, {"status", 0}, {"entries", entries}}), 0);
}

} // namespace fiscpos::plugin::http_api
