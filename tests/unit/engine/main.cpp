// The CAF test engine's main(): CAF's deterministic DSL (test_coordinator,
// expect/disallow) needs CAF's own runner, not Catch2.
#include <caf/test/unit_test_impl.hpp>
