#include "core/errors.hpp"
#include "core/money.hpp"

#include <boost/test/unit_test.hpp>

using fiscpos::core::InputError;
using fiscpos::core::Money;

namespace {
std::string errorFor(std::string_view text, Money::Sign sign = Money::Sign::NonNegative) {
    try {
        Money::parse(text, "invoice.totals.gross", sign);
    } catch (const InputError& e) {
        BOOST_TEST(e.field() == "invoice.totals.gross");
        return e.what();
    }
    return "";
}
} // namespace

BOOST_AUTO_TEST_SUITE(money)

BOOST_AUTO_TEST_CASE(parses_decimal_strings_into_cents) {
    BOOST_TEST(Money::parse("1.24", "a").cents() == 124);
    BOOST_TEST(Money::parse("12", "a").cents() == 1200);
    BOOST_TEST(Money::parse("12.4", "a").cents() == 1240);
    BOOST_TEST(Money::parse("0.05", "a").cents() == 5);
    BOOST_TEST(Money::parse("0007.10", "a").cents() == 710);
    BOOST_TEST(Money::parse("9999999999999.99", "a").cents() == 999999999999999);
    BOOST_TEST(Money::parse("-3.50", "a", Money::Sign::AllowNegative).cents() == -350);
}

BOOST_AUTO_TEST_CASE(times_a_quantity_rounds_half_away_from_zero_and_never_wraps) {
    const Money price = Money::parse("2.65", "price");
    BOOST_TEST(Money::timesThousandths(price, 375, "q").cents() == 99);   // 0.99375
    BOOST_TEST(Money::timesThousandths(price, 1000, "q").cents() == 265); // × 1
    BOOST_TEST(Money::timesThousandths(Money::parse("0.01", "p"), 500, "q").cents() == 1); // 0.005
    BOOST_TEST(Money::timesThousandths(Money::parse("0.01", "p"), 499, "q").cents() == 0);
    BOOST_TEST(Money::timesThousandths(Money::fromCents(-1), 500, "q").cents() == -1);
    BOOST_CHECK_THROW(Money::timesThousandths(Money::fromCents(INT64_MAX / 10), 1000, "q"),
                      InputError);
}

BOOST_AUTO_TEST_CASE(prints_two_decimals) {
    BOOST_TEST(Money::fromCents(124).toString() == "1.24");
    BOOST_TEST(Money::fromCents(5).toString() == "0.05");
    BOOST_TEST(Money::fromCents(0).toString() == "0.00");
    BOOST_TEST(Money::fromCents(-350).toString() == "-3.50");
    BOOST_TEST(Money::fromCents(100000).toString() == "1000.00");
}

BOOST_AUTO_TEST_CASE(rejects_binary_float_text_and_names_the_field) {
    BOOST_TEST(errorFor("1.2400000000000002").find("more than two decimals") != std::string::npos);
    BOOST_TEST(errorFor("1.245").find("more than two decimals") != std::string::npos);
    BOOST_TEST(errorFor("1e2").find("not an amount") != std::string::npos);
    BOOST_TEST(errorFor("1.24E+00") != "");
    BOOST_TEST(errorFor("").find("empty") != std::string::npos);
    BOOST_TEST(errorFor(" 1.24") != "");
    BOOST_TEST(errorFor("1,24") != "");
    BOOST_TEST(errorFor(".5") != "");
    BOOST_TEST(errorFor("5.") != "");
    BOOST_TEST(errorFor("NaN") != "");
    BOOST_TEST(errorFor("99999999999999.00").find("too large") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_negatives_where_not_allowed) {
    BOOST_TEST(errorFor("-1.00").find("must not be negative") != std::string::npos);
    BOOST_TEST(errorFor("-1.00", Money::Sign::AllowNegative) == "");
}

BOOST_AUTO_TEST_CASE(arithmetic_and_ordering) {
    const Money a = Money::parse("1.00", "a");
    const Money b = Money::parse("0.24", "b");
    BOOST_TEST((a + b).cents() == 124);
    BOOST_TEST((a - b).cents() == 76);
    BOOST_TEST((b < a));
    BOOST_TEST((a + b == Money::fromCents(124)));
}

BOOST_AUTO_TEST_SUITE_END()
