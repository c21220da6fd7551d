// The ERP's HTTP API: POST /api/{method} runs one method of the C ABI (plugin/c_abi) with the
// request body as its JSON request, and answers its JSON response:
//   200  the method's answer (approved, declined, in doubt...), with the fiscpos status
//        (0 done, 2 not charged, 3 in doubt) in X-Fiscpos-Status and as "status"
//   400  bad input: the error JSON of the C ABI, naming the field
//   404  no such method
//   502  a remote party (provider, network, gateway) failed, refused or answered what cannot be
//        read
//   500  the configuration or the journal failed
// Every 4xx and 5xx answer carries the error JSON; the whole contract is docs/openapi.json.
// GET /api/journal?from=&to=&state=&kind=&terminal=&reference= lists entries.
// A payment holds its request's thread until it ends; other requests (a cancel) run meanwhile.
// With "Prefer: respond-async", pay, refund, void, capture and close_batch are started instead
// (c_abi::startMethod): 202 and the entry as opened, the payment going on on the payment
// service's workers; GET /api/progress/{entry}?after=N&wait=S answers its progress steps after
// the N-th and, once it ended, its answer (waiting up to S seconds, at most 25, for news).
#pragma once

#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/payment_runtime.hpp"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fiscpos::plugin::http_api {

class ErpApi {
public:
    ErpApi(PaymentRuntime& runtime, ServeLog& log);
    // Started operations may end after this (when the runtime closes): they then write nowhere.
    ~ErpApi();
    ErpApi(const ErpApi&) = delete;
    ErpApi& operator=(const ErpApi&) = delete;

    // `method` is the path after /api/.
    ServeResponse handle(const ServeRequest& request, const std::string& method);

private:
    // One started operation as the ERP follows it.
    struct Started {
        std::vector<core::Json> steps; // {"step", "text"}, in order
        bool ended = false;
        core::Json answer; // with "status"; once ended
        std::chrono::steady_clock::time_point endedAt{};
    };

    ServeResponse call(const ServeRequest& request, const std::string& method);
    ServeResponse start(const core::Json& json, const std::string& method);
    ServeResponse progress(const ServeRequest& request, const std::string& entryId);
    ServeResponse journal(const ServeRequest& request);
    // What the started operations' callbacks write to, shared with them: they may outlive this.
    struct Shared {
        std::mutex mutex;
        std::condition_variable changed;
        ServeLog* log = nullptr;                                 // null once the API is gone
        std::map<std::string, std::shared_ptr<Started>> started; // by entry id
        // Drops what ended more than ten minutes ago; with `mutex` held.
        void forgetOld();
    };

    PaymentRuntime& runtime_;
    ServeLog& log_;
    std::shared_ptr<Shared> shared_;
};

} // namespace fiscpos::plugin::http_api
