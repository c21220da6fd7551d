#include "cli/commands/signals.hpp"

#include <pthread.h>

namespace fiscpos::cli {

sigset_t blockSignals(std::initializer_list<int> signals, sigset_t* previous) {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal : signals) {
        sigaddset(&set, signal);
    }
    pthread_sigmask(SIG_BLOCK, &set, previous);
    return set;
}

int awaitSignal(const sigset_t& signals, const timespec& slice) {
    const int signal = sigtimedwait(&signals, nullptr, &slice);
    return signal > 0 ? signal : 0;
}

} // namespace fiscpos::cli
