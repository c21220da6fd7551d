#include "viva/viva_settings.hpp"

#include "core/errors.hpp"
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

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
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
    const auto fail = [this](const char* key, const std::string& reason) {
        throw core::ConfigError(settingName(key), reason);
    };
    const auto checkUrl = [&](const char* key, const std::string& url, const char* example) {
        if (url.empty()) {
            fail(key, std::string("is missing (e.g. ") + example +
                          "); or set environment = demo or live");
        }
        if (!startsWith(url, "https://") && !startsWith(url, "http://")) {
            fail(key, "\"" + url + "\" is not an http:// or https:// URL");
        }
        core::checkServerUrl(url, settingName(key));
        if (url.find_first_of("?# ") != std::string::npos) {
            fail(key, "\"" + url + "\" must be the host (and path) only, without a query");
        }
    };

    // Form of whatever is set.
    if (!clientId.empty() && !core::isPlainToken(clientId)) {
        fail("client_id", "must not contain blanks or control characters");
    }
    if (!clientSecret.empty() && !core::isPlainToken(clientSecret)) {
        fail("client_secret", "must not contain blanks or control characters");
    }
    if (!scope.empty() && !isPrintable(scope)) {
        fail("scope", "must not contain control characters");
    }
    if (!merchantId.empty() && !core::isPlainToken(merchantId)) {
        fail("merchant_id", "\"" + merchantId + "\" is not a Viva Merchant ID (no blanks)");
    }
    if (!apiKey.empty() && !core::isPlainToken(apiKey)) {
        fail("api_key", "must not contain blanks or control characters");
    }
    if (!terminalId.empty() && (!allDigits(terminalId) || terminalId.size() > 18)) {
        fail("terminal_id", "\"" + terminalId + "\" is not a Viva terminal id (digits)");
    }
    if (!tid.empty() && (!core::isPlainToken(tid) || tid.find(';') != std::string::npos)) {
        fail("tid", "\"" + tid + "\" is not a terminal id (TID): no blanks or ';'");
    }
    if (!cashRegister.empty() && (!core::isPlainToken(cashRegister) || cashRegister.size() > 50)) {
        fail("cash_register",
             "\"" + cashRegister + "\" must be 1 to 50 printable characters without blanks");
    }
    if (!providerId.empty() && !allDigits(providerId)) {
        fail("provider_id",
             "\"" + providerId + "\" is not the provider's numeric id on Viva (999 on demo)");
    }
    if (!sourceCode.empty() && !core::isPlainToken(sourceCode)) {
        fail("source_code", "\"" + sourceCode + "\" is not a Viva source code (no blanks)");
    }
    if (!isPrintable(customerText) || customerText.size() > 2048) {
        fail("customer_text", "must be printable text of at most 2048 characters");
    }
    if (currencyCode < 1 || currencyCode > 999) {
        fail("currency", std::to_string(currencyCode) +
                             " is not an ISO 4217 numeric currency code (978 is EUR)");
    }
    if (registerGrace < std::chrono::seconds(0) || registerGrace > std::chrono::seconds(120)) {
        fail("register_grace_seconds",
             std::to_string(registerGrace.count()) + " is not between 0 and 120 seconds");
    }
    if (orderTimeout < std::chrono::seconds(30) || orderTimeout > std::chrono::hours(24)) {
        fail("order_timeout_seconds",
             std::to_string(orderTimeout.count()) + " is not between 30 and 86400 seconds");
    }

    if (need == Need::Legacy || need == Need::Orders) {
        checkUrl("legacy_url", legacyUrl, "https://demo.vivapayments.com");
        if (merchantId.empty()) {
            fail("merchant_id", "is missing: the Merchant ID under Settings > API Access");
        }
        if (apiKey.empty()) {
            fail("api_key", "is missing: the API Key under Settings > API Access");
        }
        if (need == Need::Legacy) {
            return *this;
        }
        if (tid.empty()) {
            fail("tid", "is missing: the terminal id (TID) the provider signs");
        }
        if (sourceCode.empty()) {
            fail("source_code", "is missing: the payment source the POS takes orders from (in "
                                "Viva's ERP guide, the terminal's serial number)");
        }
        return *this;
    }

    checkUrl("accounts_url", accountsUrl, "https://demo-accounts.vivapayments.com");
    checkUrl("api_url", apiUrl, "https://demo-api.vivapayments.com");
    if (clientId.empty()) {
        fail("client_id", "is missing: the Client ID of the POS APIs credentials");
    }
    if (clientSecret.empty()) {
        fail("client_secret", "is missing: the Client Secret of the POS APIs credentials");
    }
    if (need == Need::Account) {
        return *this;
    }
    if (tid.empty()) {
        fail("tid", "is missing: the terminal id (TID) under Sales > Physical Payments > Card "
                    "Terminals, the TID the provider signs");
    }
    if (terminalId.empty() && !allDigits(tid)) {
        fail("terminal_id", "is missing and the TID \"" + tid +
                                "\" is not numeric: set the device's terminalId (see fiscpos "
                                "terminals)");
    }
    if (cashRegister.empty()) {
        fail("cash_register", "is missing: an id of this cash register of your choice (e.g. "
                              "ERP-1); it must stay the same, Viva lets only it abort a payment");
    }
    return *this;
}

} // namespace fiscpos::viva
