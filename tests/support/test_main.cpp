// The single Boost.Test entry point linked into every test executable.
#define BOOST_TEST_MODULE fiscpos
#include <boost/test/unit_test.hpp>
