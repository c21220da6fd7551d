// Inside the cash journal: redaction of a JSON body in place.
#pragma once

#include "plugin/journal/redaction.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::plugin::journal_detail {

// When `body` is one JSON value (surrounding blanks allowed), the same text with the values of
// secret fields replaced by "[redacted]" (at any depth; null and "" stay), card number fields
// masked, the text rules applied to every other string; fields named in `more` are secret too.
// Everything else is kept byte for byte. nullopt when `body` is not JSON.
std::optional<std::string> redactJson(std::string_view body, MoreSecrets more = {});

} // namespace fiscpos::plugin::journal_detail
