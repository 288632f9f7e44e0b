# The gateway's SIP relay (RFC 3261 §16) between SIPp UAC and UAS, around
# relay_node (tests/integration/relay): ports 16100..16199.
add_test(NAME system.sip_relay
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/relay.py
    --relay-node $<TARGET_FILE:relay_node>
    --scenarios ${PROJECT_SOURCE_DIR}/tests/sip
    --port 16100
    --workdir ${CMAKE_CURRENT_BINARY_DIR}/sip_relay)
set_tests_properties(system.sip_relay PROPERTIES LABELS system TIMEOUT 180)
