#pragma once

#include "core/errors.hpp"

#include <map>
#include <string>
#include <vector>

namespace fiscpos::signing {

// The provider refused: 401 (token), 403 (not this company), 404, 422 (validation, with the
// provider's messages per field), or another 4xx/5xx. Carries the provider's own words; what() is
// a sentence that includes the provider's message and every field error.
// code(): "provider_auth" (401, 403), "provider_not_found" (404), "provider_validation" (422),
// "provider_status" (any other status).
class ProviderError : public core::Error {
public:
    ProviderError(int status, std::string providerMessage,
                  std::map<std::string, std::vector<std::string>> fieldErrors);
    // A refusal another provider's API words itself (its credentials and fields have other
    // names): `sentence` is the whole what(); the status still decides code() and retryable().
    struct Worded {
        std::string sentence;
    };
    ProviderError(int status, Worded sentence, std::string providerMessage,
                  std::map<std::string, std::vector<std::string>> fieldErrors);
    int status() const noexcept { return status_; }
    // A technical failure worth trying again later (423, 429, 5xx), as opposed to a refusal.
    bool retryable() const noexcept { return status_ == 423 || status_ == 429 || status_ >= 500; }
    const std::string& providerMessage() const noexcept { return providerMessage_; }
    const std::map<std::string, std::vector<std::string>>& fieldErrors() const noexcept {
        return fieldErrors_;
    }
    // The first field the provider named, in its own path ("header.issued_at"); "" when none.
    std::string field() const { return fieldErrors_.empty() ? "" : fieldErrors_.begin()->first; }

private:
    int status_;
    std::string providerMessage_;
    std::map<std::string, std::vector<std::string>> fieldErrors_;
};

} // namespace fiscpos::signing
