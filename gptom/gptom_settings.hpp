// The settings of one GP tom terminal ([terminal.NAME] with nsp = gptom): where the Cloud API is,
// the GP tom account (one per terminal, or the company's master account that names the TID on
// every call), the fixed OAuth2 client credential GP publishes, and the terminal's ids. The plugin
// reads them from the configuration; validate() checks them with errors naming the setting.
#pragma once

#include "core/http_client.hpp"

#include <string>
#include <vector>

namespace fiscpos::gptom {

struct GptomSettings {
    // The configuration section these settings come from; errors name "<section>.<setting>".
    std::string section = "terminal";

    std::string
        url; // the Cloud API host: https://cloud-api-dev.gptom.com (test), cloud-api.gptom.com
    std::string username; // the merchant's GP tom login
    std::string password;
    // What goes after "Authorization: Basic " on the token calls: the client credential GP
    // publishes in its docs (the same for every customer), kept here because GP may change it.
    std::string clientCredential;
    // true: the company's master API account logs in without a TID and names it on every call.
    bool masterAccount = false;
    std::string tid;        // the destination terminal (TID); the provider signs it too
    std::string providerId; // the provider's id, carried with its signature

    // Where the tokens come from: a path on `url` ("/cloud/oauth/token") or a whole URL. GP's
    // docs show the refresh at two places; each is tried in turn, then a new login.
    std::string tokenUrl = "/cloud/oauth/token";
    std::vector<std::string> refreshUrls{"/cloud/oauth/token", "/api/oauth/token"};

    std::string currency = "EUR"; // ISO 4217 alphabetic
    bool printReceipt = false;    // the GP tom app prints the receipt on the device
    // GP has confirmed in writing that its Cloud API carries the provider's signature to the
    // terminal (A.1155). Until then a sale is refused: see docs/operations.md.
    bool a1155Confirmed = false;
    core::HttpOptions http;

    // What an operation needs, from least to most.
    enum class Need {
        Account,  // tokens, cancellations, batch closes: url, username, password,
                  // client_credential, tid
        Payments, // sales: also provider_id, and a1155_confirmed = true
    };

    // Throws core::ConfigError naming the first unusable setting ("terminal.G1.tid"). Settings
    // beyond `need` are checked for their form when they are set.
    // Returns the settings, so that a constructor checks and takes them in one step.
    const GptomSettings& validate(Need need = Need::Payments) const;

    std::string settingName(const std::string& key) const { return section + "." + key; }
};

} // namespace fiscpos::gptom
