// ECDSA P-256 keys, signing and verification against Mellon's published test vectors.
#include "core/errors.hpp"
#include "signing/ecdsa.hpp"
#include "signing/signature_text.hpp"
#include "tests/signing/signing_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>

using namespace fiscpos::signing;
using namespace fiscpos::signing::test;

namespace {

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

PublicKey mellonPublic() {
    return PublicKey::fromPemFile(fiscpos::test::mellonPublicKey());
}
PrivateKey mellonPrivate() {
    return PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey());
}

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(length));
}

// PEM texts of a freshly generated key: {public "PUBLIC KEY", private "PRIVATE KEY"}.
std::pair<std::string, std::string> pemPair(EVP_PKEY* pkey) {
    BioPtr pub(BIO_new(BIO_s_mem()));
    BioPtr priv(BIO_new(BIO_s_mem()));
    BOOST_REQUIRE(PEM_write_bio_PUBKEY(pub.get(), pkey) == 1);
    BOOST_REQUIRE(
        PEM_write_bio_PrivateKey(priv.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    return {bioText(pub.get()), bioText(priv.get())};
}

std::pair<std::string, std::string> generatedEc(const char* curve) {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    BOOST_REQUIRE(pkey);
    return pemPair(pkey.get());
}

std::pair<std::string, std::string> generatedRsa() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}));
    BOOST_REQUIRE(pkey);
    return pemPair(pkey.get());
}

} // namespace

BOOST_AUTO_TEST_SUITE(ecdsa)

BOOST_AUTO_TEST_CASE(mellon_vectors_verify_in_base64_and_hex) {
    const PublicKey key = mellonPublic();
    for (const std::string& signature : {vector1Hex, vector1Base64, lowercase(vector1Hex),
                                         vector2Hex, vector2Base64, lowercase(vector2Hex)}) {
        BOOST_TEST_INFO("signature " << signature);
        BOOST_TEST(verifySignature(key, vectorInput, signature));
    }
    BOOST_TEST(decodeSignature(vector1Hex).size() == 71u);
    BOOST_TEST(decodeSignature(vector2Hex).size() == 70u);
    BOOST_TEST(decodeSignature(vector1Base64) == decodeSignature(lowercase(vector1Hex)));
}

BOOST_AUTO_TEST_CASE(contract_negative_checks_fail) {
    const PublicKey key = mellonPublic();
    const std::string& uid = vectorUid;
    const std::string payableChanged =
        uid + ";400013293980417;20240510164340;100;24;124;125;99000031";
    const std::string markEmptied = uid + ";;20240510164340;100;24;124;124;99000031";
    const std::string defaultOrder =
        uid + ";400013293980417;20240510164340;124;100;24;124;99000031";
    for (const std::string& text :
         {payableChanged, markEmptied, defaultOrder, vectorInput + "\n"}) {
        BOOST_TEST_INFO("input " << text);
        BOOST_TEST(!verifySignature(key, text, vector1Hex));
        BOOST_TEST(!verifySignature(key, text, vector1Base64));
    }
}

BOOST_AUTO_TEST_CASE(changing_any_character_of_the_input_fails) {
    const PublicKey key = mellonPublic();
    const Bytes der = decodeSignature(vector1Hex);
    for (std::size_t i = 0; i < vectorInput.size(); ++i) {
        std::string text = vectorInput;
        text[i] = text[i] == '1' ? '2' : '1';
        BOOST_TEST_INFO("changed position " << i);
        BOOST_TEST(!key.verify(text, der));
    }
    BOOST_TEST(key.verify(vectorInput, der));
}

BOOST_AUTO_TEST_CASE(sign_then_verify_in_both_layouts) {
    const PrivateKey key = mellonPrivate();
    const PublicKey pub = mellonPublic();
    const std::string viva =
        "D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC;;20240510164340;124;100;24;124;16000010";
    for (const std::string& text : {vectorInput, viva}) {
        const Bytes first = key.sign(text);
        const Bytes second = key.sign(text);
        BOOST_TEST(first != second); // ECDSA is randomised
        BOOST_TEST(pub.verify(text, first));
        BOOST_TEST(pub.verify(text, second));
        BOOST_TEST(verifySignature(pub, text, toBase64(first)));
        BOOST_TEST(verifySignature(pub, text, toHexUpper(second)));
        BOOST_CHECK_NO_THROW(checkDerSignature(first));
        BOOST_TEST(!pub.verify(text + " ", first));
    }
}

BOOST_AUTO_TEST_CASE(private_key_gives_the_published_public_key) {
    const PrivateKey key = mellonPrivate();
    const std::string spki = mellonPublic().spkiBase64();
    BOOST_TEST(key.publicKey().spkiBase64() == spki);
    BOOST_TEST(spki.starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
    // The file's base64 body is the SPKI.
    const std::string pem = readText(fiscpos::test::mellonPublicKey());
    std::string body;
    std::istringstream lines(pem);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("-----")) {
            body += line;
        }
    }
    BOOST_TEST(body == spki);
    // Written back as PEM, it is the published file (but for its final line break) and reads as
    // the same key.
    BOOST_TEST(mellonPublic().pem().starts_with(pem));
    BOOST_TEST(PublicKey::fromPem(key.publicKey().pem()).spkiBase64() == spki);
}

BOOST_AUTO_TEST_CASE(pkcs8_private_key_is_read) {
    const auto [publicPem, privatePem] = generatedEc("P-256");
    BOOST_TEST(privatePem.find("-----BEGIN PRIVATE KEY-----") != std::string::npos);
    const PrivateKey key = PrivateKey::fromPem(privatePem);
    const PublicKey pub = PublicKey::fromPem(publicPem);
    BOOST_TEST(pub.verify("hello", key.sign("hello")));
    BOOST_TEST(!mellonPublic().verify("hello", key.sign("hello")));
}

BOOST_AUTO_TEST_CASE(generated_keys_are_distinct_p256_keys) {
    const PrivateKey first = PrivateKey::generate();
    const PrivateKey second = PrivateKey::generate();
    BOOST_TEST(first.publicKey().spkiBase64().starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
    BOOST_TEST(first.publicKey().spkiBase64() != second.publicKey().spkiBase64());
    const Bytes der = first.sign(vectorInput);
    BOOST_TEST(first.publicKey().verify(vectorInput, der));
    BOOST_TEST(!second.publicKey().verify(vectorInput, der));
}

BOOST_AUTO_TEST_CASE(bad_keys_are_crypto_errors) {
    requireCryptoError([] { PublicKey::fromPem("garbage"); }, "no PEM \"PUBLIC KEY\" block");
    requireCryptoError([] { PrivateKey::fromPem(""); }, "no PEM \"PRIVATE KEY\"");
    requireCryptoError(
        [] { PublicKey::fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"); },
        "does not hold a valid key");
    requireCryptoError(
        [] {
            PrivateKey::fromPem(
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAm8\n-----END EC PRIVATE KEY-----\n");
        },
        "does not hold a valid key");
    // A private key where a public one is expected, and the reverse.
    requireCryptoError([] { PublicKey::fromPem(readText(fiscpos::test::mellonPrivateKey())); },
                       "no PEM \"PUBLIC KEY\" block");
    requireCryptoError([] { PrivateKey::fromPem(readText(fiscpos::test::mellonPublicKey())); },
                       "no PEM \"PRIVATE KEY\"");

    // Pairs, not structured bindings: clang 14 (the sanitizer build) cannot capture those.
    const auto rsa = generatedRsa();
    requireCryptoError([&] { PublicKey::fromPem(rsa.first); }, "not an EC key");
    requireCryptoError([&] { PrivateKey::fromPem(rsa.second); }, "not an EC key");

    const auto p384 = generatedEc("P-384");
    requireCryptoError([&] { PublicKey::fromPem(p384.first); }, "secp384r1, not P-256");
    requireCryptoError([&] { PrivateKey::fromPem(p384.second); }, "secp384r1, not P-256");

    requireCryptoError(
        [] {
            PrivateKey::fromPem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----");
        },
        "encrypted");
    requireCryptoError([] { PublicKey::fromPemFile("/nonexistent/fiscpos/key.pem"); },
                       "/nonexistent/fiscpos/key.pem");
}

BOOST_AUTO_TEST_CASE(a_signature_of_another_key_does_not_verify) {
    const auto [publicPem, privatePem] = generatedEc("P-256");
    const Bytes der = PrivateKey::fromPem(privatePem).sign(vectorInput);
    BOOST_TEST(!mellonPublic().verify(vectorInput, der));
    BOOST_TEST(PublicKey::fromPem(publicPem).verify(vectorInput, der));
}

BOOST_AUTO_TEST_CASE(malformed_der_never_verifies) {
    const PublicKey key = mellonPublic();
    Bytes der = decodeSignature(vector1Hex);
    der.pop_back();
    BOOST_TEST(!key.verify(vectorInput, der));
    BOOST_TEST(!key.verify(vectorInput, Bytes{}));
    BOOST_TEST(!key.verify(vectorInput, Bytes(64, 0x11)));
}

BOOST_AUTO_TEST_SUITE_END()
