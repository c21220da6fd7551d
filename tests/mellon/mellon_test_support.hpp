// Shared by the WebECR tests: signatures made with Mellon's test key the way a provider makes
// them, turned into the SignedPayment the PaymentService hands a terminal, and checks that an
// error has the expected type and names the expected field.
#pragma once

#include "core/errors.hpp"
#include "core/terminal.hpp"
#include "mellon/webecr_settings.hpp"
#include "signing/local_signer.hpp"
#include "tests/support/field_error.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace fiscpos::core {
// For Boost.Test messages.
inline std::ostream& operator<<(std::ostream& out, TerminalStage stage) {
    return out << stageName(stage);
}
inline std::ostream& operator<<(std::ostream& out, PaymentOutcome outcome) {
    return out << outcomeName(outcome);
}
inline std::ostream& operator<<(std::ostream& out, const std::optional<PaymentOutcome>& outcome) {
    return outcome ? out << *outcome : out << "(none)";
}
} // namespace fiscpos::core

namespace fiscpos::mellon::test {

// A LocalSigner with Mellon's private test key and provider id "8".
signing::LocalSigner& mellonSigner();

// The provider's signature of a WebECR payment of `payment` on a `total` invoice (24% VAT split
// of the total) for terminal `tid`; `number` makes the invoice (and its UID) distinct.
signing::ProviderSignature sign(core::Money payment, const std::string& tid,
                                const std::string& number,
                                std::optional<std::string> mark = std::nullopt);

// What the PaymentService passes on after its checks.
core::SignedPayment signedPayment(const signing::ProviderSignature& signature,
                                  const std::string& providerId = "8");

// A sale of the signature's payable under `reference`.
core::PaymentRequest saleRequest(const signing::ProviderSignature& signature,
                                 const std::string& reference);

// Settings for terminal A3 (pos_id 358046, TID 99000031) at `url`, answering at once
// (wait_seconds 0).
WebEcrSettings settingsAt(const std::string& url);

using fiscpos::test::requireFieldError;

} // namespace fiscpos::mellon::test
