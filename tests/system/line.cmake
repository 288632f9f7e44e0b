# Shared-line system tests (issue 3): ports 15400..15599.
ringdown_sip_system_test(line line.py 15400)
# Barge with the media bridge (issues 3 and 4).
add_test(NAME system.barge
  COMMAND /usr/bin/python3 ${_sip_system_dir}/barge.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15450 --media)
set_tests_properties(system.barge PROPERTIES LABELS system TIMEOUT 120)
# Line seizure: dial tone, RFC 4733 digits, a trunk, ringback, two-way
# audio (media issue): baresip phones, ports 16400..16449.
add_test(NAME system.line_seize
  COMMAND /usr/bin/python3 ${_sip_system_dir}/line_seize.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 16400 --media)
set_tests_properties(system.line_seize PROPERTIES LABELS system TIMEOUT 120)
# Line seizure dialled by SIP INFO (application/dtmf-relay and
# application/dtmf) to a SIPp trunk gateway: ports 16700..16749.
ringdown_sip_system_test(sipp_seize_info sipp_seize_info.py 16700)
