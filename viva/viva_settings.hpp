// What fiscpos needs to reach one Viva terminal through the Cloud Terminal API: the OAuth2 client
// credentials, the hosts, and the identifiers the terminal and the provider go by.
#pragma once

#include "core/http_client.hpp"

#include <string>

namespace fiscpos::viva {

struct VivaSettings {
    std::string section;     // "terminal.V1", for messages that name a setting
    std::string accountsUrl; // https://demo-accounts.vivapayments.com
    std::string apiUrl;      // https://demo-api.vivapayments.com
    std::string clientId;
    std::string clientSecret;
    std::string terminalId;   // the device's terminalId in Viva's API
    std::string tid;          // the TID the provider signs
    std::string cashRegister; // cashRegisterId: ours, the same for a sale and its abort
    std::string providerId;   // aadeProviderId
    core::HttpOptions http;
};

// ConfigError naming the setting for an empty required field or a URL that is not http(s).
void checkSettings(const VivaSettings& settings);

} // namespace fiscpos::viva
