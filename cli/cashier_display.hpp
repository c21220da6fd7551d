// What the cashier sees while a payment command runs. On a terminal (stderr is a TTY): one status
// line, redrawn every second — the step in words, the time since the start against the payment's
// deadline, and what the cashier can do (Ctrl-C where the network can stop the payment, "cancel on
// the terminal" where it cannot); a notice or a failure stays as a line of its own. Otherwise
// (a pipe, a log): one plain line per step, "fiscpos: STEP: TEXT". The outcome itself is printed
// by reportEntry once the command ends.
#pragma once

#include "cli/output.hpp"
#include "core/i18n.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace fiscpos::cli {

class CashierDisplay {
public:
    // `canStop(entryId)`: whether the network of the entry's terminal stops a payment on request.
    CashierDisplay(Output& out, core::Language language, bool statusLine,
                   std::chrono::seconds deadline, std::function<bool(const std::string&)> canStop);
    // As finish().
    ~CashierDisplay();
    CashierDisplay(const CashierDisplay&) = delete;
    CashierDisplay& operator=(const CashierDisplay&) = delete;

    // Stops the status line and clears it (before the outcome is printed); steps after it are
    // plain lines.
    void finish();
    // A progress step of the library (its text already in the display's language).
    void step(const std::string& entryId, const std::string& step, const std::string& text);

    // The status line for a step at `elapsed` (for tests of its wording).
    std::string statusLine(const std::string& text, std::chrono::seconds elapsed) const;

private:
    void tick();
    void redrawLocked();

    Output& out_;
    core::Language language_;
    bool statusLine_;
    std::chrono::seconds deadline_;
    std::function<bool(const std::string&)> canStop_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;   // the step shown
    std::string hint_;   // what the cashier can do
    bool shown_ = false; // a status line is on the screen
    bool stopping_ = false;
    std::thread ticker_; // last: it uses everything above
};

} // namespace fiscpos::cli
