// The checks a network's settings share, on one [section] of the configuration: each failure is a
// ConfigError naming "<section>.<key>" and saying what is wrong in words an installer can act on.
#pragma once

#include <string>
#include <string_view>

namespace fiscpos::core {

class SectionCheck {
public:
    explicit SectionCheck(std::string section)
        : section_(std::move(section)) {}

    [[noreturn]] void fail(std::string_view key, const std::string& reason) const;

    // Set, or "is missing: <what>".
    void required(std::string_view key, const std::string& value, std::string_view what) const;
    // The base URL of a server: set ("is missing <hint>"), http:// or https:// (plain http only
    // to this machine, checkServerUrl), the host and path only.
    void serverUrl(std::string_view key, const std::string& url, std::string_view hint) const;
    // Empty, or printable ASCII without blanks (a credential or an id that travels in a header, a
    // form or a path).
    void plainToken(std::string_view key, const std::string& value) const;
    // Empty, or a terminal id (TID) as it goes into a signed Input: no blanks, no ';'.
    void terminalId(std::string_view key, const std::string& value) const;
    // An ISO 4217 numeric currency code.
    void currencyNumber(std::string_view key, int code) const;

private:
    std::string section_;
};

} // namespace fiscpos::core
