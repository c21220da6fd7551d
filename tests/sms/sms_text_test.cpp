// The text rules of an SMS: the contract's example in both encodings, the capital form, the
// GSM-7 and UCS-2 limits with characters that cost two and are never split between parts, and
// the numbers fiscpos sends to.
#include "core/errors.hpp"
#include "sms/sms_text.hpp"
#include "tests/support/field_error.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace fiscpos;
using sms::SmsEncoding;
using test::requireFieldError;

namespace {

const std::string example =
    "ΚΑΦΕ ΑΛΦΑ: απόδειξη R-9, 12,40€ με κάρτα: https://iview.gr/i/01J8Z3K9Q2";

std::string repeated(const std::string& piece, int times) {
    std::string text;
    for (int i = 0; i < times; ++i) {
        text += piece;
    }
    return text;
}

void requireLength(const std::string& text, SmsEncoding encoding, bool unicode, int characters,
                   int parts) {
    const sms::SmsLength length = sms::smsLength(text, encoding);
    BOOST_TEST(length.unicode == unicode, text);
    BOOST_TEST(length.characters == characters, text);
    BOOST_TEST(length.parts == parts, text);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sms_text)

BOOST_AUTO_TEST_CASE(the_contract_example_is_two_ucs2_parts_and_one_in_capitals) {
    requireLength(example, SmsEncoding::Ucs2, true, 71, 2);
    // Capitals without accents, the look-alikes as Latin letters, the link as it was.
    const std::string capitals = sms::gsm7GreekCaps(example);
    BOOST_TEST(capitals ==
               "KAΦE AΛΦA: AΠOΔEIΞH R-9, 12,40€ ME KAPTA: https://iview.gr/i/01J8Z3K9Q2");
    BOOST_TEST(sms::isGsm7(capitals));
    BOOST_TEST(!sms::isGsm7(example));
    requireLength(example, SmsEncoding::Gsm7GreekCaps, false, 72, 1);
    BOOST_TEST(sms::wireText(example, SmsEncoding::Gsm7GreekCaps) == capitals);
    BOOST_TEST(sms::wireText(example, SmsEncoding::Ucs2) == example);
}

BOOST_AUTO_TEST_CASE(capitals_lose_tonos_and_dialytika) {
    BOOST_TEST(sms::gsm7GreekCaps("άέήίόύώ ϊϋΐΰ ς ΆΈΉΊΌΎΏΪΫ") == "AEHIOYΩ IYIY Σ AEHIOYΩIY");
    BOOST_TEST(sms::gsm7GreekCaps("γδθλξπσφψω") == "ΓΔΘΛΞΠΣΦΨΩ");
    // Decomposed accents go with their letter; on a Latin letter they stay (and make it UCS-2).
    BOOST_TEST(sms::gsm7GreekCaps("ο\u0301λα") == "OΛA");
    BOOST_TEST(sms::gsm7GreekCaps("e\u0301") == "e\u0301");
    BOOST_TEST(sms::gsm7GreekCaps("Τι;\u037E") == "TI;;");
    BOOST_TEST(sms::gsm7GreekCaps("https://x.gr/a?b=c") == "https://x.gr/a?b=c");
    requireLength("e\u0301", SmsEncoding::Gsm7GreekCaps, true, 2, 1);
}

BOOST_AUTO_TEST_CASE(gsm7_is_160_in_one_and_153_a_part) {
    requireLength(repeated("a", 160), SmsEncoding::Ucs2, false, 160, 1);
    requireLength(repeated("a", 161), SmsEncoding::Ucs2, false, 161, 2);
    requireLength(repeated("a", 306), SmsEncoding::Ucs2, false, 306, 2);
    requireLength(repeated("a", 307), SmsEncoding::Ucs2, false, 307, 3);
    // The escape table costs two: € ^ { } [ ] ~ \ |.
    requireLength(repeated("€", 80), SmsEncoding::Ucs2, false, 160, 1);
    requireLength(repeated("€", 81), SmsEncoding::Ucs2, false, 162, 2);
    requireLength("^{}[]~\\|", SmsEncoding::Gsm7GreekCaps, false, 16, 1);
    // An escaped character is never split between parts: 152 + 2 does not fit in 153.
    requireLength(repeated("a", 152) + "€" + repeated("a", 152), SmsEncoding::Ucs2, false, 306, 3);
    requireLength("", SmsEncoding::Ucs2, false, 0, 1);
}

BOOST_AUTO_TEST_CASE(ucs2_is_70_in_one_and_67_a_part_in_utf16_units) {
    requireLength(repeated("α", 70), SmsEncoding::Ucs2, true, 70, 1);
    requireLength(repeated("α", 71), SmsEncoding::Ucs2, true, 71, 2);
    requireLength(repeated("α", 134), SmsEncoding::Ucs2, true, 134, 2);
    requireLength(repeated("α", 135), SmsEncoding::Ucs2, true, 135, 3);
    // A character beyond the BMP is a surrogate pair: two units, never split.
    requireLength("😀", SmsEncoding::Ucs2, true, 2, 1);
    requireLength(repeated("α", 66) + "😀" + repeated("α", 66), SmsEncoding::Ucs2, true, 134, 3);
    // Lower-case Greek needs UCS-2; in capitals it is GSM-7.
    requireLength(repeated("α", 71), SmsEncoding::Gsm7GreekCaps, false, 71, 1);
}

BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_refused) {
    requireFieldError<core::InputError>([] { sms::smsLength("caf\xE9", SmsEncoding::Ucs2); },
                                        "sms.text", "UTF-8");
    requireFieldError<core::InputError>([] { sms::gsm7GreekCaps("\xC3"); }, "sms.text");
    requireFieldError<core::InputError>([] { sms::wireText("\xED\xA0\x80", SmsEncoding::Ucs2); },
                                        "sms.text");
}

BOOST_AUTO_TEST_CASE(numbers_become_e164) {
    BOOST_TEST(sms::normalisedNumber("69 1234 5678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("691-234-5678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("0030 691 234 5678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("+30 (691) 234.5678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("306912345678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("+306912345678") == "+306912345678");
    BOOST_TEST(sms::normalisedNumber("+44 7700 900123") == "+447700900123");
    BOOST_TEST(sms::normalisedNumber("0044 7700 900123") == "+447700900123");
}

BOOST_AUTO_TEST_CASE(numbers_that_cannot_take_an_sms_are_refused_naming_the_field) {
    requireFieldError<core::InputError>([] { sms::normalisedNumber("2101234567"); }, "sms",
                                        "not a Greek mobile number");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+302101234567"); }, "sms",
                                        "+30 69");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+3069123"); }, "sms", "+30 69");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("69123456789"); }, "sms");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("phone"); }, "sms",
                                        "not a phone number");
    requireFieldError<core::InputError>([] { sms::normalisedNumber(""); }, "sms");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+"); }, "sms");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+0123456789"); }, "sms",
                                        "country code");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+4412345"); }, "sms",
                                        "8 to 15 digits");
    requireFieldError<core::InputError>([] { sms::normalisedNumber("+4412345678901234"); }, "sms",
                                        "8 to 15 digits");
    requireFieldError<core::InputError>(
        [] { sms::normalisedNumber("+30 69 1234 567x", "customer.phone"); }, "customer.phone");
}

BOOST_AUTO_TEST_SUITE_END()
