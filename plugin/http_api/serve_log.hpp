// The log of `fiscpos serve`: one line per thing done (a request answered with an error, a
// webhook handled, a payment's progress), written whole under a lock so threads never interleave.
// Lines never carry a secret: tokens, credentials and request bodies stay out.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace fiscpos::plugin::http_api {

class ServeLog {
public:
    // `sink` receives each line without its newline (the server writes them to stderr).
    explicit ServeLog(std::function<void(const std::string&)> sink);

    void line(const std::string& text);

private:
    std::mutex mutex_;
    std::function<void(const std::string&)> sink_;
};

// `text` made safe for one log line: control characters and non-ASCII bytes become '?', and at
// most `limit` characters are kept (a value that came from outside, such as a MessageId).
std::string printable(std::string_view text, std::size_t limit = 100);

} // namespace fiscpos::plugin::http_api
