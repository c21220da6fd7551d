#include "core/config.hpp"

#include "core/errors.hpp"
#include "core/files.hpp"

#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace fiscpos::core {

namespace {

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// "value   ; comment" → "value". A ';' glued to the value (no blank before it) is kept.
std::string withoutComment(const std::string& raw) {
    if (trim(raw).starts_with(";")) {
        return {}; // "key =   ; a comment" holds no value
    }
    for (std::size_t i = 1; i < raw.size(); ++i) {
        if (raw[i] == ';' && (raw[i - 1] == ' ' || raw[i - 1] == '\t')) {
            return trim(raw.substr(0, i));
        }
    }
    return trim(raw);
}

std::string expandEnvironment(const std::string& key, const std::string& value) {
    std::string out;
    std::size_t pos = 0;
    while (pos < value.size()) {
        const auto start = value.find("${", pos);
        if (start == std::string::npos) {
            out += value.substr(pos);
            break;
        }
        const auto end = value.find('}', start + 2);
        if (end == std::string::npos) {
            throw core::ConfigError(key, "\"${\" without a closing \"}\"");
        }
        out += value.substr(pos, start - pos);
        const std::string name = value.substr(start + 2, end - start - 2);
        const char* env = std::getenv(name.c_str());
        if (env == nullptr) {
            throw core::ConfigError(key, "the environment variable " + name + " is not set");
        }
        out += env;
        pos = end + 1;
    }
    return out;
}

std::string lowered(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

// The INI reader underneath takes almost anything; a typo must not silently drop a setting. Every
// line is blank, a comment (; or #), a [section] or a key = value, and a key appears once in its
// section. ConfigError naming the line otherwise.
void checkIniLines(const std::string& text) {
    std::istringstream in(text);
    std::string raw;
    std::string section;
    std::map<std::string, int> seen; // "section.key" -> the line it was set on
    for (int number = 1; std::getline(in, raw); ++number) {
        const std::string line = trim(raw);
        const std::string where = "line " + std::to_string(number);
        if (line.empty() || line.front() == ';' || line.front() == '#') {
            continue;
        }
        if (line.find('\0') != std::string::npos) {
            throw core::ConfigError("--config", where + " holds a NUL byte");
        }
        if (line.front() == '[') {
            if (line.back() != ']') {
                throw core::ConfigError("--config", where + ": \"" + line +
                                                        "\" opens a section without closing "
                                                        "it with ]");
            }
            section = lowered(trim(line.substr(1, line.size() - 2)));
            if (section.empty()) {
                throw core::ConfigError("--config", where + ": a section needs a name");
            }
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string::npos) {
            throw core::ConfigError("--config", where + ": \"" + line +
                                                    "\" is neither a [section] nor key = value");
        }
        const std::string key = trim(line.substr(0, equals));
        if (key.empty()) {
            throw core::ConfigError("--config", where + ": a value without a key");
        }
        const std::string name = (section.empty() ? "" : section + ".") + lowered(key);
        const auto [it, added] = seen.emplace(name, number);
        if (!added) {
            throw core::ConfigError(name, "is set twice (" + where + " and line " +
                                              std::to_string(it->second) + "); keep one of them");
        }
    }
}

} // namespace

Config::Config(Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini, std::filesystem::path file,
               std::filesystem::path baseDir)
    : ini_(std::move(ini))
    , file_(std::move(file))
    , baseDir_(std::move(baseDir)) {}

Config Config::load(const std::filesystem::path& file) {
    std::string text;
    try {
        text = core::readBoundedFile(file, "--config", 1U << 20U);
    } catch (const core::InputError& e) {
        throw core::ConfigError("--config", e.what() + std::string(" (--config names the "
                                                                   "configuration file)"));
    }
    Config config = fromText(text, file.parent_path().empty() ? "." : file.parent_path());
    config.file_ = file;
    return config;
}

Config Config::fromText(const std::string& text, std::filesystem::path baseDir) {
    checkIniLines(text);
    std::istringstream in(text);
    try {
        Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(
            new Poco::Util::IniFileConfiguration(in));
        return Config(ini, {}, std::move(baseDir));
    } catch (const Poco::Exception& e) {
        throw core::ConfigError("--config", "not an INI file: " + e.displayText());
    }
}

std::optional<std::string> Config::get(const std::string& key) const {
    if (!ini_->hasProperty(key)) {
        return std::nullopt;
    }
    const std::string value = expandEnvironment(key, withoutComment(ini_->getRawString(key)));
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

std::string Config::require(const std::string& key) const {
    auto value = get(key);
    if (!value) {
        const auto dot = key.rfind('.');
        const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
        throw core::ConfigError(key, "is required (set " + key.substr(dot + 1) + " = ... in [" +
                                         section + "])");
    }
    return *value;
}

std::string Config::getOr(const std::string& key, const std::string& fallback) const {
    return get(key).value_or(fallback);
}

int Config::getInt(const std::string& key, int fallback, int min, int max) const {
    const auto value = get(key);
    if (!value) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        const long parsed = std::stol(*value, &used);
        if (used != value->size() || parsed < min || parsed > max) {
            throw std::out_of_range("range");
        }
        return static_cast<int>(parsed);
    } catch (const std::logic_error&) {
        throw core::ConfigError(key, "\"" + *value + "\" is not a whole number from " +
                                         std::to_string(min) + " to " + std::to_string(max));
    }
}

std::optional<std::filesystem::path> Config::getPath(const std::string& key) const {
    const auto value = get(key);
    if (!value) {
        return std::nullopt;
    }
    std::filesystem::path path(*value);
    return path.is_absolute() ? path : baseDir_ / path;
}

std::vector<std::string> Config::sections(const std::string& prefix) const {
    Poco::Util::AbstractConfiguration::Keys keys;
    ini_->keys(prefix, keys);
    return keys;
}

bool Config::getBool(const std::string& key, bool fallback) const {
    const std::string value = getOr(key, fallback ? "true" : "false");
    if (value != "true" && value != "false") {
        throw ConfigError(key, "\"" + value + "\" is not true or false");
    }
    return value == "true";
}

std::vector<std::string> Config::getList(const std::string& key,
                                         std::vector<std::string> fallback) const {
    const auto value = get(key);
    if (!value) {
        return fallback;
    }
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= value->size()) {
        const std::size_t end = std::min(value->find(',', start), value->size());
        std::string item = trim(value->substr(start, end - start));
        if (!item.empty()) {
            items.push_back(item);
        }
        start = end + 1;
    }
    return items;
}

HttpOptions httpOptions(const Config& config, const std::string& section) {
    HttpOptions options;
    if (auto ca = config.getPath(section + ".ca_file")) {
        options.caFile = ca->string();
    }
    options.certificateSha256 = config.getOr(section + ".certificate_sha256", "");
    options.connectTimeout =
        std::chrono::milliseconds(config.getInt(section + ".connect_timeout_ms", 5000, 100, 60000));
    options.readTimeout =
        std::chrono::milliseconds(config.getInt(section + ".read_timeout_ms", 10000, 100, 120000));
    options.userAgent = std::string("fiscpos/") + FISCPOS_VERSION;
    return options;
}

} // namespace fiscpos::core
