"""Reliable provisional responses (RFC 3262) from a trunk, in SIPp
scenarios against a live ringdownd: a SIPp caller (sipp's own uac
scenario) calls 9001, which goes out on the trunk "carrier" to a SIPp
gateway that insists on 100rel (uas_100rel.xml). The node's INVITE must
say Supported: 100rel; the gateway's 183 (Require: 100rel, RSeq: 1) must
be PRACKed with RAck "1 <the INVITE's CSeq> INVITE" before the gateway
answers; the caller gets the 183 and the 200, and its BYE reaches the
gateway. The call leaves an answered CDR."""

import re

from sip_common import Node, check, parse_args, trunk_node, wait_text, workdir
from sipp_scenario import SippSet

args = parse_args()
port = args.port
REALM = "floor.test"
CALLER, GATEWAY = port + 1, port + 2

with workdir() as tmp:
    with Node(args.ringdownd, trunk_node(tmp, port, REALM, "9", GATEWAY), tmp,
              port) as node, \
            SippSet(tmp, args.scenarios, port, REALM) as sipp:
        gateway = sipp.start("gateway", "uas_100rel.xml", GATEWAY).listening()
        caller = sipp.start("caller", "uac", CALLER, "-s", "9001")
        m = gateway.marker(r"(?m)^prack (\d+) (\d+) INVITE after INVITE (\d+)$",
                           "the gateway's reliable 183 is PRACKed")
        check(m.group(1) == "1" and m.group(2) == m.group(3),
              "the PRACK acknowledges RSeq 1 of the INVITE (RAck %s %s INVITE, INVITE CSeq %s)"
              % (m.group(1), m.group(2), m.group(3)))
        gateway.finished("the gateway answered after the PRACK and got the caller's BYE")
        caller.finished("the caller got 183 and 200 and hung up")
        msgs = caller.text("msg")
        check(re.search(r"SIP/2.0 183", msgs) is not None and
              re.search(r"(?mi)^RSeq:", msgs) is None,
              "the caller is sent the 183 unreliably (no RSeq)")
        cdr = wait_text(node.log_text, r"ended answered 200 \S+ -> sip:9001@")
        check(cdr is not None, "the call leaves an answered CDR")
        check(node.terminate() == 0, "node stops cleanly")
