#include "einvoice/receipt.hpp"

#include "core/errors.hpp"

#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

#include <algorithm>
#include <functional>
#include <regex>

using fiscpos::core::InputError;
using fiscpos::einvoice::QrCode;
using fiscpos::einvoice::qrCode;

namespace {

const std::string receiptUrl = "https://mydata-receipts.example/r/"
                               "400013293980417?uid=C242E229D54850E9CE6116220B23F1666188E297";

// The 7x7 finder pattern with its top-left module at (left, top): a dark ring, a light ring and
// a dark 3x3 centre.
bool finderAt(const QrCode& code, int left, int top) {
    for (int y = 0; y < 7; ++y) {
        for (int x = 0; x < 7; ++x) {
            const int ring = std::min({x, y, 6 - x, 6 - y});
            if (code.isDark(left + x, top + y) != (ring != 1)) {
                return false;
            }
        }
    }
    return true;
}

std::size_t codePoints(const std::string& utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

void expectUrlError(const std::function<void()>& call, const std::string& reason) {
    try {
        call();
        BOOST_FAIL("accepted");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "receipt.url");
        BOOST_TEST(std::string(e.what()).find(reason) != std::string::npos, e.what());
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(receipt)

BOOST_AUTO_TEST_CASE(qr_code_has_the_three_finder_patterns) {
    const QrCode code = qrCode(receiptUrl);
    BOOST_TEST(code.size >= 21);
    BOOST_TEST((code.size - 17) % 4 == 0);
    BOOST_TEST(code.dark.size() == static_cast<std::size_t>(code.size * code.size));
    BOOST_TEST(finderAt(code, 0, 0));
    BOOST_TEST(finderAt(code, code.size - 7, 0));
    BOOST_TEST(finderAt(code, 0, code.size - 7));
    BOOST_TEST(!finderAt(code, code.size - 7, code.size - 7));
}

BOOST_AUTO_TEST_CASE(longer_text_needs_a_larger_code) {
    BOOST_TEST(qrCode("https://a.gr/1").size < qrCode(receiptUrl + receiptUrl).size);
    BOOST_TEST(qrCode(receiptUrl).dark == qrCode(receiptUrl).dark);
}

BOOST_AUTO_TEST_CASE(svg_draws_every_dark_module_inside_the_quiet_zone) {
    const QrCode code = qrCode(receiptUrl);
    const std::string svg = fiscpos::einvoice::qrSvg(receiptUrl);
    const std::string side = std::to_string(code.size + 8);
    BOOST_TEST(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    BOOST_TEST(svg.find("viewBox=\"0 0 " + side + " " + side + "\"") != std::string::npos);
    const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    long drawn = 0;
    int smallest = code.size;
    for (std::sregex_iterator it(svg.begin(), svg.end(), run), end; it != end; ++it) {
        BOOST_TEST((*it)[3].str() == (*it)[4].str());
        drawn += std::stol((*it)[3].str());
        smallest = std::min({smallest, std::stoi((*it)[1].str()), std::stoi((*it)[2].str())});
    }
    BOOST_TEST(drawn == std::count(code.dark.begin(), code.dark.end(), true));
    BOOST_TEST(smallest == 4);
}

BOOST_AUTO_TEST_CASE(text_rendering_has_two_module_rows_per_line) {
    const QrCode code = qrCode(receiptUrl);
    const std::string text = fiscpos::einvoice::qrText(receiptUrl);
    const int side = code.size + 8;
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == (side + 1) / 2);
    const std::string firstLine = text.substr(0, text.find('\n'));
    BOOST_TEST(codePoints(firstLine) == static_cast<std::size_t>(side));
    // The top of the quiet zone is light, so it is drawn as full blocks.
    BOOST_TEST(firstLine.starts_with("\u2588\u2588\u2588\u2588"));
}

BOOST_AUTO_TEST_CASE(unencodable_text_is_rejected) {
    expectUrlError([] { qrCode(""); }, "nothing");
    expectUrlError([] { qrCode(std::string(8000, 'x')); }, "too long");
}

BOOST_AUTO_TEST_CASE(png_decodes_to_the_link) {
    // An independent reader (zbar) must read back exactly the link from the image.
    const std::string png = fiscpos::einvoice::qrPng(receiptUrl, 4);
    BOOST_TEST(png.substr(1, 3) == "PNG");
    const auto file = fiscpos::test::freshTempDir("qr") / "qr.png";
    std::ofstream(file, std::ios::binary) << png;
    const auto read = fiscpos::test::runProcess("/usr/bin/zbarimg", {"--raw", "-q", file.string()});
    BOOST_TEST_REQUIRE(read.exitCode == 0, read.err);
    BOOST_TEST(read.out == receiptUrl + "\n");
    BOOST_CHECK_THROW(fiscpos::einvoice::qrPng(receiptUrl, 0), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
