# Admin plane system tests: the real ringdownctl against admin_stub, a
# process serving canned cluster status through the real admin server.
# The stubs listen on ephemeral ports; port 16000 (of the block
# 16000..16099) is held closed as the unreachable node.
if(TARGET ringdownctl)
  add_executable(admin_stub ${CMAKE_CURRENT_LIST_DIR}/admin_stub.cpp)
  target_link_libraries(admin_stub PRIVATE ringdown_options ringdown_http)
  add_test(NAME system.ctl
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/ctl.py
      --ringdownctl $<TARGET_FILE:ringdownctl>
      --stub $<TARGET_FILE:admin_stub>
      --port 16000)
  set_tests_properties(system.ctl PROPERTIES LABELS system TIMEOUT 60)
endif()
