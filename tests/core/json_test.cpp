#include "core/errors.hpp"
#include "core/json.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::core;

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(keeps_decimal_numbers_exact) {
    const Json doc = parseJson(R"({"payment_amount": 12.4, "n": 0.1, "whole": 7, "big": 1e2})",
                               "record", JsonOrigin::Response);
    BOOST_TEST(isDecimal(doc["payment_amount"]));
    BOOST_TEST(decimalText(doc["payment_amount"]) == "12.4");
    BOOST_TEST(decimalText(doc["n"]) == "0.1");
    BOOST_TEST(doc["whole"].is_number_integer());
    JsonFields fields(doc, "record", JsonOrigin::Response);
    BOOST_TEST(fields.requireMoney("payment_amount").cents() == 1240);
    BOOST_TEST(fields.requireMoney("whole").cents() == 700);
    BOOST_CHECK_THROW(fields.requireMoney("big"), ResponseError);
}

BOOST_AUTO_TEST_CASE(writes_decimals_back_as_bare_numbers) {
    Json body = {{"payment_amount", decimalNumber(Money::fromCents(1240))},
                 {"name", "A \"quoted\" name"},
                 {"list", Json::array({1, decimalNumber(Money::fromCents(5))})}};
    const std::string text = dumpJson(body);
    BOOST_TEST(text == R"({"list":[1,0.05],"name":"A \"quoted\" name","payment_amount":12.40})");
    // The text parses back with the same exact values.
    const Json again = parseJson(text, "again", JsonOrigin::Input);
    BOOST_TEST(decimalText(again["payment_amount"]) == "12.40");
    BOOST_TEST(dumpJson(again) == text);
}

BOOST_AUTO_TEST_CASE(pretty_printing_indents) {
    const std::string text = dumpJson(Json{{"a", Json::array({1, 2})}, {"b", Json::object()}}, 2);
    BOOST_TEST(text == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
}

BOOST_AUTO_TEST_CASE(malformed_text_is_an_error_of_its_origin) {
    BOOST_CHECK_THROW(parseJson("{\"a\":", "provider answer", JsonOrigin::Response), ResponseError);
    try {
        parseJson("<html>", "invoice", JsonOrigin::Input);
        BOOST_FAIL("expected an error");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice");
        BOOST_TEST(std::string(e.what()).find("not valid JSON") != std::string::npos);
        BOOST_TEST(e.code() == "input");
    }
    BOOST_CHECK_THROW(parseJson("", "empty", JsonOrigin::Response), ResponseError);
}

BOOST_AUTO_TEST_CASE(fields_name_the_path_in_errors) {
    const Json doc = parseJson(R"({"totals": {"gross": 1.24, "n": "x"}, "flag": "yes", "id": 5})",
                               "invoice", JsonOrigin::Input);
    JsonFields fields(doc, "invoice", JsonOrigin::Input);
    try {
        fields.requireString("series");
        BOOST_FAIL("expected an error");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice.series");
        BOOST_TEST(std::string(e.what()) == "invoice.series: is required");
    }
    try {
        fields.requireBool("flag");
        BOOST_FAIL("expected an error");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice.flag");
    }
    const JsonFields totals = fields.requireObject("totals");
    try {
        totals.requireInteger("n");
        BOOST_FAIL("expected an error");
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice.totals.n");
    }
    BOOST_TEST(*fields.optionalScalarText("id") == "5");
    BOOST_TEST(!fields.optionalScalarText("absent").has_value());
    BOOST_CHECK_THROW(JsonFields(doc["flag"], "flag", JsonOrigin::Input), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
