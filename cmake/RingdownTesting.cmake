# ringdown_unit_test(NAME SOURCES ... DEPS ...): a Catch2 v2 executable whose
# test cases are registered one by one with label `unit`.
function(ringdown_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ringdown_options Catch2::Catch2WithMain ${T_DEPS})
  catch_discover_tests(${name}
    TEST_PREFIX "${name}:"
    PROPERTIES LABELS unit TIMEOUT 60
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# ringdown_caf_test(NAME SOURCES ... DEPS ...): a CAF unit-test executable
# (CAF_SUITE / CAF_TEST, main from caf/test/unit_test_impl.hpp), for the
# actors' interplay on CAF's deterministic test_coordinator. One ctest entry
# per executable, label `unit`; it exits non-zero when a check fails.
function(ringdown_caf_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ringdown_options CAF::core ${T_DEPS})
  add_test(NAME ${name} COMMAND ${name} -r 60)
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()
