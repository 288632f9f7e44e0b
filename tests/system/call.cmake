# Call system tests (issue 3): ports 15200..15399.
ringdown_sip_system_test(call call.py 15200)
ringdown_sip_system_test(baresip_call baresip_call.py 15300)
ringdown_sip_system_test(transfer transfer.py 15220)
ringdown_sip_system_test(diversion diversion.py 15240)
