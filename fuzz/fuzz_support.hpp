// What every fuzz target shares: the input as text, and the rule that a parser of outside input
// may refuse it only with one of fiscpos's typed errors (core/errors.hpp). Anything else that
// escapes (a nlohmann::json exception, std::out_of_range, ...) is a finding, and so is every
// sanitizer report.
#pragma once

#include "core/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fiscpos::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs `body`; a typed refusal (core::Error) is an accepted outcome, everything else escapes.
template <typename Body> void refusable(Body&& body) {
    try {
        body();
    } catch (const core::Error&) {
    }
}

} // namespace fiscpos::fuzz
