// The settings of one Viva terminal ([terminal.NAME] with nsp = viva or viva-orders): the three
// Viva hosts, the two credential sets, and the identifiers the terminal, the cash register and the
// provider go by. The plugin reads them from the configuration; validate() checks them with errors
// naming the setting ("terminal.V1.client_secret").
//
// Viva has two credential sets (contract §1):
//   - the POS APIs credentials, client_id and client_secret: OAuth2 client credentials on the
//     accounts host, for the Cloud Terminal API (nsp = viva);
//   - Merchant ID and API Key: Basic auth on the legacy host, for the webhook verification key and
//     the Orders per Source flow (nsp = viva-orders).
#pragma once

#include "core/http_client.hpp"

#include <chrono>
#include <string>

namespace fiscpos::viva {

// Viva's hosts of one environment.
struct VivaHosts {
    std::string accounts; // OAuth2 token: {accounts}/connect/token
    std::string api;      // Cloud Terminal API: {api}/ecr/v1/...
    std::string legacy;   // Basic-auth API: {legacy}/api/orders, /api/transactions, ...
};

// demo-accounts / demo-api / demo.vivapayments.com
VivaHosts demoHosts();
// accounts / api / www.vivapayments.com
VivaHosts liveHosts();
// "demo" or "live"; a ConfigError naming `setting` for anything else.
VivaHosts hostsOf(const std::string& environment, const std::string& setting);

struct VivaSettings {
    // The configuration section these settings come from; errors name "<section>.<setting>".
    std::string section = "terminal";

    std::string accountsUrl; // https://demo-accounts.vivapayments.com
    std::string apiUrl;      // https://demo-api.vivapayments.com
    std::string legacyUrl;   // https://demo.vivapayments.com
    std::string clientId;    // POS APIs credentials
    std::string clientSecret;
    std::string scope;      // optional OAuth2 scope; empty: the client's full scope set
    std::string merchantId; // Basic auth on the legacy host
    std::string apiKey;
    std::string terminalId;   // the device's terminalId in the Cloud API; empty: the TID
    std::string tid;          // the TID the provider signs
    std::string cashRegister; // cashRegisterId: ours, the same for a sale and its abort
    std::string providerId;   // aadeProviderId: the provider's id on Viva (999 on demo)
    std::string sourceCode;   // viva-orders: the payment source (the POS) orders are made for
    std::string customerText; // customerTrns: shown to the cardholder; empty: not sent
    int currencyCode = 978;   // ISO 4217 numeric
    // How long after a sale a 404 may only mean "not registered yet" (contract §7.1).
    std::chrono::seconds registerGrace{15};
    // viva-orders: how long an order may be paid (PaymentTimeOut), in seconds.
    std::chrono::seconds orderTimeout{180};
    // `preload = on`: sales may be preloaded (aadePreloaded, aadePreloadedDuration in hours). Off
    // by default: the fields are known from Viva's documentation at second hand, and how a
    // preloaded session reports while it waits and when it lapses is not published.
    bool preload = false;
    core::HttpOptions http;

    // What an operation needs, from least to most.
    enum class Need {
        Account,  // the Cloud Terminal API: accounts_url, api_url, client_id, client_secret
        Payments, // Cloud sales: also tid and cash_register
        Legacy,   // the webhook key and the legacy API: legacy_url, merchant_id, api_key
        Orders,   // Orders per Source: the legacy set, tid and source_code
    };

    // Throws core::ConfigError naming the first unusable setting. Settings beyond `need` are
    // checked for their form when they are set.
    // Returns the settings, so that a constructor checks and takes them in one step.
    const VivaSettings& validate(Need need = Need::Payments) const;

    std::string settingName(const std::string& key) const { return section + "." + key; }
    // The terminalId the Cloud API is given: terminal_id, or the TID when it is not set.
    const std::string& deviceTerminalId() const { return terminalId.empty() ? tid : terminalId; }
};

} // namespace fiscpos::viva
