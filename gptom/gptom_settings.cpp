#include "gptom/gptom_settings.hpp"

#include "core/errors.hpp"
#include "core/section_check.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::gptom {

namespace {

bool isUpperAlpha(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A path on the host ("/cloud/oauth/token") or a whole http(s) URL, without a query.
bool isEndpoint(const std::string& text) {
    return core::isPlainToken(text) && text.find_first_of("?#") == std::string::npos &&
           ((text.front() == '/' && text.size() > 1) || text.starts_with("https://") ||
            text.starts_with("http://"));
}

} // namespace

const GptomSettings& GptomSettings::validate(Need need) const {
    const core::SectionCheck check(section);

    check.serverUrl("url", url, "(e.g. https://cloud-api-dev.gptom.com)");
    check.required("username", username,
                   "the GP tom login of the merchant (or of its master account)");
    check.required("password", password, "the password of the GP tom login");
    check.required("client_credential", clientCredential,
                   "the Basic client credential GP's Cloud API documentation publishes for the "
                   "token call (the text after \"Authorization: Basic \")");
    check.plainToken("client_credential", clientCredential);
    check.required("tid", tid, "the terminal id (TID) of the device running GP tom");
    check.terminalId("tid", tid);
    if (!isEndpoint(tokenUrl)) {
        check.fail("token_url", "\"" + tokenUrl +
                                    "\" must be a path such as /cloud/oauth/token or an "
                                    "http(s) URL");
    }
    if (refreshUrls.empty()) {
        check.fail("refresh_urls", "needs at least one path or URL (default /cloud/oauth/token, "
                                   "/api/oauth/token)");
    }
    for (const auto& refreshUrl : refreshUrls) {
        if (!isEndpoint(refreshUrl)) {
            check.fail("refresh_urls",
                       "\"" + refreshUrl +
                           "\" must be a path such as /api/oauth/token or an http(s) "
                           "URL");
        }
    }
    if (currency.size() != 3 || !isUpperAlpha(currency)) {
        check.fail("currency",
                   "\"" + currency + "\" is not an ISO 4217 alphabetic code such as EUR");
    }
    check.plainToken("provider_id", providerId);

    if (need != Need::Payments) {
        return *this;
    }
    check.required("provider_id", providerId, "the provider's id that goes with its signature");
    if (!a1155Confirmed) {
        check.fail(
            "a1155_confirmed",
            "is not true: GP has not confirmed that its Cloud API carries the provider's "
            "signature to the terminal (AADE A.1155), so fiscpos takes no GP tom sale; set it "
            "to true only once GP has confirmed it in writing (see docs/operations.md)");
    }
    return *this;
}

} // namespace fiscpos::gptom
