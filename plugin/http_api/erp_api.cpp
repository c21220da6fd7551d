#include "plugin/http_api/erp_api.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "plugin/c_abi/c_api_methods.hpp"
#include "plugin/http_api/journal_query.hpp"
#include "signing/provider_error.hpp"

#include <Poco/Exception.h>

#include <algorithm>

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

// 200 when the method answered (approved, not charged, in doubt, done); a method that answers a
// refusal without an error of its own (a receipt the gateway did not take) is a 502 with the error
// shape every 4xx and 5xx answer has, its answer kept beside it.
ServeResponse answered(c_abi::MethodResult result) {
    if (!result.response.is_object()) {
        result.response = core::Json{{"answer", result.response}};
    }
    result.response["status"] = result.status;
    if (result.status != refused) {
        return withStatus(ServeResponse::json(200, result.response), result.status);
    }
    std::string why = "refused";
    for (const auto& delivery : result.response.value("deliveries", core::Json::array())) {
        if (delivery.value("state", "") == "REFUSED") {
            why = delivery.value("channel", "") + " to " + delivery.value("to", "") +
                  " refused: " + delivery.value("detail", "");
            break;
        }
    }
    result.response["ok"] = false;
    result.response["error"] = {{"code", "refused"}, {"message", why}, {"field", nullptr}};
    return withStatus(ServeResponse::json(502, result.response), result.status);
}

} // namespace

ErpApi::ErpApi(PaymentRuntime& runtime, ServeLog& log)
    : runtime_(runtime)
    , log_(log)
    , shared_(std::make_shared<Shared>()) {
    shared_->log = &log_;
}

ErpApi::~ErpApi() {
    std::lock_guard lock(shared_->mutex);
    shared_->log = nullptr;
}

ServeResponse ErpApi::handle(const ServeRequest& request, const std::string& method) {
    if (method == "journal" && request.method == "GET") {
        return guarded(log_, "GET /api/journal", [&] { return journal(request); });
    }
    constexpr std::string_view progressPrefix = "progress/";
    if (method.starts_with(progressPrefix) && request.method == "GET") {
        return guarded(log_, "GET /api/progress",
                       [&] { return progress(request, method.substr(progressPrefix.size())); });
    }
    if (request.method != "POST") {
        const auto known = c_abi::methodNames();
        if (std::find(known.begin(), known.end(), method) == known.end()) {
            return failure(404, refused, "input",
                           "\"" + printable(method, 40) + "\" is not a method of the API",
                           "method");
        }
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
    if (request.header("Prefer").find("respond-async") != std::string::npos) {
        return start(json, method);
    }
    const ProgressListener progress = [this, &method](const std::string& entryId,
                                                      const std::string& step,
                                                      const std::string& message) {
        log_.line("api " + method + (entryId.empty() ? "" : " entry " + entryId) + ": " + step +
                  ": " + message);
    };
    return answered(c_abi::callMethod(runtime_, method, json, progress));
}

ServeResponse ErpApi::start(const core::Json& json, const std::string& method) {
    // The record exists before the start: the workers may report before the entry id is back.
    auto record = std::make_shared<Started>();
    const ProgressListener progress = [shared = shared_, record,
                                       method](const std::string& entryId, const std::string& step,
                                               const std::string& message) {
        std::lock_guard lock(shared->mutex);
        if (shared->log != nullptr) {
            shared->log->line("api " + method + (entryId.empty() ? "" : " entry " + entryId) +
                              ": " + step + ": " + message);
        }
        record->steps.push_back({{"step", step}, {"text", message}});
        shared->changed.notify_all();
    };
    const c_abi::StartedDone done = [shared = shared_, record,
                                     method](const std::function<c_abi::MethodResult()>& answer) {
        // The end is answered as POST /api/{method} would have answered it, errors included.
        ServeLog note([shared](const std::string& line) {
            std::lock_guard lock(shared->mutex);
            if (shared->log != nullptr) {
                shared->log->line(line);
            }
        });
        const ServeResponse response =
            guarded(note, "api " + printable(method, 40), [&] { return answered(answer()); });
        core::Json body = core::parseJson(response.body, "answer", core::JsonOrigin::Response);
        for (const auto& [name, value] : response.headers) {
            if (name == "X-Fiscpos-Status") {
                body["status"] = std::stoi(value);
            }
        }
        std::lock_guard lock(shared->mutex);
        record->ended = true;
        record->answer = std::move(body);
        record->endedAt = std::chrono::steady_clock::now();
        shared->changed.notify_all();
    };
    c_abi::MethodResult result = c_abi::startMethod(runtime_, method, json, progress, done);
    const std::string entryId = result.response["entry"]["id"].get<std::string>();
    {
        std::lock_guard lock(shared_->mutex);
        shared_->forgetOld();
        shared_->started[entryId] = record;
    }
    result.response["status"] = result.status;
    result.response["progress"] = "/api/progress/" + entryId;
    ServeResponse answer = withStatus(ServeResponse::json(202, result.response), result.status);
    answer.headers.emplace_back("Preference-Applied", "respond-async");
    answer.headers.emplace_back("Location", "/api/progress/" + entryId);
    return answer;
}

void ErpApi::Shared::forgetOld() {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(started, [&](const auto& item) {
        return item.second->ended && now - item.second->endedAt > std::chrono::minutes(10);
    });
}

ServeResponse ErpApi::progress(const ServeRequest& request, const std::string& entryId) {
    const auto number = [&](const std::string& name, long max) {
        const auto text = request.queryValue(name);
        if (!text) {
            return 0L;
        }
        char* end = nullptr;
        const long value = std::strtol(text->c_str(), &end, 10);
        if (end == text->c_str() || *end != '\0' || value < 0 || value > max) {
            throw core::InputError(name, "\"" + printable(*text, 20) +
                                             "\" is not a whole number from 0 to " +
                                             std::to_string(max));
        }
        return value;
    };
    const auto after = static_cast<std::size_t>(number("after", 1000000));
    const auto wait = std::chrono::seconds(number("wait", 25));
    std::unique_lock lock(shared_->mutex);
    const auto it = shared_->started.find(entryId);
    if (it == shared_->started.end()) {
        lock.unlock();
        // Not started here, or long ago: what the journal says.
        const auto found = runtime_.journal().find(entryId);
        if (!found) {
            return failure(404, refused, "not_found", "no entry " + printable(entryId, 40),
                           "entry");
        }
        const JournalEntry& entry = *found;
        const int status = entryStatus(entry.state);
        core::Json answer = entryToJson(entry);
        answer["ok"] = status == 0;
        answer["status"] = status;
        return withStatus(ServeResponse::json(200, core::Json{{"ok", true},
                                                              {"entry_id", entryId},
                                                              {"steps", core::Json::array()},
                                                              {"next", after},
                                                              {"ended", !entry.open()},
                                                              {"answer", answer}}),
                          0);
    }
    const std::shared_ptr<Started> record = it->second;
    shared_->changed.wait_for(lock, wait,
                              [&] { return record->ended || record->steps.size() > after; });
    core::Json steps = core::Json::array();
    for (std::size_t i = after; i < record->steps.size(); ++i) {
        steps.push_back(record->steps[i]);
    }
    core::Json body{{"ok", true},
                    {"entry_id", entryId},
                    {"steps", steps},
                    {"next", std::max(after, record->steps.size())},
                    {"ended", record->ended}};
    if (record->ended) {
        body["answer"] = record->answer;
    }
    return withStatus(ServeResponse::json(200, body), 0);
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
