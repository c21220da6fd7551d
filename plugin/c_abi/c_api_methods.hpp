// The methods of the C ABI (fiscpos_call), in C++: each reads its JSON request, runs it on the
// PaymentRuntime and returns the JSON response with the status code of include/fiscpos/fiscpos.h.
// They throw the typed errors of core/errors.hpp; fiscpos_c_api.cpp turns every exception into
// an error response.
#pragma once

#include "core/json.hpp"
#include "plugin/payment_runtime.hpp"

#include <functional>
#include <string>
#include <vector>

namespace fiscpos::plugin::c_abi {

struct MethodResult {
    core::Json response;
    int status = 0;
};

// InputError "method" for a method this library does not know.
MethodResult callMethod(PaymentRuntime& runtime, const std::string& method,
                        const core::Json& request, const ProgressListener& progress);

// How a started method ends: called once, on one of the PaymentService's workers, with what
// returns the method's answer — or throws the error fiscpos_call would have turned into one.
using StartedDone = std::function<void(const std::function<MethodResult()>& answer)>;

// Starts one of the methods that wait on a terminal (pay, refund, void, capture, close_batch)
// without waiting: {"ok": true, "started": true, "entry": the entry as opened}; `done` hears the
// end. InputError "method" for any other method; bad input throws here and `done` is never
// called.
MethodResult startMethod(PaymentRuntime& runtime, const std::string& method,
                         const core::Json& request, const ProgressListener& progress,
                         const StartedDone& done);

// The names callMethod knows, and those startMethod starts, in the order they are listed: what
// serve routes under /api/ and its OpenAPI description lists.
std::vector<std::string> methodNames();
std::vector<std::string> startableMethodNames();

} // namespace fiscpos::plugin::c_abi
