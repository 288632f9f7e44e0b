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
