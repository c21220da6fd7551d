// Debian's Chromium, headless, driven over the DevTools protocol (JSON over a WebSocket on
// loopback): a page is loaded as an accountant's browser loads it, at a chosen window size and
// with an Authorization header, read back through the DOM by script, used (a form filled in and
// sent), and photographed. Every wait is for the browser's own event, bounded by a patience that
// guards against hanging; nothing is timed.
#pragma once

#include "core/json.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/Process.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace fiscpos::test {

class HeadlessBrowser {
public:
    // The browser to run: $FISCPOS_CHROMIUM, else chromium on the PATH; nullopt when neither.
    static std::optional<std::filesystem::path> find();

    // Starts the browser with a fresh profile in `profile` (its log goes to profile/chromium.log)
    // and attaches to its page. Throws std::runtime_error saying why when it cannot.
    explicit HeadlessBrowser(const std::filesystem::path& profile);
    ~HeadlessBrowser();
    HeadlessBrowser(const HeadlessBrowser&) = delete;
    HeadlessBrowser& operator=(const HeadlessBrowser&) = delete;

    // The layout viewport, in CSS pixels; `mobile` lays out as a tablet or phone does (the page's
    // viewport meta tag counts).
    void window(int width, int height, bool mobile = false);
    // Sent with every request from now on.
    void header(const std::string& name, const std::string& value);

    // Loads `url` and waits for its load event; returns the HTTP status of the document.
    int open(const std::string& url);
    // Runs `script` (a click on a submit button, say) and waits for the page it leads to; returns
    // that document's HTTP status.
    int follow(const std::string& script);
    // The value of a JavaScript expression, as JSON; a thrown exception becomes a runtime_error.
    core::Json evaluate(const std::string& expression);
    // A PNG of the whole page.
    void screenshot(const std::filesystem::path& png);

private:
    core::Json call(const std::string& method, const core::Json& params = core::Json::object());
    core::Json receive();
    core::Json awaitEvent(const std::string& method);
    int awaitDocument();

    std::filesystem::path profile_;
    std::unique_ptr<Poco::ProcessHandle> process_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    std::deque<core::Json> events_;
    long nextId_ = 1;
};

} // namespace fiscpos::test
