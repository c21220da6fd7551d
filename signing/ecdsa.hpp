// ECDSA P-256 / SHA-256 keys, signing and verification with OpenSSL 3 EVP.
// Signatures are ASN.1 DER bytes (70-72 bytes); text forms are in signature_text.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::signing {

using Bytes = std::vector<std::uint8_t>;

class PublicKey {
public:
    // PEM "PUBLIC KEY" (SPKI). A key that does not parse, or is not on P-256, is a CryptoError.
    static PublicKey fromPem(std::string_view pem);
    static PublicKey fromPemFile(const std::filesystem::path& file);

    // True when `der` is a valid DER signature of SHA-256(message) under this key; false for any
    // signature that does not verify, including malformed DER.
    bool verify(std::string_view message, const Bytes& der) const;
    // Base64 of the SPKI DER ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...").
    std::string spkiBase64() const;
    // PEM "PUBLIC KEY", as fromPem reads it (and verify-signature --public-key).
    std::string pem() const;

    struct Handle;
    explicit PublicKey(std::shared_ptr<Handle> handle)
        : handle_(std::move(handle)) {}

private:
    std::shared_ptr<Handle> handle_;
};

class PrivateKey {
public:
    // PEM "PRIVATE KEY" or "EC PRIVATE KEY", unencrypted, on P-256; otherwise a CryptoError.
    static PrivateKey fromPem(std::string_view pem);
    static PrivateKey fromPemFile(const std::filesystem::path& file);
    // A fresh random P-256 key (for a demo or a test that needs a key of its own).
    static PrivateKey generate();

    // DER signature of SHA-256(message). ECDSA is randomised: two calls give different bytes.
    Bytes sign(std::string_view message) const;
    PublicKey publicKey() const;

    struct Handle;
    explicit PrivateKey(std::shared_ptr<Handle> handle)
        : handle_(std::move(handle)) {}

private:
    std::shared_ptr<Handle> handle_;
};

} // namespace fiscpos::signing
