// What the simulated SMS gateways share (contract receipt-delivery.md §9): the messages each one
// accepted, kept for tests to read ("exactly one message per recipient"), the refusals a test
// asks for, and the control endpoints below the gateway's prefix (no authentication; for tests
// and ERP developers):
//   GET  {prefix}/_control/messages   {"messages": [{id, to, text, reference, parts, unicode,
//                                      callback_url, accepted_at}]} in the order accepted
//   POST {prefix}/_control/refuse     {"count": N (default 1), ...the gateway's refusal}: the
//                                     next N sends are refused (each gateway says how)
//   POST {prefix}/_control/deliver    {"id", "status" (the gateway's word, default "Delivered"),
//                                     "duplicate": false}: the gateway reports the message's
//                                     state now, to the callback URL it was sent with (each part
//                                     for Routee; twice with duplicate), and answers with what
//                                     the callback URL answered: {"callbacks": [{status, error}]};
//                                     a later delivery look-up says the same state
// Counters in /_sim/stats: sms_sent (messages accepted), sms_refused (sends not accepted, for
// any reason), and the gateway's own. A lost answer is a fault of /_sim/faults: "drop_after" on
// the send path accepts the message (sms_sent counts it) and closes without an answer; "status"
// with "apply": true accepts it and answers 5xx.
#pragma once

#include "core/clock.hpp"
#include "sim/server/sim_party.hpp"
#include "sim/server/sim_text.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::sim::sms {

// One message a gateway accepted.
struct SimSms {
    std::string id;
    std::string to; // as the request wrote it
    std::string text;
    std::string reference;
    int parts = 1;
    bool unicode = false;
    std::string callbackUrl;
    core::TimePoint acceptedAt;
    std::string reported; // the state /_control/deliver reported; "" before

    core::Json toJson() const;
};

// The simulator's count of a text's parts, simpler than GSM 03.38 on purpose (an oracle of its
// own for fiscpos's count): UCS-2 counts UTF-16 code units (70 in one SMS, 67 a part); GSM-7
// counts each character once and ^ { } [ ] ~ \ | € twice (160, 153). `unicode` for a text with
// any character beyond ASCII but €, and Greek capitals Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ.
struct SimSmsLength {
    bool unicode = false;
    int characters = 0;
    int parts = 1;
};
SimSmsLength simSmsLength(const std::string& utf8, bool unicode);
// The string at `key` of a JSON object; "" when it is missing or not a string.
std::string textField(const core::Json& object, const std::string& key);

// Whether the text needs UCS-2 by the rule above.
bool simNeedsUnicode(const std::string& utf8);
// The text as one SMS carries it: cut at 160 GSM-7 or 70 UCS-2 characters.
std::string simOnePart(const std::string& utf8, bool unicode);

class SmsGatewayParty : public SimPartyBase {
public:
    SimResponse handle(const SimRequest& request) final;

protected:
    SmsGatewayParty(std::string name, std::string prefix, const core::Clock& clock);

    // The answer to a request below the prefix but _control; a SimAnswerError it throws is
    // answered as it is.
    virtual SimResponse route(const SimRequest& request) = 0;
    // A control action of the gateway's own (POST {prefix}/_control/<action>); nullopt: none.
    virtual std::optional<SimResponse> control(const std::string&, const core::Json&) {
        return std::nullopt;
    }
    // Forgets the gateway's own records (tokens).
    virtual void resetGateway() {}
    // The callback requests that report `message` as `status`: each a method, a full URL and a
    // body (empty for a GET).
    struct Callback {
        std::string method, url, body;
    };
    virtual std::vector<Callback> deliveryCallbacks(const SimSms& message,
                                                    const std::string& status) const = 0;

    // Keeps an accepted message (its id is set here) and counts it in sms_sent.
    SimSms accept(SimSms message);
    // A refusal asked for by /_control/refuse, taken for this send; nullopt when none is due.
    std::optional<core::Json> takeRefusal();
    // The accepted message of that id.
    std::optional<SimSms> find(const std::string& id) const;
    // Counts a send that was not accepted.
    void refused() { ++refused_; }

    const core::Clock& clock_;

private:
    void resetRecords() final;
    SimResponse controlRequest(const SimRequest& request, const std::string& action);
    SimResponse deliver(const core::Json& body);

    mutable std::mutex mutex_; // guards what follows
    std::vector<SimSms> messages_;
    std::int64_t refusalsDue_ = 0;
    core::Json refusal_;

    SimCounter sent_{counters_, "sms_sent"}, refused_{counters_, "sms_refused"},
        callbacks_{counters_, "dlr_callbacks"};
};

} // namespace fiscpos::sim::sms
