"""Redirection (RFC 3261 §8.1.3.4) followed by the B2BUA, in SIPp
scenarios against a live ringdownd: a SIPp caller (sipp's own uac
scenario) calls 8001 on the trunk "carrier", whose gateway answers 302
with a Contact elsewhere (uas_redirect.xml, as a phone's call forward
does). The node must ACK the 302 and call that contact (sipp's own uas
scenario), which answers: the caller is answered by it, never sees the
302, and its BYE reaches the new callee. The CDR says answered."""

from sip_common import Node, check, parse_args, trunk_node, wait_text, workdir
from sipp_scenario import SippSet

args = parse_args()
port = args.port
REALM = "floor.test"
CALLER, GATEWAY, FORWARDED = port + 1, port + 2, port + 3

with workdir() as tmp:
    with Node(args.ringdownd, trunk_node(tmp, port, REALM, "8", GATEWAY), tmp,
              port) as node, \
            SippSet(tmp, args.scenarios, port, REALM) as sipp:
        gateway = sipp.start("gateway", "uas_redirect.xml", GATEWAY, "-set", "target",
                             str(FORWARDED)).listening()
        forwarded = sipp.start("forwarded", "uas", FORWARDED).listening()
        caller = sipp.start("caller", "uac", CALLER, "-s", "8001")
        gateway.finished("the gateway redirected the call and got the ACK of its 302")
        caller.finished("the caller is answered and hangs up")
        forwarded.finished("the redirected contact answered the call and got its BYE")
        check("SIP/2.0 302" not in caller.text("msg"), "the caller never sees the 302")
        cdr = wait_text(node.log_text, r"ended answered 200 \S+ -> sip:8001@")
        check(cdr is not None, "the call leaves an answered CDR")
        check(wait_text(node.log_text, r"302 Moved Temporarily from \S+: calling its 1 "
                        r"contact") is not None, "the node logs the redirection it followed")
        check(node.terminate() == 0, "node stops cleanly")
