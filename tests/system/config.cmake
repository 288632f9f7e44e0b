# System test of the configuration front door: the real ringdownd binary with
# --check-config on the samples and on bad files, and --version.
if(TARGET ringdownd)
  add_test(NAME system.config_check
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/config_check.sh $<TARGET_FILE:ringdownd>
            ${PROJECT_SOURCE_DIR}/config/examples)
  set_tests_properties(system.config_check PROPERTIES LABELS system TIMEOUT 60)
endif()
