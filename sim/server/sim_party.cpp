#include "sim/server/sim_party.hpp"

#include <algorithm>
#include <cctype>

namespace fiscpos::sim {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::string SimRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equalsIgnoreCase(key, name)) {
            return value;
        }
    }
    return {};
}

std::optional<std::string> SimRequest::queryParam(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string SimRequest::bearerToken() const {
    const std::string value = header("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (value.size() <= scheme.size() ||
        !equalsIgnoreCase(value.substr(0, scheme.size()), scheme)) {
        return {};
    }
    return value.substr(scheme.size());
}

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

SimResponse SimResponse::json(int status, const core::Json& body) {
    SimResponse response;
    response.status = status;
    response.body = core::dumpJson(body);
    return response;
}

SimResponse SimResponse::message(int status, const std::string& text) {
    return json(status, core::Json{{"message", text}});
}

bool constantTimeEquals(std::string_view presented, std::string_view expected) {
    // Walks the whole expected secret whatever the presented one is, so neither the position of
    // the first difference nor the presented length shortens the loop.
    unsigned difference = presented.size() == expected.size() ? 0U : 1U;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto e = static_cast<unsigned char>(expected[i]);
        const auto p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0U;
        difference |= static_cast<unsigned>(e ^ p);
    }
    return difference == 0U;
}

} // namespace fiscpos::sim
