#include "viva/viva_settings.hpp"

#include "core/errors.hpp"
#include "core/section_check.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace fiscpos::viva {

namespace {

using core::allDigits;

// Text without control characters (UTF-8 allowed).
bool isPrintable(const std::string& text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

} // namespace

VivaHosts demoHosts() {
    return {"https://demo-accounts.vivapayments.com", "https://demo-api.vivapayments.com",
            "https://demo.vivapayments.com"};
}

VivaHosts liveHosts() {
    return {"https://accounts.vivapayments.com", "https://api.vivapayments.com",
            "https://www.vivapayments.com"};
}

VivaHosts hostsOf(const std::string& environment, const std::string& setting) {
    if (environment == "demo") {
        return demoHosts();
    }
    if (environment == "live") {
        return liveHosts();
    }
    throw core::ConfigError(setting, "\"" + environment + "\" is not demo or live");
}

const VivaSettings& VivaSettings::validate(Need need) const {
    const core::SectionCheck check(section);
    const auto checkUrl = [&check](const char* key, const std::string& url, const char* example) {
        check.serverUrl(key, url,
                        std::string("(e.g. ") + example + "); or set environment = demo or live");
    };

    // Form of whatever is set.
    check.plainToken("client_id", clientId);
    check.plainToken("client_secret", clientSecret);
    if (!scope.empty() && !isPrintable(scope)) {
        check.fail("scope", "must not contain control characters");
    }
    if (!merchantId.empty() && !core::isPlainToken(merchantId)) {
        check.fail("merchant_id", "\"" + merchantId + "\" is not a Viva Merchant ID (no blanks)");
    }
    check.plainToken("api_key", apiKey);
    if (!terminalId.empty() && (!allDigits(terminalId) || terminalId.size() > 18)) {
        check.fail("terminal_id", "\"" + terminalId + "\" is not a Viva terminal id (digits)");
    }
    check.terminalId("tid", tid);
    if (!cashRegister.empty() && (!core::isPlainToken(cashRegister) || cashRegister.size() > 50)) {
        check.fail("cash_register",
                   "\"" + cashRegister + "\" must be 1 to 50 printable characters without blanks");
    }
    if (!providerId.empty() && !allDigits(providerId)) {
        check.fail("provider_id",
                   "\"" + providerId + "\" is not the provider's numeric id on Viva (999 on demo)");
    }
    if (!sourceCode.empty() && !core::isPlainToken(sourceCode)) {
        check.fail("source_code", "\"" + sourceCode + "\" is not a Viva source code (no blanks)");
    }
    if (!isPrintable(customerText) || customerText.size() > 2048) {
        check.fail("customer_text", "must be printable text of at most 2048 characters");
    }
    check.currencyNumber("currency", currencyCode);
    if (registerGrace < std::chrono::seconds(0) || registerGrace > std::chrono::seconds(120)) {
        check.fail("register_grace_seconds",
                   std::to_string(registerGrace.count()) + " is not between 0 and 120 seconds");
    }
    if (orderTimeout < std::chrono::seconds(30) || orderTimeout > std::chrono::hours(24)) {
        check.fail("order_timeout_seconds",
                   std::to_string(orderTimeout.count()) + " is not between 30 and 86400 seconds");
    }

    if (need == Need::Legacy || need == Need::Orders) {
        checkUrl("legacy_url", legacyUrl, "https://demo.vivapayments.com");
        check.required("merchant_id", merchantId, "the Merchant ID under Settings > API Access");
        check.required("api_key", apiKey, "the API Key under Settings > API Access");
        if (need == Need::Legacy) {
            return *this;
        }
        check.required("tid", tid, "the terminal id (TID) the provider signs");
        check.required("source_code", sourceCode,
                       "the payment source the POS takes orders from (in Viva's ERP guide, the "
                       "terminal's serial number)");
        return *this;
    }

    checkUrl("accounts_url", accountsUrl, "https://demo-accounts.vivapayments.com");
    checkUrl("api_url", apiUrl, "https://demo-api.vivapayments.com");
    check.required("client_id", clientId, "the Client ID of the POS APIs credentials");
    check.required("client_secret", clientSecret, "the Client Secret of the POS APIs credentials");
    if (need == Need::Account) {
        return *this;
    }
    check.required("tid", tid,
                   "the terminal id (TID) under Sales > Physical Payments > Card Terminals, the "
                   "TID the provider signs");
    if (terminalId.empty() && !allDigits(tid)) {
        check.fail("terminal_id", "is missing and the TID \"" + tid +
                                      "\" is not numeric: set the device's terminalId (see fiscpos "
                                      "terminals)");
    }
    check.required("cash_register", cashRegister,
                   "an id of this cash register of your choice (e.g. ERP-1); it must stay the "
                   "same, Viva lets only it abort a payment");
    return *this;
}

} // namespace fiscpos::viva
