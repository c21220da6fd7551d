#include "gptom/gptom_settings.hpp"

#include "core/errors.hpp"

#include <algorithm>

namespace fiscpos::gptom {

namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool isHttpUrl(const std::string& text) {
    return startsWith(text, "https://") || startsWith(text, "http://");
}

// Printable ASCII without blanks: what may travel in a header, a form or a path.
bool isToken(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

bool isUpperAlpha(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A path on the host ("/cloud/oauth/token") or a whole http(s) URL, without a query.
bool isEndpoint(const std::string& text) {
    return isToken(text) && text.find_first_of("?#") == std::string::npos &&
           ((text.front() == '/' && text.size() > 1) || isHttpUrl(text));
}

} // namespace

const GptomSettings& GptomSettings::validate(Need need) const {
    const auto fail = [this](const char* key, const std::string& reason) {
        throw core::ConfigError(settingName(key), reason);
    };

    if (url.empty()) {
        fail("url", "is missing (e.g. https://cloud-api-dev.gptom.com)");
    }
    if (!isHttpUrl(url)) {
        fail("url", "\"" + url + "\" is not an http:// or https:// URL");
    }
    core::checkServerUrl(url, settingName("url"));
    if (url.find_first_of("?# ") != std::string::npos) {
        fail("url", "\"" + url + "\" must be the host (and path) only, without a query");
    }
    if (username.empty()) {
        fail("username", "is missing: the GP tom login of the merchant (or of its master account)");
    }
    if (password.empty()) {
        fail("password", "is missing: the password of the GP tom login");
    }
    if (clientCredential.empty()) {
        fail("client_credential",
             "is missing: the Basic client credential GP's Cloud API documentation publishes "
             "for the token call (the text after \"Authorization: Basic \")");
    }
    if (!isToken(clientCredential)) {
        fail("client_credential", "must not contain blanks or control characters");
    }
    if (tid.empty()) {
        fail("tid", "is missing: the terminal id (TID) of the device running GP tom");
    }
    if (!isToken(tid) || tid.find(';') != std::string::npos) {
        fail("tid", "\"" + tid + "\" is not a terminal id (TID): no blanks or ';'");
    }
    if (!isEndpoint(tokenUrl)) {
        fail("token_url", "\"" + tokenUrl +
                              "\" must be a path such as /cloud/oauth/token or an "
                              "http(s) URL");
    }
    if (refreshUrls.empty()) {
        fail("refresh_urls", "needs at least one path or URL (default /cloud/oauth/token, "
                             "/api/oauth/token)");
    }
    for (const auto& refreshUrl : refreshUrls) {
        if (!isEndpoint(refreshUrl)) {
            fail("refresh_urls", "\"" + refreshUrl +
                                     "\" must be a path such as /api/oauth/token or an http(s) "
                                     "URL");
        }
    }
    if (currency.size() != 3 || !isUpperAlpha(currency)) {
        fail("currency", "\"" + currency + "\" is not an ISO 4217 alphabetic code such as EUR");
    }
    if (!providerId.empty() && !isToken(providerId)) {
        fail("provider_id", "must not contain blanks or control characters");
    }

    if (need != Need::Payments) {
        return *this;
    }
    if (providerId.empty()) {
        fail("provider_id", "is missing: the provider's id that goes with its signature");
    }
    if (!a1155Confirmed) {
        fail("a1155_confirmed",
             "is not true: GP has not confirmed that its Cloud API carries the provider's "
             "signature to the terminal (AADE A.1155), so fiscpos takes no GP tom sale; set it "
             "to true only once GP has confirmed it in writing (see docs/operations.md)");
    }
    return *this;
}

} // namespace fiscpos::gptom
