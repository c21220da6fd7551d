// What a final session means for the payment: `success` true is an approval; otherwise its
// eventId (contract §12) says why it did not complete, and decides between Declined (the card or
// its issuer said no), Cancelled (stopped on the terminal, or it timed out waiting for the card)
// and Failed (it could not be done: terminal busy, expired, signature refused, a capability or a
// setting missing, a connection error). Nothing was charged in any of these; each message tells
// the cashier what happened and what to do, with Viva's own words quoted.
//
//   Declined:  1004, 1006, 1007, 1010, 1019, 1020
//   Cancelled: 1000, 1003, 1016
//   Failed:    1100 busy, 1001 busy, 1102 expired, 1076/1077/1083 AADE, 1002, 1008, 1009,
//              1011-1014, 1017, 1018, 1021, 1099, 1101, 2000, 3000-3099, 4000, 5000-5006,
//              6000, 6102, 6201, 7001-7005, and any other eventId
#pragma once

#include "core/terminal.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fiscpos::viva {

struct SessionMeaning {
    core::PaymentOutcome outcome = core::PaymentOutcome::Failed;
    std::string message; // for the cashier
};

// The meaning of a final session that did not succeed. `vivaMessage` is the session's `message`.
SessionMeaning failedSessionMeaning(std::optional<std::int64_t> eventId,
                                    const std::string& vivaMessage);

// The short name of an eventId ("terminal busy", "transaction expired"); "eventId <n>" when it
// is not in the table.
std::string eventName(std::int64_t eventId);

constexpr std::int64_t eventTerminalBusy = 1100;
constexpr std::int64_t eventExpired = 1102;
constexpr std::int64_t eventSignatureRefused = 1076;

} // namespace fiscpos::viva
