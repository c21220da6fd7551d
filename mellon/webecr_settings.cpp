#include "mellon/webecr_settings.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::mellon {

namespace {

using core::allDigits;

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

const WebEcrSettings& WebEcrSettings::validate(Need need) const {
    const auto fail = [this](const char* key, const std::string& reason) {
        throw core::ConfigError(settingName(key), reason);
    };

    if (url.empty()) {
        fail("url", "is missing (e.g. https://www.mreceipts.com)");
    }
    if (!startsWith(url, "https://") && !startsWith(url, "http://")) {
        fail("url", "\"" + url + "\" is not an http:// or https:// URL");
    }
    core::checkServerUrl(url, settingName("url"));
    if (url.find_first_of("?# ") != std::string::npos) {
        fail("url", "\"" + url + "\" must be the host (and path) only, without a query");
    }
    if (!pathPrefix.empty() &&
        (pathPrefix.front() != '/' || pathPrefix.back() == '/' || !core::isPlainToken(pathPrefix) ||
         pathPrefix.find_first_of("?#") != std::string::npos)) {
        fail("path_prefix", "\"" + pathPrefix + "\" must be empty or look like /api");
    }
    if (!apiVersion.empty() && !std::all_of(apiVersion.begin(), apiVersion.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '.' || c == '_' || c == '-';
        })) {
        fail("api_version", "\"" + apiVersion + "\" must look like v2.2 (or be empty)");
    }
    if (username.empty()) {
        fail("username", "is missing: the WebECR integrator account's user name");
    }
    if (password.empty()) {
        fail("password", "is missing: the WebECR integrator account's password");
    }
    if (currencyCode < 1 || currencyCode > 999) {
        fail("currency", std::to_string(currencyCode) +
                             " is not an ISO 4217 numeric currency code (978 is EUR)");
    }

    if (waitSeconds < 0 || waitSeconds > maxWaitSeconds) {
        fail("wait_seconds", std::to_string(waitSeconds) +
                                 " is not a whole number of seconds from 0 "
                                 "(answer at once) to " +
                                 std::to_string(maxWaitSeconds));
    }

    if (!apiKey.empty() && !core::isPlainToken(apiKey)) {
        fail("api_key", "must not contain blanks or control characters");
    }
    if (!posId.empty() && (!allDigits(posId) || posId.size() > 18)) {
        fail("pos_id", "\"" + posId + "\" is not the numeric terminal id of the WebECR API");
    }
    if (!tid.empty() && (!core::isPlainToken(tid) || tid.find(';') != std::string::npos)) {
        fail("tid", "\"" + tid + "\" is not a terminal id (TID): no blanks or ';'");
    }
    if (!providerId.empty() && !core::isPlainToken(providerId)) {
        fail("provider_id", "must not contain blanks or control characters");
    }

    if (need == Need::Account) {
        return *this;
    }
    if (apiKey.empty()) {
        fail("api_key",
             "is missing: the terminal is not paired yet; pair it with fiscpos pair and the code "
             "the terminal shows under \"Link with 3rd party services\"");
    }
    if (need == Need::Paired) {
        return *this;
    }
    if (posId.empty()) {
        fail("pos_id", "is missing: the terminal's `id` in the WebECR terminal list (see fiscpos "
                       "terminals), not its TID");
    }
    if (tid.empty()) {
        fail("tid", "is missing: the terminal's TerminalID, the TID the provider signs");
    }
    if (providerId.empty()) {
        fail("provider_id", "is missing: the provider's id on the WebECR network (ProviderId)");
    }
    return *this;
}

} // namespace fiscpos::mellon
