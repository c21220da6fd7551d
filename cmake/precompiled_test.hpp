// The precompiled headers of a test executable: fiscpos's common ones and Boost.Test's.
#pragma once

#include "cmake/precompiled.hpp"

#include <boost/test/unit_test.hpp>
