# Shared lines, hold, barge and transfer as SIPp XML scenarios (tests/sip)
# driven against ringdownd (issue 3): ports 16300..16399; the barge test
# anchors media on 16390..16399.
ringdown_sip_system_test(sipp_line sipp_line.py 16300)
ringdown_sip_system_test(sipp_hold sipp_hold.py 16320)
ringdown_sip_system_test(sipp_transfer sipp_transfer.py 16340)
ringdown_sip_system_test(sipp_barge sipp_barge.py 16350)
# Reliable provisional responses from a trunk (RFC 3262): ports 16750..16799.
ringdown_sip_system_test(sipp_prack sipp_prack.py 16750)
# A 3xx from a trunk followed to its contact: ports 16800..16849.
ringdown_sip_system_test(sipp_redirect sipp_redirect.py 16800)
