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

#include <ostream>
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

// Runs `call` and requires an exception of type E whose field() is `field`.
using mellon::test::requireFieldError;

} // namespace fiscpos::viva::test
