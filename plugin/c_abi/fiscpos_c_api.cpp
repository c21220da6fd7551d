// The C ABI of include/fiscpos/fiscpos.h: the handle, strings handed across, and the one place
// where every exception becomes an error response, so none crosses into the caller's C code.
#include "include/fiscpos/fiscpos.h"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "plugin/c_abi/c_api_methods.hpp"
#include "plugin/payment_runtime.hpp"
#include "signing/provider_error.hpp"

#include <Poco/Exception.h>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

using fiscpos::core::Json;

struct fiscpos_handle {
    std::unique_ptr<fiscpos::plugin::PaymentRuntime> runtime;
    std::mutex progressMutex;
    fiscpos_progress_fn progress = nullptr;
    void* progressUser = nullptr;
};

namespace {

// A copy of `text` in memory the caller releases with fiscpos_free; nullptr when out of memory.
char* handOver(const std::string& text) noexcept {
    auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy != nullptr) {
        std::memcpy(copy, text.c_str(), text.size() + 1);
    }
    return copy;
}

// Out of memory while writing an answer: a fixed text that needs no allocation beyond the copy.
constexpr const char* outOfMemory =
    R"({"ok":false,"error":{"code":"internal","message":"out of memory","field":null}})";

void answer(char** out, const Json& response) noexcept {
    if (out == nullptr) {
        return;
    }
    try {
        *out = handOver(fiscpos::core::dumpJson(response));
    } catch (...) {
        *out = handOver(outOfMemory);
    }
}

Json errorJson(const std::string& code, const std::string& message,
               const std::string* field = nullptr) {
    return {{"ok", false},
            {"error",
             {{"code", code},
              {"message", message},
              {"field", field == nullptr ? Json(nullptr) : Json(*field)}}}};
}

// Runs `body` (which answers through `out` and returns a status) and turns any exception into an
// error response with the status the fiscpos command would exit with.
template <typename Body> int guarded(char** out, Body&& body) noexcept {
    try {
        try {
            return body();
        } catch (const fiscpos::core::InputError& e) {
            answer(out, errorJson(e.code(), e.what(), &e.field()));
            return FISCPOS_BAD_INPUT;
        } catch (const fiscpos::signing::ProviderError& e) {
            const std::string field = e.field();
            answer(out, errorJson(e.code(), e.what(), field.empty() ? nullptr : &field));
            return FISCPOS_BAD_INPUT;
        } catch (const fiscpos::core::TransportError& e) {
            answer(out, errorJson(e.code(), e.what()));
            return e.outcomeUnknown() ? FISCPOS_IN_DOUBT : FISCPOS_BAD_INPUT;
        } catch (const fiscpos::core::Error& e) {
            answer(out, errorJson(e.code(), e.what()));
            return FISCPOS_BAD_INPUT;
        } catch (const Poco::Exception& e) {
            answer(out, errorJson("internal", e.displayText()));
            return FISCPOS_INTERNAL;
        } catch (const std::bad_alloc&) {
            if (out != nullptr) {
                *out = handOver(outOfMemory);
            }
            return FISCPOS_INTERNAL;
        } catch (const std::exception& e) {
            answer(out, errorJson("internal", e.what()));
            return FISCPOS_INTERNAL;
        }
    } catch (...) {
        if (out != nullptr) {
            *out = handOver(outOfMemory);
        }
        return FISCPOS_INTERNAL;
    }
}

// The handle's progress callback, as the methods hear it.
fiscpos::plugin::ProgressListener progressOf(fiscpos_handle* handle) {
    return [handle](const std::string& entryId, const std::string& step, const std::string& text) {
        fiscpos_progress_fn callback = nullptr;
        void* user = nullptr;
        {
            std::lock_guard lock(handle->progressMutex);
            callback = handle->progress;
            user = handle->progressUser;
        }
        if (callback != nullptr) {
            callback(entryId.c_str(), step.c_str(), text.c_str(), user);
        }
    };
}

void requireHandleAndMethod(const fiscpos_handle* handle, const char* method) {
    if (handle == nullptr) {
        throw fiscpos::core::InputError("handle", "NULL; open one with fiscpos_open");
    }
    if (method == nullptr) {
        throw fiscpos::core::InputError("method", "NULL");
    }
}

// The request text as JSON; NULL or "" is {}.
Json requestOf(const char* request_json) {
    const std::string text = request_json == nullptr || *request_json == '\0' ? "{}" : request_json;
    return fiscpos::core::parseJson(text, "request", fiscpos::core::JsonOrigin::Input);
}

} // namespace

extern "C" {

FISCPOS_API int fiscpos_open(const char* config_path, fiscpos_handle** handle, char** error) {
    if (error != nullptr) {
        *error = nullptr;
    }
    if (handle == nullptr) {
        const std::string field = "handle";
        answer(error, errorJson("input", "handle: the out-parameter is NULL", &field));
        return FISCPOS_BAD_INPUT;
    }
    *handle = nullptr;
    return guarded(error, [&] {
        if (config_path == nullptr || *config_path == '\0') {
            throw fiscpos::core::InputError("config_path", "no configuration file given");
        }
        auto opened = std::make_unique<fiscpos_handle>();
        opened->runtime = std::make_unique<fiscpos::plugin::PaymentRuntime>(config_path);
        *handle = opened.release();
        return FISCPOS_DONE;
    });
}

FISCPOS_API int fiscpos_call(fiscpos_handle* handle, const char* method, const char* request_json,
                             char** response) {
    if (response != nullptr) {
        *response = nullptr;
    }
    return guarded(response, [&] {
        requireHandleAndMethod(handle, method);
        auto result = fiscpos::plugin::c_abi::callMethod(
            *handle->runtime, method, requestOf(request_json), progressOf(handle));
        answer(response, result.response);
        return result.status;
    });
}

FISCPOS_API int fiscpos_start(fiscpos_handle* handle, const char* method, const char* request_json,
                              fiscpos_done_fn done, void* user, char** response) {
    if (response != nullptr) {
        *response = nullptr;
    }
    return guarded(response, [&] {
        requireHandleAndMethod(handle, method);
        if (done == nullptr) {
            throw fiscpos::core::InputError("done", "NULL: a started method needs the callback "
                                                    "that hears how it ended");
        }
        const auto finished =
            [done, user](const std::function<fiscpos::plugin::c_abi::MethodResult()>& result) {
                char* text = nullptr;
                const int status = guarded(&text, [&] {
                    const auto ended = result();
                    answer(&text, ended.response);
                    return ended.status;
                });
                done(status, text != nullptr ? text : outOfMemory, user);
                std::free(text);
            };
        auto result = fiscpos::plugin::c_abi::startMethod(
            *handle->runtime, method, requestOf(request_json), progressOf(handle), finished);
        answer(response, result.response);
        return result.status;
    });
}

FISCPOS_API void fiscpos_set_progress(fiscpos_handle* handle, fiscpos_progress_fn callback,
                                      void* user) {
    if (handle == nullptr) {
        return;
    }
    std::lock_guard lock(handle->progressMutex);
    handle->progress = callback;
    handle->progressUser = user;
}

FISCPOS_API void fiscpos_free(char* text) {
    std::free(text);
}

FISCPOS_API void fiscpos_close(fiscpos_handle* handle) {
    // Closing flushes nothing that can fail: the journal made every write durable already.
    try {
        std::unique_ptr<fiscpos_handle> closing(handle);
    } catch (...) {
    }
}

FISCPOS_API const char* fiscpos_version(void) {
    return FISCPOS_VERSION;
}

} // extern "C"
