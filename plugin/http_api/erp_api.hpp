// The ERP's HTTP API: POST /api/{method} runs one method of the C ABI (plugin/c_abi) with the
// request body as its JSON request, and answers its JSON response:
//   200  the method's answer (approved, declined, in doubt...), with the fiscpos status
//        (0 done, 2 not charged, 3 in doubt, 1 refused) in X-Fiscpos-Status and as "status"
//   400  bad input: the error JSON of the C ABI, naming the field
//   404  no such method
//   502  a remote party (provider, network) failed or answered what cannot be read
//   500  the configuration or the journal failed
// GET /api/journal?from=&to=&state=&kind=&terminal=&reference= lists entries.
// A payment holds its request's thread until it ends; other requests (a cancel) run meanwhile.
#pragma once

#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/payment_runtime.hpp"

#include <string>

namespace fiscpos::plugin::http_api {

class ErpApi {
public:
    ErpApi(PaymentRuntime& runtime, ServeLog& log);

    // `method` is the path after /api/.
    ServeResponse handle(const ServeRequest& request, const std::string& method);

private:
    ServeResponse call(const ServeRequest& request, const std::string& method);
    ServeResponse journal(const ServeRequest& request);

    PaymentRuntime& runtime_;
    ServeLog& log_;
};

} // namespace fiscpos::plugin::http_api
