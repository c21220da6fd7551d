#include "signing/ecdsa.hpp"

#include "core/errors.hpp"
#include "signing/signature_text.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace fiscpos::signing {

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// The first reason OpenSSL queued for the last failure, or "" when it queued none. Always leaves
// the thread's error queue empty, so that one failure never shows up in an unrelated later call.
std::string takeOpensslReason() {
    std::string reason;
    unsigned long code = ERR_get_error();
    if (code != 0) {
        const char* text = ERR_reason_error_string(code);
        reason = text != nullptr ? text : "error " + std::to_string(code);
    }
    ERR_clear_error();
    return reason;
}

[[noreturn]] void fail(const std::string& what) {
    const std::string reason = takeOpensslReason();
    throw core::CryptoError(reason.empty() ? what : what + " (" + reason + ")");
}

BioPtr memoryBio(std::string_view text) {
    if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw core::CryptoError("key text is too large");
    }
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) {
        fail("cannot allocate a memory BIO");
    }
    return bio;
}

// Refuses to prompt for a pass phrase: fiscpos reads unencrypted keys only.
int noPassword(char*, int, int, void*) {
    return -1;
}

// Accepts only keys on NIST P-256; `kind` is "public key" or "private key" for messages.
void requireP256(EVP_PKEY* pkey, const char* kind) {
    if (EVP_PKEY_is_a(pkey, "EC") != 1) {
        const char* type = EVP_PKEY_get0_type_name(pkey);
        throw core::CryptoError(std::string(kind) + " is not an EC key (it is " +
                                (type != nullptr ? type : "of an unknown type") +
                                "); the provider signs with ECDSA on P-256");
    }
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) != 1) {
        takeOpensslReason();
        throw core::CryptoError(std::string(kind) +
                                " does not name its curve; the provider signs on P-256");
    }
    const std::string name(group, length);
    if (name != SN_X9_62_prime256v1) {
        throw core::CryptoError(std::string(kind) + " is on curve " + name +
                                ", not P-256 (prime256v1)");
    }
}

// Reads a PEM file and parses it with Key::fromPem; errors start with the file's path.
template <typename Key> Key keyFromFile(const std::filesystem::path& file, const char* kind) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw core::CryptoError(std::string("cannot read the ") + kind + " file " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return Key::fromPem(text.str());
    } catch (const core::CryptoError& e) {
        throw core::CryptoError(file.string() + ": " + e.what());
    }
}

Bytes spkiDer(EVP_PKEY* pkey) {
    const int length = i2d_PUBKEY(pkey, nullptr);
    if (length <= 0) {
        fail("cannot encode the public key");
    }
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* out = der.data();
    if (i2d_PUBKEY(pkey, &out) != length) {
        fail("cannot encode the public key");
    }
    return der;
}

MdCtxPtr newMdCtx() {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) {
        fail("cannot allocate a digest context");
    }
    return ctx;
}

} // namespace

struct PublicKey::Handle {
    PkeyPtr pkey;
};

struct PrivateKey::Handle {
    PkeyPtr pkey;
};

PublicKey PublicKey::fromPem(std::string_view pem) {
    ERR_clear_error();
    BioPtr bio = memoryBio(pem);
    PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, noPassword, nullptr));
    if (!pkey) {
        // OpenSSL's own reasons ("unsupported", "nested asn1 error") do not help here.
        takeOpensslReason();
        if (pem.find("-----BEGIN PUBLIC KEY-----") == std::string_view::npos) {
            throw core::CryptoError("public key: no PEM \"PUBLIC KEY\" block found");
        }
        throw core::CryptoError(
            "public key: the PEM \"PUBLIC KEY\" block does not hold a valid key (bad base64 or "
            "DER)");
    }
    requireP256(pkey.get(), "public key");
    return PublicKey(std::make_shared<Handle>(Handle{std::move(pkey)}));
}

PublicKey PublicKey::fromPemFile(const std::filesystem::path& file) {
    return keyFromFile<PublicKey>(file, "public key");
}

bool PublicKey::verify(std::string_view message, const Bytes& der) const {
    ERR_clear_error();
    MdCtxPtr ctx = newMdCtx();
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, handle_->pkey.get()) != 1) {
        fail("cannot start ECDSA verification");
    }
    const int result =
        EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size());
    // 0: the signature does not match; < 0: it is malformed. Both are "does not verify".
    ERR_clear_error();
    return result == 1;
}

std::string PublicKey::spkiBase64() const {
    return toBase64(spkiDer(handle_->pkey.get()));
}

std::string PublicKey::pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), handle_->pkey.get()) != 1) {
        fail("cannot write the public key as PEM");
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

PrivateKey PrivateKey::fromPem(std::string_view pem) {
    ERR_clear_error();
    if (pem.find("ENCRYPTED") != std::string_view::npos) {
        throw core::CryptoError(
            "private key is encrypted; give the key unencrypted (PEM \"PRIVATE KEY\" or "
            "\"EC PRIVATE KEY\") and protect the file instead");
    }
    BioPtr bio = memoryBio(pem);
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
    if (!pkey) {
        takeOpensslReason();
        if (pem.find("PRIVATE KEY-----") == std::string_view::npos) {
            throw core::CryptoError(
                "private key: no PEM \"PRIVATE KEY\" or \"EC PRIVATE KEY\" block found");
        }
        throw core::CryptoError(
            "private key: the PEM block does not hold a valid key (bad base64 or DER)");
    }
    requireP256(pkey.get(), "private key");
    return PrivateKey(std::make_shared<Handle>(Handle{std::move(pkey)}));
}

PrivateKey PrivateKey::fromPemFile(const std::filesystem::path& file) {
    return keyFromFile<PrivateKey>(file, "private key");
}

PrivateKey PrivateKey::generate() {
    ERR_clear_error();
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!pkey) {
        fail("cannot generate a P-256 key");
    }
    return PrivateKey(std::make_shared<Handle>(Handle{std::move(pkey)}));
}

Bytes PrivateKey::sign(std::string_view message) const {
    ERR_clear_error();
    MdCtxPtr ctx = newMdCtx();
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, handle_->pkey.get()) != 1) {
        fail("cannot start ECDSA signing");
    }
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    std::size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
        fail("cannot size the ECDSA signature");
    }
    Bytes der(length);
    if (EVP_DigestSign(ctx.get(), der.data(), &length, data, message.size()) != 1) {
        fail("ECDSA signing failed");
    }
    der.resize(length);
    return der;
}

PublicKey PrivateKey::publicKey() const {
    ERR_clear_error();
    const Bytes der = spkiDer(handle_->pkey.get());
    const unsigned char* in = der.data();
    PkeyPtr pkey(d2i_PUBKEY(nullptr, &in, static_cast<long>(der.size())));
    if (!pkey) {
        fail("cannot derive the public key");
    }
    return PublicKey(std::make_shared<PublicKey::Handle>(PublicKey::Handle{std::move(pkey)}));
}

} // namespace fiscpos::signing
