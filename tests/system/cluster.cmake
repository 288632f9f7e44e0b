# Cluster system tests: ringdownd nodes on 127.0.0.11..15 (loopback
# aliases), SIP and cluster ports from 15600..15699.
add_test(NAME system.cluster_membership
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cluster_membership.py
    --ringdownd $<TARGET_FILE:ringdownd>
    --port 15600)
set_tests_properties(system.cluster_membership PROPERTIES LABELS system TIMEOUT 120)

# Placement and routing across nodes: lines spread over a zone's nodes,
# the interzone proxy, hand-over to a joining node, drain. Ports
# 15900..15999, nodes on 127.0.0.11..14.
add_test(NAME system.cluster_routing
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cluster_routing.py
    --ringdownd $<TARGET_FILE:ringdownd> --ringdownctl $<TARGET_FILE:ringdownctl>
    --port 15900)
set_tests_properties(system.cluster_routing PROPERTIES LABELS system TIMEOUT 180)
