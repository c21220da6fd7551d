// Shared by the signing tests: the contract's Mellon test vectors, a sample request, and checks
// that an error is of the expected type and names the expected field or reason.
#pragma once

#include "core/errors.hpp"
#include "signing/signature.hpp"
#include "tests/support/field_error.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

namespace fiscpos::signing::test {

// The clear text of both vectors (Mellon layout, MARK present) and their signatures.
inline const std::string vectorUid = "D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC";
inline const std::string vectorInput =
    vectorUid + ";400013293980417;20240510164340;100;24;124;124;99000031";
inline const std::string vector1Hex =
    "30450220519C499186513517B0786AD3C9AB765581451526004A684F7BB7BA51E51A0EDE022100FF7D2E4C5FC366"
    "3E6A7F3E03C2825FD381DA8DDF8F911980BBCB9B5CEEF1B3F1";
inline const std::string vector1Base64 = "MEUCIFGcSZGGUTUXsHhq08mrdlWBRRUmAEpoT3u3ulHlGg7eAiEA/"
                                         "30uTF/DZj5qfz4DwoJf04Hajd+PkRmAu8ubXO7xs/E=";
inline const std::string vector2Hex =
    "304402202A4683759171108DC4BB268C65B0DB5F147173FAB7E42EC6248F3654F28827BF022076E66087FB674A8E"
    "CB592C14B9160B7F5952EDD15B18F7AD2C99B999D46AB9FA";
inline const std::string vector2Base64 = "MEQCICpGg3WRcRCNxLsmjGWw218UcXP6t+QuxiSPNlTyiCe/"
                                         "AiB25mCH+2dKjstZLBS5Fgt/WVLt0VsY960smbmZ1Gq5+g==";

inline std::string lowercase(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

// The contract's create example: WebEcr, 123456789, branch 1, R-9 of 2026-08-27, 12.40 paid.
inline SignatureRequest sampleRequest() {
    SignatureRequest request;
    request.nsp = Nsp::WebEcr;
    request.issuerVat = "123456789";
    request.branch = 1;
    request.series = "R";
    request.number = "9";
    request.issuedAt = "2026-08-27T10:15:00+03:00";
    request.invoiceType = "11.1";
    request.net = core::Money::fromCents(1000);
    request.vat = core::Money::fromCents(240);
    request.total = core::Money::fromCents(1240);
    request.payment = core::Money::fromCents(1240);
    request.duration = SignatureDuration::Hours60;
    request.terminalId = "99000031";
    return request;
}

inline void requireCryptoError(const std::function<void()>& call, const std::string& expected) {
    try {
        call();
    } catch (const core::CryptoError& e) {
        BOOST_TEST_INFO("message: " << e.what());
        BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos);
        return;
    }
    BOOST_FAIL("expected a CryptoError containing \"" + expected + "\"");
}

using fiscpos::test::requireFieldError;

} // namespace fiscpos::signing::test
