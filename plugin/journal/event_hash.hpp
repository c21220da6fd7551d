// The hash chain of the cash journal. Each event's hash is the SHA-256 (lowercase hex) of a
// canonical serialisation of all its columns, prev_hash included, so changing any column of any
// event, or removing one, breaks the chain from there on.
#pragma once

#include "plugin/journal/journal_row.hpp"

#include <string>
#include <string_view>

namespace fiscpos::plugin {

// prev_hash of the first event.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Lowercase hex SHA-256 of `data` (OpenSSL EVP).
std::string sha256Hex(std::string_view data);

namespace journal_detail {

// "fiscpos.cash_event.v1\n" then, for every event column but hash in table order, one line
// "<column>=" followed by "-" for NULL, "T<byte length>:<bytes>" for text or "I<length>:<decimal>"
// for an integer, and "\n". The lengths make the serialisation unambiguous whatever the bodies
// contain.
std::string canonicalEvent(const DbRow& event);
std::string eventHash(const DbRow& event);

} // namespace journal_detail
} // namespace fiscpos::plugin
