// The Input (signed clear text) in the Mellon and Viva layouts.
#include "core/errors.hpp"
#include "signing/input_text.hpp"
#include "signing/nsp.hpp"
#include "tests/signing/signing_test_support.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::InputError;
using fiscpos::core::Money;
using namespace fiscpos::signing;
using namespace fiscpos::signing::test;

namespace {

const std::string uid = "D4F6A5F5C6123658F78369E5191ED5C9D73CB7AC";
const std::string mellonText = uid + ";400013293980417;20240510164340;100;24;124;124;99000031";

InputText::Fields sampleFields() {
    return {uid,
            "",
            "20240629194534",
            Money::fromCents(8065),
            Money::fromCents(1935),
            Money::fromCents(10000),
            Money::fromCents(9000),
            "16007426"};
}

} // namespace

BOOST_AUTO_TEST_SUITE(input_text)

BOOST_AUTO_TEST_CASE(parses_the_mellon_vector) {
    const InputText input = InputText::parse(mellonText, InputLayout::Mellon);
    BOOST_TEST(input.uid() == uid);
    BOOST_TEST(input.mark() == "400013293980417");
    BOOST_TEST(input.timestamp() == "20240510164340");
    BOOST_TEST(input.net().cents() == 100);
    BOOST_TEST(input.vat().cents() == 24);
    BOOST_TEST(input.total().cents() == 124);
    BOOST_TEST(input.payable().cents() == 124);
    BOOST_TEST(input.tid() == "99000031");
    BOOST_TEST(input.toString() == mellonText);
    BOOST_TEST(layoutName(input.layout()) == "mellon");
}

BOOST_AUTO_TEST_CASE(viva_layout_puts_payable_first) {
    const std::string text =
        "4680AFE5D58088BF8C55F57A5B5DBB15936B51DE;;20241015153111;4600;9;1;10;16007793";
    const InputText input = InputText::parse(text, InputLayout::Viva);
    BOOST_TEST(input.payable().cents() == 4600);
    BOOST_TEST(input.net().cents() == 9);
    BOOST_TEST(input.vat().cents() == 1);
    BOOST_TEST(input.total().cents() == 10);
    BOOST_TEST(input.mark().empty());
    BOOST_TEST(input.toString() == text);
}

BOOST_AUTO_TEST_CASE(accessors_by_meaning_agree_across_layouts) {
    const InputText mellon(sampleFields(), InputLayout::Mellon);
    const InputText viva(sampleFields(), InputLayout::Viva);
    BOOST_TEST(mellon.toString() == uid + ";;20240629194534;8065;1935;10000;9000;16007426");
    BOOST_TEST(viva.toString() == uid + ";;20240629194534;9000;8065;1935;10000;16007426");
    const InputText a = InputText::parse(mellon.toString(), InputLayout::Mellon);
    const InputText b = InputText::parse(viva.toString(), InputLayout::Viva);
    BOOST_TEST(a.uid() == b.uid());
    BOOST_TEST(a.mark() == b.mark());
    BOOST_TEST(a.timestamp() == b.timestamp());
    BOOST_TEST(a.net().cents() == b.net().cents());
    BOOST_TEST(a.vat().cents() == b.vat().cents());
    BOOST_TEST(a.total().cents() == b.total().cents());
    BOOST_TEST(a.payable().cents() == b.payable().cents());
    BOOST_TEST(a.tid() == b.tid());
    BOOST_TEST(a.payable().cents() == 9000);
    // The same text read in the other layout means other amounts.
    const InputText crossed = InputText::parse(mellon.toString(), InputLayout::Viva);
    BOOST_TEST(crossed.payable().cents() == 8065);
}

BOOST_AUTO_TEST_CASE(constructor_stores_the_uid_uppercase) {
    InputText::Fields fields = sampleFields();
    fields.uid = "d4f6a5f5c6123658f78369e5191ed5c9d73cb7ac";
    const InputText input(fields, InputLayout::Mellon);
    BOOST_TEST(input.uid() == uid);
}

BOOST_AUTO_TEST_CASE(layout_per_network) {
    BOOST_TEST((layoutFor(Nsp::Viva) == InputLayout::Viva));
    BOOST_TEST((layoutFor(Nsp::WebEcr) == InputLayout::Mellon));
    BOOST_TEST((layoutFor(Nsp::Worldline) == InputLayout::Mellon));
    BOOST_TEST((parseNsp("viva", "nsp") == Nsp::Viva));
    BOOST_TEST((parseNsp("WebEcr", "nsp") == Nsp::WebEcr));
    BOOST_TEST((parseNsp("5", "nsp") == Nsp::EpaySoftPos));
    BOOST_TEST(nspName(Nsp::EpaySoftPos) == "epay-softpos");
    requireFieldError<fiscpos::core::InputError>([] { parseNsp("mellon", "terminal.nsp"); },
                                                 "terminal.nsp");
    BOOST_CHECK_THROW(nspFromValue(9, "nsp.value"), fiscpos::core::ResponseError);
}

BOOST_AUTO_TEST_CASE(parse_errors_name_the_field) {
    const auto parse = [](const std::string& text) {
        return [text] {
            InputText::parse(text, InputLayout::Mellon);
        };
    };
    const std::string rest = ";20240510164340;100;24;124;124;99000031";
    requireFieldError<fiscpos::core::InputError>(parse(mellonText + ";X"), "input");
    requireFieldError<fiscpos::core::InputError>(parse(uid + ";;20240510164340;100;24;124;124"),
                                                 "input");
    requireFieldError<fiscpos::core::InputError>(parse(""), "input");
    requireFieldError<fiscpos::core::InputError>(
        parse("D4F6A5F5C6123658F78369E5191ED5C9D73CB7A;" + rest), "input.uid");
    requireFieldError<fiscpos::core::InputError>(
        parse("d4f6a5f5c6123658f78369e5191ed5c9d73cb7ac;" + rest), "input.uid");
    requireFieldError<fiscpos::core::InputError>(
        parse("G4F6A5F5C6123658F78369E5191ED5C9D73CB7AC;" + rest), "input.uid");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";4000A;20240510164340;100;24;124;124;99000031"), "input.mark");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;2024051016434;100;24;124;124;99000031"), "input.timestamp");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240230164340;100;24;124;124;99000031"), "input.timestamp");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510246340;100;24;124;124;99000031"), "input.timestamp");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;1.00;24;124;124;99000031"), "input.net");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;-24;124;124;99000031"), "input.vat");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;24;;124;99000031"), "input.total");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;24;124;0124;99000031"), "input.payable");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;24;124;+124;99000031"), "input.payable");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;24;124;1234567890123456;99000031"), "input.payable");
    requireFieldError<fiscpos::core::InputError>(parse(uid + ";;20240510164340;100;24;124;124;"),
                                                 "input.tid");
    requireFieldError<fiscpos::core::InputError>(parse(mellonText + "\n"), "input.tid");
    requireFieldError<fiscpos::core::InputError>(
        parse(uid + ";;20240510164340;100;24;124;124;9900 0031"), "input.tid");
    // In the Viva layout the fourth field is the payable amount.
    try {
        InputText::parse(uid + ";;20240510164340;1.24;100;24;124;16000010", InputLayout::Viva);
        BOOST_FAIL("expected an error");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "input.payable");
    }
}

BOOST_AUTO_TEST_CASE(constructor_validates_fields) {
    auto build = [](auto change) {
        return [change] {
            InputText::Fields fields = sampleFields();
            change(fields);
            InputText(fields, InputLayout::Viva);
        };
    };
    requireFieldError<fiscpos::core::InputError>(build([](InputText::Fields& f) { f.uid = "ABC"; }),
                                                 "input.uid");
    requireFieldError<fiscpos::core::InputError>(
        build([](InputText::Fields& f) { f.mark = "12x"; }), "input.mark");
    requireFieldError<fiscpos::core::InputError>(
        build([](InputText::Fields& f) { f.timestamp = "2024-05-10"; }), "input.timestamp");
    requireFieldError<fiscpos::core::InputError>(
        build([](InputText::Fields& f) { f.net = Money::fromCents(-1); }), "input.net");
    requireFieldError<fiscpos::core::InputError>(
        build([](InputText::Fields& f) { f.payable = Money::fromCents(-5); }), "input.payable");
    requireFieldError<fiscpos::core::InputError>(build([](InputText::Fields& f) { f.tid = "A;B"; }),
                                                 "input.tid");
    requireFieldError<fiscpos::core::InputError>(build([](InputText::Fields& f) { f.tid.clear(); }),
                                                 "input.tid");
}

BOOST_AUTO_TEST_SUITE_END()
