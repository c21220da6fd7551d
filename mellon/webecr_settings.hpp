// The settings of one WebECR terminal ([terminal.NAME] with nsp = mellon): where the network is,
// the integrator account, the pairing's API key and the terminal's two ids. The plugin reads them
// from the configuration; validate() checks them with errors naming the setting.
#pragma once

#include "core/http_client.hpp"

#include <string>

namespace fiscpos::mellon {

struct WebEcrSettings {
    // The configuration section these settings come from; errors name "<section>.<setting>".
    std::string section = "terminal";

    std::string url;                 // https://www.mreceipts.com (epay, fintechiq: their host)
    std::string pathPrefix = "/api"; // "" for hosts that serve the API at their root
    std::string apiVersion = "v2.2"; // "" for hosts that serve it unversioned
    std::string username;            // the integrator account
    std::string password;
    std::string apiKey;     // X-Api-Key from redeem ("fiscpos pair"); empty until paired
    std::string posId;      // the terminal's `id`, used in paths (terminal/{id}/txninit/)
    std::string tid;        // its TerminalID, the TID the provider signs
    std::string providerId; // ProviderData.ProviderId: the provider's id on this network
    int currencyCode = 978; // ISO 4217 numeric
    // How long txninit and txnvoid may hold the answer until the terminal finishes (their
    // `Timeout`, in seconds): 0 answers at once and the caller polls; at most maxWaitSeconds.
    // The HTTP read timeout of those calls grows by as much.
    int waitSeconds = defaultWaitSeconds;
    core::HttpOptions http;

    // Outlasts a usual card payment and stays under the 60-s idle limit of common proxies; see
    // docs/operations.md, "Waiting for the result", for the measurements behind it.
    static constexpr int defaultWaitSeconds = 50;
    static constexpr int maxWaitSeconds = 180; // the network's limit

    // What an operation needs, from least to most.
    enum class Need {
        Account,  // token and redeem: url, username, password
        Paired,   // the terminal list: also api_key
        Payments, // intents: also pos_id, tid, provider_id
    };

    // Throws core::ConfigError naming the first unusable setting ("terminal.A3.pos_id").
    // Settings beyond `need` are checked for their form when they are set.
    // Returns the settings, so that a constructor checks and takes them in one step.
    const WebEcrSettings& validate(Need need = Need::Payments) const;

    std::string settingName(const std::string& key) const { return section + "." + key; }
};

} // namespace fiscpos::mellon
