// The methods of the C ABI (fiscpos_call), in C++: each reads its JSON request, runs it on the
// PaymentRuntime and returns the JSON response with the status code of include/fiscpos/fiscpos.h.
// They throw the typed errors of core/errors.hpp; fiscpos_c_api.cpp turns every exception into
// an error response.
#pragma once

#include "core/json.hpp"
#include "plugin/payment_runtime.hpp"

#include <string>

namespace fiscpos::plugin::c_abi {

struct MethodResult {
    core::Json response;
    int status = 0;
};

// InputError "method" for a method this library does not know.
MethodResult callMethod(PaymentRuntime& runtime, const std::string& method,
                        const core::Json& request, const ProgressListener& progress);

} // namespace fiscpos::plugin::c_abi
