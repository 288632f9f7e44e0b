# Registrar system tests (issue 3): ports 15130..15139.
ringdown_sip_system_test(registrar registrar.py 15130)
