#include "cli/cashier_display.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace fiscpos::cli {

namespace {

std::string minutes(std::chrono::seconds time) {
    const long long total = time.count() < 0 ? 0 : time.count();
    const long long seconds = total % 60;
    return std::to_string(total / 60) + (seconds < 10 ? ":0" : ":") + std::to_string(seconds);
}

// The terminal's width in characters (80 when it cannot be known), less one so the cursor stays
// on the line.
std::size_t width() {
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
        return static_cast<std::size_t>(size.ws_col) - 1;
    }
    return 79;
}

// Steps whose text must stay readable after the line moves on.
bool lasting(const std::string& step) {
    return step == "notice" || step == "failed" || step == "in_doubt" || step == "unreachable" ||
           step == "aborting" || step == "cancelling" || step == "issue";
}

} // namespace

CashierDisplay::CashierDisplay(Output& out, core::Language language, bool statusLine,
                               std::chrono::seconds deadline,
                               std::function<bool(const std::string&)> canStop)
    : out_(out)
    , language_(language)
    , statusLine_(statusLine)
    , deadline_(deadline)
    , canStop_(std::move(canStop)) {
    if (statusLine_) {
        ticker_ = std::thread([this] { tick(); });
    }
}

CashierDisplay::~CashierDisplay() {
    finish();
}

void CashierDisplay::finish() {
    {
        std::lock_guard lock(mutex_);
        if (!statusLine_) {
            return;
        }
        statusLine_ = false;
        stopping_ = true;
        if (shown_) {
            out_.statusLine("", 0);
            shown_ = false;
        }
    }
    changed_.notify_all();
    ticker_.join();
}

std::string CashierDisplay::statusLine(const std::string& text,
                                       std::chrono::seconds elapsed) const {
    std::string line = "[" + minutes(elapsed) + " / " + minutes(deadline_) + "] " + text;
    if (!hint_.empty()) {
        line += " — " + hint_;
    }
    return line;
}

void CashierDisplay::step(const std::string& entryId, const std::string& step,
                          const std::string& text) {
    std::unique_lock lock(mutex_);
    if (!statusLine_) {
        lock.unlock();
        out_.progress(step + ": " + text);
        return;
    }
    if (hint_.empty() && !entryId.empty() && canStop_) {
        hint_ = canStop_(entryId) ? core::tr(language_, "Ctrl-C stops the payment")
                                  : core::tr(language_, "to stop it, cancel on the terminal");
    }
    if (lasting(step)) {
        if (shown_) {
            out_.statusLine("", 0);
            shown_ = false;
        }
        out_.progress(text);
        return;
    }
    text_ = text;
    redrawLocked();
}

void CashierDisplay::redrawLocked() {
    if (text_.empty()) {
        return;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started_);
    out_.statusLine(statusLine(text_, elapsed), width());
    shown_ = true;
}

void CashierDisplay::tick() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        changed_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
        if (!stopping_) {
            redrawLocked();
        }
    }
}

} // namespace fiscpos::cli
