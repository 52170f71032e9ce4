// The Boost.Test runner, compiled once and linked into every suite.
// Header-only Boost.Test, so that cross builds need no target Boost library.
#define BOOST_TEST_MODULE gosyscall
#include <boost/test/included/unit_test.hpp>
