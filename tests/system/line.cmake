# Shared-line system tests (issue 3): ports 15400..15599.
ringdown_sip_system_test(line line.py 15400)
