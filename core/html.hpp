// Text placed into HTML (the audit desk's pages, the receipt e-mail), written once.
#pragma once

#include <string>
#include <string_view>

namespace fiscpos::core {

// & < > " ' as character references: safe in element content and in quoted attribute values.
std::string htmlEscape(std::string_view text);

} // namespace fiscpos::core
