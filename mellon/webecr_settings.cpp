#include "mellon/webecr_settings.hpp"

#include "core/errors.hpp"
#include "core/section_check.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::mellon {

namespace {

using core::allDigits;

} // namespace

const WebEcrSettings& WebEcrSettings::validate(Need need) const {
    const core::SectionCheck check(section);

    check.serverUrl("url", url, "(e.g. https://www.mreceipts.com)");
    if (!pathPrefix.empty() &&
        (pathPrefix.front() != '/' || pathPrefix.back() == '/' || !core::isPlainToken(pathPrefix) ||
         pathPrefix.find_first_of("?#") != std::string::npos)) {
        check.fail("path_prefix", "\"" + pathPrefix + "\" must be empty or look like /api");
    }
    if (!apiVersion.empty() && !std::all_of(apiVersion.begin(), apiVersion.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '.' || c == '_' || c == '-';
        })) {
        check.fail("api_version", "\"" + apiVersion + "\" must look like v2.2 (or be empty)");
    }
    check.required("username", username, "the WebECR integrator account's user name");
    check.required("password", password, "the WebECR integrator account's password");
    check.currencyNumber("currency", currencyCode);

    if (waitSeconds < 0 || waitSeconds > maxWaitSeconds) {
        check.fail("wait_seconds", std::to_string(waitSeconds) +
                                       " is not a whole number of seconds from 0 "
                                       "(answer at once) to " +
                                       std::to_string(maxWaitSeconds));
    }

    check.plainToken("api_key", apiKey);
    if (!posId.empty() && (!allDigits(posId) || posId.size() > 18)) {
        check.fail("pos_id", "\"" + posId + "\" is not the numeric terminal id of the WebECR API");
    }
    check.terminalId("tid", tid);
    check.plainToken("provider_id", providerId);

    if (need == Need::Account) {
        return *this;
    }
    check.required("api_key", apiKey,
                   "the terminal is not paired yet; pair it with fiscpos pair and the code the "
                   "terminal shows under \"Link with 3rd party services\"");
    if (need == Need::Paired) {
        return *this;
    }
    check.required("pos_id", posId,
                   "the terminal's `id` in the WebECR terminal list (see fiscpos terminals), not "
                   "its TID");
    check.required("tid", tid, "the terminal's TerminalID, the TID the provider signs");
    check.required("provider_id", providerId,
                   "the provider's id on the WebECR network (ProviderId)");
    return *this;
}

} // namespace fiscpos::mellon
