// The payment network (NSP) a signature is made for. The provider assembles the Input in the
// layout of that network; the numbers are the mydataprovider v2 `nsp` values.
#pragma once

#include "signing/input_text.hpp"

#include <string_view>

namespace fiscpos::signing {

enum class Nsp { Viva = 1, WebEcr = 2, Worldline = 3, Edps = 4, EpaySoftPos = 5 };

// "viva", "webecr", "worldline", "edps", "epay-softpos"
std::string_view nspName(Nsp nsp);
// The provider's own names: "Viva", "WebEcr", "Worldline", "Edps", "EpaySoftPos".
std::string_view providerNspName(Nsp nsp);
// Parses a name above (ours or the provider's, in any case) or the number ("2"); InputError naming
// `field` otherwise.
Nsp parseNsp(std::string_view text, std::string_view field);
// From the provider's integer; ResponseError naming `field` for an unknown value.
Nsp nspFromValue(long long value, std::string_view field);
// The Input layout the provider uses for this network: Viva → Viva (payable first); WebECR and
// the rest → Mellon (the only other layout that has been seen).
InputLayout layoutFor(Nsp nsp);

} // namespace fiscpos::signing
