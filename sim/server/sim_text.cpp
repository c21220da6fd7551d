#include "sim/server/sim_text.hpp"

#include <algorithm>
#include <utility>

namespace fiscpos::sim {

std::vector<std::string> splitAt(std::string_view text, char separator) {
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(separator, start), text.size());
        pieces.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return pieces;
}

core::Json textOrNull(const std::string& text) {
    return text.empty() ? core::Json(nullptr) : core::Json(text);
}

core::Json textOrNull(const std::optional<std::string>& text) {
    return text ? core::Json(*text) : core::Json(nullptr);
}

core::Json countsJson(const std::map<std::string, std::int64_t>& counts) {
    core::Json json = core::Json::object();
    for (const auto& [name, count] : counts) {
        json[name] = count;
    }
    return json;
}

SimAnswerError::SimAnswerError(int status, core::Json body)
    : std::runtime_error(core::dumpJson(body))
    , status_(status)
    , body_(std::move(body)) {}

} // namespace fiscpos::sim
