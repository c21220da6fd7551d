// Bad input must be refused with an error that names the field: the one check every suite uses.
#pragma once

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

namespace fiscpos::test {

// Runs `call` and requires an exception of type E (an error with field(), such as
// core::InputError or core::ConfigError) naming `field`, whose message holds `reasonPart`.
template <class E>
void requireFieldError(const std::function<void()>& call, const std::string& field,
                       const std::string& reasonPart = "") {
    try {
        call();
    } catch (const E& e) {
        BOOST_TEST(e.field() == field, "error names " << e.field() << ": " << e.what());
        BOOST_TEST(std::string(e.what()).find(reasonPart) != std::string::npos,
                   "message \"" << e.what() << "\" lacks \"" << reasonPart << "\"");
        return;
    }
    BOOST_FAIL("expected an error naming " + field);
}

} // namespace fiscpos::test
