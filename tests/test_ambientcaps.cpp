#include "live_probe.hpp"
BOOST_AUTO_TEST_CASE(placeholder_test_ambientcaps) {}
