# Call system tests (issue 3): ports 15200..15399.
ringdown_sip_system_test(call call.py 15200)
ringdown_sip_system_test(baresip_call baresip_call.py 15300)
# The same call with the node's media bridge in the path (issue 4).
add_test(NAME system.baresip_media
  COMMAND /usr/bin/python3 ${_sip_system_dir}/baresip_call.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15350 --media)
set_tests_properties(system.baresip_media PROPERTIES LABELS system TIMEOUT 120)
ringdown_sip_system_test(transfer transfer.py 15220)
# Transfers with the calls on media bridges (issue 4).
add_test(NAME system.transfer_media
  COMMAND /usr/bin/python3 ${_sip_system_dir}/transfer.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15850 --media)
set_tests_properties(system.transfer_media PROPERTIES LABELS system TIMEOUT 120)
ringdown_sip_system_test(diversion diversion.py 15240)
# An SRTP softphone bridged to a plain RTP one (issue 4).
add_test(NAME system.baresip_srtp
  COMMAND /usr/bin/python3 ${_sip_system_dir}/baresip_call.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15700 --media --srtp)
set_tests_properties(system.baresip_srtp PROPERTIES LABELS system TIMEOUT 120)
# Media ports running out: 503 for the new call, nothing else disturbed.
add_test(NAME system.media_ports
  COMMAND /usr/bin/python3 ${_sip_system_dir}/media_ports.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15750)
set_tests_properties(system.media_ports PROPERTIES LABELS system TIMEOUT 120)
# Hold on a bridged call: music on hold heard during hold, two-way audio
# after resume (media issue).
add_test(NAME system.baresip_hold
  COMMAND /usr/bin/python3 ${_sip_system_dir}/baresip_hold.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 15800 --media)
set_tests_properties(system.baresip_hold PROPERTIES LABELS system TIMEOUT 120)
# A three-party conference across two zones, baresip phones (media issue):
# ports 16450..16499.
add_test(NAME system.conference
  COMMAND /usr/bin/python3 ${_sip_system_dir}/conference.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 16450 --media)
set_tests_properties(system.conference PROPERTIES LABELS system TIMEOUT 120)
# The same conference with each zone on its own node (127.0.0.11 and .12):
# ports 16600..16699.
add_test(NAME system.conference_cluster
  COMMAND /usr/bin/python3 ${_sip_system_dir}/conference.py
    --ringdownd $<TARGET_FILE:ringdownd> --port 16600 --media --cluster)
set_tests_properties(system.conference_cluster PROPERTIES LABELS system TIMEOUT 150)
