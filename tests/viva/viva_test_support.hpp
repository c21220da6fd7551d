// Shared by the Viva tests: provider signatures in Viva's layout made with Mellon's published test
// key (the simulated provider's key), the payment requests the PaymentService hands a terminal,
// settings for terminal V1, and checks that an error names the expected field.
#pragma once

#include "core/errors.hpp"
#include "core/terminal.hpp"
#include "signing/signature.hpp"
#include "sim/server/sim_clock.hpp"
// The stage and outcome printers and requireFieldError, shared with the WebECR tests.
#include "tests/mellon/mellon_test_support.hpp"
#include "viva/viva_settings.hpp"
#include "viva/webhook.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace fiscpos::viva {
inline std::ostream& operator<<(std::ostream& out, WebhookKind kind) {
    return out << webhookKindName(kind);
}
} // namespace fiscpos::viva

namespace fiscpos::viva::test {

constexpr const char* testTid = "16000010";
constexpr const char* testProviderId = "999";

// The provider's signature of a Viva payment of `payment` on a `payment` invoice (24% VAT) for
// terminal `tid`; `number` makes the invoice (and its UID) distinct.
signing::ProviderSignature sign(core::Money payment, const std::string& tid,
                                const std::string& number);

// A sale of the signature's payable under `reference`.
core::PaymentRequest saleRequest(const signing::ProviderSignature& signature,
                                 const std::string& reference);

// Settings of terminal V1 (TID 16000010, cash register ERP-1, provider 999) with every host under
// `baseUrl` the way the simulator serves them (/viva-accounts, /viva-api, /viva-legacy).
VivaSettings settingsAt(const std::string& baseUrl);

// Asks `terminal` about `reference` every `every` of the simulator's time until the report is
// final, and requires that it is within `bound`.
core::TerminalReport waitFinal(core::Terminal& terminal, const sim::SimClock& clock,
                               const std::string& reference, std::chrono::milliseconds bound,
                               std::chrono::milliseconds every = std::chrono::milliseconds(500));

// Whether `text` is one or more digits (an id Viva gives as digits).
inline bool allDigits(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Runs `call` and requires an exception of type E, which it returns.
template <class E> E requireThrows(const std::function<void()>& call) {
    try {
        call();
    } catch (const E& e) {
        return e;
    }
    BOOST_FAIL("expected an exception");
    throw std::logic_error("unreachable");
}

// Runs `call` and requires an exception of type E whose field() is `field`.
using mellon::test::requireFieldError;

} // namespace fiscpos::viva::test
