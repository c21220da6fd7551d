#pragma once

#include <string>

namespace fiscpos::core {

// A random (version 4) UUID in lowercase canonical form, e.g.
// "1b4e28ba-2fa1-41d2-883f-0016d3cca427".
std::string newUuid();

} // namespace fiscpos::core
