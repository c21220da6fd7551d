#include "sim/server/sim_text.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <iterator>
#include <sstream>
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

std::string zeroPadded(std::int64_t value, std::size_t width) {
    std::string text = std::to_string(value);
    if (text.size() < width) {
        text.insert(0, width - text.size(), '0');
    }
    return text.substr(text.size() - width);
}

std::string base64Url(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

std::string jwtShaped(const core::Json& header, const core::Json& claims,
                      std::string_view signature) {
    return base64Url(core::dumpJson(header)) + "." + base64Url(core::dumpJson(claims)) + "." +
           base64Url(signature);
}

namespace {

// One name or value of a form: '+' is a space, then the percent-escapes decoded; the text as
// written (with its '+' read) when an escape is broken.
std::string decodeFormPart(std::string_view part, bool& wellFormed) {
    std::string text(part);
    std::replace(text.begin(), text.end(), '+', ' ');
    std::string decoded;
    try {
        Poco::URI::decode(text, decoded);
    } catch (const Poco::Exception&) {
        wellFormed = false;
        return text;
    }
    return decoded;
}

} // namespace

SimForm parseForm(std::string_view body) {
    SimForm form;
    for (const std::string& pair : splitAt(body, '&')) {
        if (pair.empty()) {
            continue;
        }
        const std::size_t equals = pair.find('=');
        std::string name =
            decodeFormPart(std::string_view(pair).substr(0, equals), form.wellFormed);
        std::string value =
            equals == std::string::npos
                ? std::string()
                : decodeFormPart(std::string_view(pair).substr(equals + 1), form.wellFormed);
        form.fields.emplace(std::move(name), std::move(value));
    }
    return form;
}

std::optional<std::string> SimForm::first(const std::string& name) const {
    const auto it = fields.find(name);
    return it == fields.end() ? std::nullopt : std::optional(it->second);
}

std::string SimForm::last(const std::string& name) const {
    const auto [begin, end] = fields.equal_range(name);
    return begin == end ? std::string() : std::prev(end)->second;
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
