// The Viva terminal's AADE check of a request's aade* fields (contract viva-cloud-terminal.md §6),
// the same for the Cloud Terminal API (/viva-api) and the Local Terminal API (/viva-local).
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"
#include "signing/ecdsa.hpp"

#include <set>
#include <string>

namespace fiscpos::sim::viva {

// The aade* field names.
inline constexpr const char* aadeKeys[] = {"aadeProviderId", "aadeProviderSignatureData",
                                           "aadeProviderSignature"};

// Who the terminal trusts: the provider's public key and the aadeProviderId values it accepts
// (empty: any digits).
struct AadeTrust {
    const signing::PublicKey& providerKey;
    const std::set<std::string>& providerIds;
};

// 0 when the aade* fields of `body` pass: none given and not `required`, or all three given, the
// id accepted, the signature verifying over aadeProviderSignatureData, and that Input in Viva's
// layout with Payable `amount` and TID `terminalId`. Otherwise 1083 (missing), 1076 (id or
// signature) or 1077 (Input), with the reason in `why`.
int checkAade(const core::Json& body, core::Money amount, const std::string& terminalId,
              bool required, const AadeTrust& trust, std::string& why);

} // namespace fiscpos::sim::viva
