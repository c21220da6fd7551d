#include "sim/server/sim_party.hpp"

#include <algorithm>

namespace fiscpos::sim {

std::vector<std::string> SimRequest::segments() const {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= subpath.size()) {
        const std::size_t end = std::min(subpath.find('/', start), subpath.size());
        if (end > start) {
            parts.push_back(subpath.substr(start, end - start));
        }
        start = end + 1;
    }
    return parts;
}

SimResponse SimResponse::message(int status, const std::string& text) {
    return json(status, core::Json{{"message", text}});
}

} // namespace fiscpos::sim
