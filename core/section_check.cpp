#include "core/section_check.hpp"

#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/text.hpp"

namespace fiscpos::core {

void SectionCheck::fail(std::string_view key, const std::string& reason) const {
    throw ConfigError(section_ + "." + std::string(key), reason);
}

void SectionCheck::required(std::string_view key, const std::string& value,
                            std::string_view what) const {
    if (value.empty()) {
        fail(key, "is missing: " + std::string(what));
    }
}

void SectionCheck::serverUrl(std::string_view key, const std::string& url,
                             std::string_view hint) const {
    if (url.empty()) {
        fail(key, "is missing " + std::string(hint));
    }
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        fail(key, "\"" + url + "\" is not an http:// or https:// URL");
    }
    checkServerUrl(url, section_ + "." + std::string(key));
    if (url.find_first_of("?# ") != std::string::npos) {
        fail(key, "\"" + url + "\" must be the host (and path) only, without a query");
    }
}

void SectionCheck::plainToken(std::string_view key, const std::string& value) const {
    if (!value.empty() && !isPlainToken(value)) {
        fail(key, "must not contain blanks or control characters");
    }
}

void SectionCheck::terminalId(std::string_view key, const std::string& value) const {
    if (!value.empty() && (!isPlainToken(value) || value.find(';') != std::string::npos)) {
        fail(key, "\"" + value + "\" is not a terminal id (TID): no blanks or ';'");
    }
}

void SectionCheck::currencyNumber(std::string_view key, int code) const {
    if (code < 1 || code > 999) {
        fail(key, std::to_string(code) + " is not an ISO 4217 numeric currency code (978 is EUR)");
    }
}

} // namespace fiscpos::core
