#include "plugin/http_api/serve_log.hpp"

namespace fiscpos::plugin::http_api {

ServeLog::ServeLog(std::function<void(const std::string&)> sink)
    : sink_(std::move(sink)) {}

void ServeLog::line(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (sink_) {
        sink_(text);
    }
}

std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    for (const char c : text.substr(0, limit)) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

} // namespace fiscpos::plugin::http_api
