# SIP system tests: ringdownd on 127.0.0.1 against SIPp, python3 sockets and
# openssl. Each test owns a distinct port block (15060..15129) so that
# `ctest -j` can run them in parallel.
set(_sip_system_dir ${CMAKE_CURRENT_LIST_DIR})
function(ringdown_sip_system_test name script port)
  add_test(NAME system.${name}
    COMMAND /usr/bin/python3 ${_sip_system_dir}/${script}
      --ringdownd $<TARGET_FILE:ringdownd>
      --scenarios ${PROJECT_SOURCE_DIR}/tests/sip
      --port ${port})
  set_tests_properties(system.${name} PROPERTIES LABELS system TIMEOUT 120)
endfunction()

ringdown_sip_system_test(sip_options_sipp sip_options_sipp.py 15060)
ringdown_sip_system_test(sip_malformed sip_malformed.py 15070)
ringdown_sip_system_test(sip_invite sip_invite.py 15080)
ringdown_sip_system_test(sip_sigterm sip_sigterm.py 15090)
ringdown_sip_system_test(sip_tls sip_tls.py 15100)
ringdown_sip_system_test(sip_limits sip_limits.py 15110)
