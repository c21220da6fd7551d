// The secret compare of `fiscpos serve` is core's (core/secret_compare.hpp); this name stays for
// the handlers that include it from here.
#pragma once

#include "core/secret_compare.hpp"

namespace fiscpos::plugin::http_api {

using core::secretEquals;

} // namespace fiscpos::plugin::http_api
