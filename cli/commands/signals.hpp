// The signals fiscpos takes as requests instead of being ended by them: Ctrl-C during pay asks the
// terminal to stop the payment, SIGINT or SIGTERM stops fiscpos serve once its requests are done.
#pragma once

#include <csignal>
#include <ctime>
#include <initializer_list>

namespace fiscpos::cli {

// Blocks `signals` in the calling thread, and so in every thread it starts afterwards, and
// returns them as a set for awaitSignal. The mask in force before is left in `previous`, if given.
sigset_t blockSignals(std::initializer_list<int> signals, sigset_t* previous = nullptr);

// Waits up to `slice` for one of the blocked `signals`: the signal that came, or 0 when none did.
int awaitSignal(const sigset_t& signals, const timespec& slice);

} // namespace fiscpos::cli
