// The fiscpos configuration file (INI). Values may end in a "; comment"; "${NAME}" is replaced by
// the environment variable NAME, so secrets need not be written in the file. Every error is a
// ConfigError naming the setting ("provider.token") and saying what is wrong.
#pragma once

#include "core/http_client.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::core {

class Config {
public:
    static Config load(const std::filesystem::path& file);
    static Config fromText(const std::string& text, std::filesystem::path baseDir = ".");

    std::optional<std::string> get(const std::string& key) const;
    std::string require(const std::string& key) const;
    std::string getOr(const std::string& key, const std::string& fallback) const;
    int getInt(const std::string& key, int fallback, int min, int max) const;
    // true or false; ConfigError naming the key for anything else.
    bool getBool(const std::string& key, bool fallback) const;
    // A comma-separated list, blanks around the items and empty items dropped.
    std::vector<std::string> getList(const std::string& key,
                                     std::vector<std::string> fallback) const;
    // A file path; relative paths are relative to the configuration file's folder.
    std::optional<std::filesystem::path> getPath(const std::string& key) const;
    // The sub-keys of a section ("terminal" → {"A3", "V1"}).
    std::vector<std::string> sections(const std::string& prefix) const;

    const std::filesystem::path& file() const { return file_; }

private:
    Config(Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini, std::filesystem::path file,
           std::filesystem::path baseDir);
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini_;
    std::filesystem::path file_;
    std::filesystem::path baseDir_;
};

// The HTTP options of a section: ca_file (relative to the configuration file),
// certificate_sha256 (a pinned server certificate, HttpOptions), connect_timeout_ms,
// read_timeout_ms.
HttpOptions httpOptions(const Config& config, const std::string& section);

} // namespace fiscpos::core
