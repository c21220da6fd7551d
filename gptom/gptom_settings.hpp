// What fiscpos needs to reach one GP tom terminal through the Cloud API: the API account (one per
// terminal, or the master account with the TID on every call) and the identifiers.
#pragma once

#include "core/http_client.hpp"

#include <string>

namespace fiscpos::gptom {

struct GptomSettings {
    std::string section; // "terminal.G1", for messages that name a setting
    std::string url;     // the Cloud API host
    std::string username;
    std::string password;
    bool masterAccount = false; // true: log in without tid and name the TID on every call
    std::string tid;            // the terminal id (the provider signs it too)
    std::string providerId;
    core::HttpOptions http;
};

// ConfigError naming the setting for an empty required field.
void checkSettings(const GptomSettings& settings);

} // namespace fiscpos::gptom
