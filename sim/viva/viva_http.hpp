// HTTP details the three simulated Viva parties share: reading form and JSON bodies and Basic
// credentials, writing answers, and the webhook control endpoints both /viva-api and
// /viva-legacy offer.
#pragma once

#include "sim/server/sim_party.hpp"
#include "sim/viva/viva_error.hpp"
#include "sim/viva/viva_merchant.hpp"
#include "sim/viva/viva_records.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace fiscpos::sim::viva {

// Whether the Content-Type is this media type (parameters such as charset ignored).
bool hasContentType(const SimRequest& request, std::string_view mediaType);

// The body as a JSON object; an empty body is {} when `emptyIsObject`. HttpError 400 otherwise.
core::Json readObject(const SimRequest& request, bool emptyIsObject);
// The value of a boolean control setting in `body`, or `current` when absent; HttpError 400 when
// it is not a boolean.
bool booleanSetting(const core::Json& body, const std::string& key, bool current);
// 405 "<path> takes POST" unless the request is a POST.
void requirePost(const SimRequest& request, const std::string& path);

// A status with an empty body and no Content-Type (content-length: 0).
SimResponse emptyAnswer(int status);

// The webhook controls, the same under /viva-api/_control/ and /viva-legacy/_control/:
//   GET|POST webhooks        {"url", "duplicate", "skip", "retry_after_seconds", "max_retries"};
//                            the answer adds the last deliveries
//   POST     webhooks/verify Viva's Verify: GET the URL, which must answer {"Key": <the key>}
// `action` is the path below /_control/.
SimResponse webhookControl(Merchant& merchant, const SimRequest& request,
                           const std::string& action);

} // namespace fiscpos::sim::viva
