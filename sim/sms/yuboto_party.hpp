// The simulated Yuboto OMNI API under /sms/yuboto (contract receipt-delivery.md §5, §9). A fiscpos
// configuration sets [sms] gateway = yuboto, url = http://127.0.0.1:PORT/sms/yuboto.
//
//   POST /sms/yuboto/omni/v1/Send  {"phonenumbers": "3069...", "dlr", "callbackUrl", "option1",
//                                  "option2", "sms": {"sender", "text", "validity", "typesms":
//                                  "sms"|"flash"|"unicode", "longsms", "priority"}}
//                                  -> 200 {"ErrorCode": 0, "ErrorMessage": "", "Message": [{"id",
//                                  "channel": "sms", "phonenumber", "status": "Submitted"}]}
//   POST /sms/yuboto/omni/v1/Dlr   {"id"} -> {"ErrorCode": 0, "dlr": [{"channel", "status",
//                                  "cost", "submitDate", "dlrDate"}]}; "Delivered" once
//                                  `deliverAfter` of simulated time has passed, else "Sent"
//
// Every call needs "Authorization: Basic base64(api key)" (401 {"ErrorCode": 401, ...}
// otherwise, compared in constant time). A body Yuboto would not take is answered 400 with
// ErrorCode 5 and what is wrong (PROVISIONAL: Yuboto documents the field, not these codes):
// phonenumbers must be digits without '+', text and sender set. Without longsms a text stops at
// one SMS (160 GSM-7 or 70 UCS-2 characters), as Yuboto says; the message keeps the cut text.
// POST /sms/yuboto/_control/refuse {"count", "error_code" (default 33), "message"}: the next
// sends are answered 200 with that ErrorCode. Shared control and counters: sms_party.hpp.
#pragma once

#include "sim/sms/sms_party.hpp"

#include <chrono>
#include <string>

namespace fiscpos::sim::sms {

struct YubotoPartyOptions {
    std::string prefix = "/sms/yuboto";
    std::string apiKey = "sim-yuboto-key";
    std::chrono::milliseconds deliverAfter{std::chrono::seconds(5)}; // simulated
};

class YubotoParty final : public SmsGatewayParty {
public:
    // ConfigError naming "yuboto.api_key" when the key is empty.
    YubotoParty(YubotoPartyOptions options, const core::Clock& clock);

private:
    SimResponse route(const SimRequest& request) override;
    // GET callbackUrl?sender&receiver&messageId&statusCode&statusDescription&dlrDate&channel
    // &option1&option2
    std::vector<Callback> deliveryCallbacks(const SimSms& message,
                                            const std::string& status) const override;
    SimResponse sendMessage(const SimRequest& request);
    SimResponse deliveryReport(const SimRequest& request);
    void authenticate(const SimRequest& request);

    YubotoPartyOptions options_;
    SimCounter unauthenticated_{counters_, "unauthenticated"},
        dlrQueries_{counters_, "dlr_queries"};
};

} // namespace fiscpos::sim::sms
