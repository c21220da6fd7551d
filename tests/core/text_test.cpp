#include "core/text.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::core;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(the_predicates_refuse_empty_text_and_anything_outside_their_set) {
    BOOST_TEST(allDigits("0123456789"));
    BOOST_TEST(!allDigits(""));
    BOOST_TEST(!allDigits("12a"));
    BOOST_TEST(!allDigits("١٢")); // Arabic-Indic digits are not 0-9
    BOOST_TEST(allHex("09afAF"));
    BOOST_TEST(!allHex(""));
    BOOST_TEST(!allHex("0x1"));
    BOOST_TEST(isPlainToken("c2ltLXdlYmVjci1rZXktMQ"));
    BOOST_TEST(!isPlainToken(""));
    BOOST_TEST(!isPlainToken("a b"));
    BOOST_TEST(!isPlainToken("a\tb"));
    BOOST_TEST(!isPlainToken("κλειδί"));
}

BOOST_AUTO_TEST_SUITE_END()
