// Text forms of a DER signature: standard base64 (what myDATA and Viva take) and hex (what Mellon's
// tools and the provider's signature_hex use), hex accepted in either case.
#pragma once

#include "signing/ecdsa.hpp"

#include <string>
#include <string_view>

namespace fiscpos::signing {

// Decodes base64 or hex, whichever the text is (hex is tried first when every character is a hex
// digit and the length is even). Checks that the bytes are a DER ECDSA signature
// (SEQUENCE { INTEGER r, INTEGER s }); otherwise a CryptoError that says why.
// A raw 64-byte r||s is refused: every provider signature seen is DER, and fiscpos never
// re-encodes a signature.
Bytes decodeSignature(std::string_view text);

// Checks that `der` is exactly one DER SEQUENCE { INTEGER r, INTEGER s } with positive, minimally
// encoded integers of at most 32 bytes (P-256); otherwise a CryptoError that says why.
void checkDerSignature(const Bytes& der);

std::string toBase64(const Bytes& bytes);
std::string toHexUpper(const Bytes& bytes);
// Strict standard base64 (RFC 4648 alphabet "+/", "=" padding, no whitespace, no stray bits);
// CryptoError on anything else.
Bytes fromBase64(std::string_view text);
Bytes fromHex(std::string_view text); // either case; CryptoError on bad hex

// Convenience: decode `signatureText` and verify it over `input`. A malformed signature verifies
// false here (the reason is lost); use decodeSignature() first to report it.
bool verifySignature(const PublicKey& key, std::string_view input, std::string_view signatureText);

} // namespace fiscpos::signing
