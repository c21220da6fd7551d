#include "core/body_quote.hpp"

#include "core/json.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace fiscpos::core {

namespace {

constexpr std::string_view mask = "***";
// A run of token characters this long that mixes letters and digits is taken for a credential.
constexpr std::size_t tokenLength = 20;
// Bodies are redacted up to this size; an error message never needs more.
constexpr std::size_t maxScanned = 64 * 1024;

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

bool isTokenChar(char c) {
    return isNameChar(c) || c == '.' || c == '~';
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Whether a field of this name holds a credential.
bool secretName(std::string_view name) {
    static constexpr std::array<std::string_view, 9> words{"token",      "access",        "refresh",
                                                           "secret",     "password",      "passwd",
                                                           "credential", "authorization", "bearer"};
    const std::string lowered = lower(name);
    if (std::any_of(words.begin(), words.end(), [&lowered](std::string_view word) {
            return lowered.find(word) != std::string::npos;
        })) {
        return true;
    }
    return lowered.size() >= 3 && lowered.compare(lowered.size() - 3, 3, "key") == 0;
}

bool isUuid(std::string_view run) {
    if (run.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < run.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? run[i] != '-' : std::isxdigit(static_cast<unsigned char>(run[i])) == 0) {
            return false;
        }
    }
    return true;
}

bool looksLikeToken(std::string_view run) {
    if (run.size() < tokenLength || isUuid(run)) {
        return false;
    }
    const bool letters = std::any_of(run.begin(), run.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
    });
    const bool digits = std::any_of(run.begin(), run.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    return letters && digits;
}

// Where the value after a field name starts ("name": "v", name=v, name: v), or npos when the
// name is not followed by a value.
std::size_t valueAfterName(std::string_view text, std::size_t pos) {
    if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
        ++pos;
    }
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        ++pos;
    }
    if (pos >= text.size() || (text[pos] != ':' && text[pos] != '=')) {
        return std::string_view::npos;
    }
    ++pos;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        ++pos;
    }
    return pos;
}

// Masks the values of credential fields.
std::string maskSecretFields(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!isNameChar(text[pos]) || (pos > 0 && isNameChar(text[pos - 1]))) {
            out.push_back(text[pos++]);
            continue;
        }
        std::size_t end = pos;
        while (end < text.size() && isNameChar(text[end])) {
            ++end;
        }
        out.append(text.substr(pos, end - pos));
        const std::size_t value = secretName(text.substr(pos, end - pos))
                                      ? valueAfterName(text, end)
                                      : std::string_view::npos;
        if (value == std::string_view::npos || value >= text.size()) {
            pos = end;
            continue;
        }
        out.append(text.substr(end, value - end));
        std::size_t valueEnd = value;
        if (text[value] == '"' || text[value] == '\'') {
            const char quote = text[value];
            valueEnd = value + 1;
            while (valueEnd < text.size() && text[valueEnd] != quote) {
                valueEnd += text[valueEnd] == '\\' ? 2 : 1;
            }
            valueEnd = std::min(valueEnd, text.size());
            out.push_back(quote);
            out.append(mask);
            if (valueEnd < text.size()) {
                out.push_back(quote);
                ++valueEnd;
            }
        } else if (text.substr(value, 4) == "null" || text[value] == '{' || text[value] == '[') {
            valueEnd = value; // nothing, or a structure whose own fields are looked at
        } else {
            while (valueEnd < text.size() &&
                   std::string_view("&,;}] \t\r\n").find(text[valueEnd]) ==
                       std::string_view::npos) {
                ++valueEnd;
            }
            out.append(mask);
        }
        pos = valueEnd;
    }
    return out;
}

// Masks token-looking runs.
std::string maskTokens(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!isTokenChar(text[pos])) {
            out.push_back(text[pos++]);
            continue;
        }
        std::size_t end = pos;
        while (end < text.size() && isTokenChar(text[end])) {
            ++end;
        }
        const std::string_view run = text.substr(pos, end - pos);
        if (looksLikeToken(run)) {
            out.append(mask);
        } else {
            out.append(run);
        }
        pos = end;
    }
    return out;
}

std::string cut(std::string text, std::size_t limit) {
    if (text.size() > limit) {
        text = text.substr(0, limit) + "...";
    }
    return text;
}

// The answer's own explanation of an error, when it gives one.
std::string explanation(const HttpResponse& response) {
    const Json body = Json::parse(response.body, nullptr, false);
    if (!body.is_object()) {
        return {};
    }
    for (const auto* key : {"detail", "message", "error_description", "error", "ErrorText"}) {
        const auto it = body.find(key);
        if (it != body.end() && it->is_string() && !it->get<std::string>().empty()) {
            return it->get<std::string>();
        }
    }
    return {};
}

std::string withStatus(const HttpResponse& response, const std::string& text) {
    return std::to_string(response.status) + (text.empty() ? "" : ": " + text);
}

} // namespace

std::string redactSecrets(std::string_view text) {
    return maskTokens(maskSecretFields(text.substr(0, std::min(text.size(), maxScanned))));
}

std::string quoteBody(std::string_view body, std::size_t limit) {
    return cut(redactSecrets(body), limit);
}

std::string answerSummary(const HttpResponse& response, std::size_t limit) {
    const std::string text = explanation(response);
    return withStatus(response, quoteBody(text.empty() ? response.body : text, limit));
}

std::string credentialAnswerSummary(const HttpResponse& response, std::size_t limit) {
    return withStatus(response, quoteBody(explanation(response), limit));
}

} // namespace fiscpos::core
