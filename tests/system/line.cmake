# Shared-line system tests (issue 3): ports 15400..15599.
ringdown_sip_system_test(line line.py 15400)
# Barge with the media bridge (issues 3 and 4).
add_test(NAME system.barge
  COMMAND /usr/bin/python3 ${_sip_system_dir}/barge.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15450 --media)
set_tests_properties(system.barge PROPERTIES LABELS system TIMEOUT 120)
