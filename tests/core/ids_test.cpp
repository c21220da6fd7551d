#include "core/ids.hpp"

#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>

BOOST_AUTO_TEST_SUITE(ids)

BOOST_AUTO_TEST_CASE(uuids_are_version_4_and_unique) {
    const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = fiscpos::core::newUuid();
        BOOST_TEST(std::regex_match(id, v4), id);
        seen.insert(id);
    }
    BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_SUITE_END()
