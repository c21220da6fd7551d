// The demo's one command: a card payment's provider signature and a sale, refund and void, end to
// end, against the simulator running in the same process.
#pragma once

#include "cli/command.hpp"

namespace fiscpos::demo {

cli::Command makeDemoCommand();

} // namespace fiscpos::demo
