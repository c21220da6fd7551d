// Text forms of DER signatures: base64, hex, and the DER structure check.
#include "core/errors.hpp"
#include "signing/signature_text.hpp"
#include "tests/signing/signing_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::signing;
using namespace fiscpos::signing::test;

BOOST_AUTO_TEST_SUITE(signature_text)

BOOST_AUTO_TEST_CASE(base64_and_hex_round_trip) {
    const Bytes der = fromHex(vector1Hex);
    BOOST_TEST(toBase64(der) == vector1Base64);
    BOOST_TEST(toHexUpper(fromBase64(vector1Base64)) == vector1Hex);
    BOOST_TEST(fromHex("0aFf") == (Bytes{0x0A, 0xFF}));
    // Every length modulo 3, against RFC 4648's examples.
    const std::pair<std::string, std::string> examples[] = {
        {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : examples) {
        const Bytes bytes(plain.begin(), plain.end());
        BOOST_TEST(toBase64(bytes) == encoded);
        BOOST_TEST(fromBase64(encoded) == bytes);
    }
}

BOOST_AUTO_TEST_CASE(bad_encodings_are_refused) {
    requireCryptoError([] { fromHex("ABC"); }, "odd number");
    requireCryptoError([] { fromHex("zz"); }, "non-hex");
    requireCryptoError([] { fromHex(""); }, "empty");
    requireCryptoError([] { fromBase64("Zm9"); }, "multiple of 4");
    requireCryptoError([] { fromBase64("Zm9v\n"); }, "multiple of 4");
    requireCryptoError([] { fromBase64("Zm-v"); }, "invalid character");
    requireCryptoError([] { fromBase64("Zm=v"); }, "invalid character");
    requireCryptoError([] { fromBase64("Zh=="); }, "stray bits");
    requireCryptoError([] { fromBase64(""); }, "empty");
}

BOOST_AUTO_TEST_CASE(decode_accepts_base64_and_hex_in_either_case) {
    const Bytes der = fromHex(vector1Hex);
    BOOST_TEST(decodeSignature(vector1Hex) == der);
    BOOST_TEST(decodeSignature(lowercase(vector1Hex)) == der);
    BOOST_TEST(decodeSignature(vector1Base64) == der);
}

BOOST_AUTO_TEST_CASE(malformed_signatures_say_why) {
    requireCryptoError([] { decodeSignature(""); }, "empty");
    requireCryptoError([] { decodeSignature(vector1Hex.substr(0, vector1Hex.size() - 2)); },
                       "truncated");
    requireCryptoError([] { decodeSignature(vector1Hex.substr(0, vector1Hex.size() - 1)); },
                       "odd number of digits");
    requireCryptoError([] { decodeSignature(vector1Hex + "00"); }, "extra bytes");
    requireCryptoError([] { decodeSignature("not a signature!"); }, "neither hex nor base64");
    requireCryptoError([] { decodeSignature("MEUCIFGcSZGGUTUXsHhq08mrdlWBRR"); },
                       "neither hex nor base64");
    requireCryptoError([] { decodeSignature(vector1Base64.substr(0, 40)); }, "truncated");
    // 64 raw bytes r||s: refused, never re-encoded.
    const std::string raw = "519C499186513517B0786AD3C9AB765581451526004A684F7BB7BA51E51A0EDE"
                            "FF7D2E4C5FC3663E6A7F3E03C2825FD381DA8DDF8F911980BBCB9B5CEEF1B3F1";
    requireCryptoError([&] { decodeSignature(raw); }, "raw r||s");
    requireCryptoError([&] { decodeSignature(toBase64(fromHex(raw))); }, "raw r||s");
    // Structure errors inside the SEQUENCE.
    requireCryptoError([] { decodeSignature("3106020101020101"); }, "SEQUENCE");
    requireCryptoError([] { decodeSignature("3006030101020101"); }, "INTEGER");
    requireCryptoError([] { decodeSignature("3006020181020101"); }, "r is negative");
    requireCryptoError([] { decodeSignature("300702020001020101"); }, "leading zero");
    requireCryptoError([] { decodeSignature("3006020100020101"); }, "r is zero");
    requireCryptoError([] { decodeSignature("3003020101"); }, "integer s");
    requireCryptoError([] { decodeSignature("30080201010201010500"); }, "extra bytes follow s");
    requireCryptoError([] { decodeSignature("308106020101020101"); }, "short form");
    requireCryptoError([] { decodeSignature("3026022101" + std::string(64, '1') + "020101"); },
                       "longer than 32 bytes");
    BOOST_CHECK_NO_THROW(decodeSignature("3006020101020101"));
}

BOOST_AUTO_TEST_SUITE_END()
