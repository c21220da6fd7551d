// Shared by the GP tom tests: provider signatures in AADE's DEFAULT layout made with Mellon's
// published test key, the sale request the PaymentService hands a terminal, settings for the
// simulated Cloud API, and checks of an error's type and field.
#pragma once

#include "core/errors.hpp"
#include "core/terminal.hpp"
#include "gptom/gptom_settings.hpp"
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

namespace fiscpos::gptom::test {

// A sale of `cents` under `reference`, signed (DEFAULT layout, Mellon's test key, provider 999)
// for terminal `tid` on an invoice numbered `number`.
core::PaymentRequest signedSale(std::int64_t cents, const std::string& tid,
                                const std::string& number, const std::string& reference);

// Settings of terminal G1 on the simulated Cloud API at `url` (…/gptom): the per-terminal
// account for TID 12345678, or the master account when `master`; A.1155 confirmed.
GptomSettings simSettings(const std::string& url, const std::string& tid = "12345678",
                          bool master = false);

using fiscpos::test::requireFieldError;

} // namespace fiscpos::gptom::test
