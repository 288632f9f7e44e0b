"""Line seizure dialled by SIP INFO, in SIPp scenarios against a live
ringdownd with the media bridge (media issue): d1 holds the line
sip:wire@floor.test and INVITEs it (line_seize_info_uac.xml). The node's
bridge answers at once; d1 sends an INFO whose DTMF body names no digit
(400), then 4, 4, 2, 0 as application/dtmf-relay and '#' as
application/dtmf. '#' ends the dialling at once: the number 4420 (prefix
44) goes out on the trunk "lse", whose gateway is a SIPp UAS
(trunk_answer_bye_uas.xml) that must be sent exactly that number. It
answers, then hangs up: the node BYEs d1, and the CDR names the number
and the trunk."""

import re

from sip_common import Node, check, node_config, parse_args, wait_text, workdir
from sipp_scenario import SippSet

args = parse_args()
port = args.port
REALM = "floor.test"
LINE = "sip:wire@%s" % REALM
NUMBER = "4420"
CALLER, GATEWAY = port + 1, port + 2


def provisioning(tmp):
    path = tmp + "/provisioning.toml"
    with open(path, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n'
                '[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n'
                '[[resource]]\nname = "d1"\naor = "sip:d1@%s"\nzone = "london"\n'
                'password = "d1-pw"\nlines = ["%s"]\n'
                '[[trunk]]\nname = "lse"\nzone = "london"\ngateway_host = "127.0.0.1"\n'
                'gateway_port = %d\nprefixes = ["44"]\ncalls_max = 4\n'
                % (REALM, LINE, REALM, LINE, GATEWAY))
    return path


with workdir() as tmp:
    with Node(args.ringdownd, ["--config", node_config(tmp, port, media=True),
                               "--provisioning", provisioning(tmp)], tmp, port) as node, \
            SippSet(tmp, args.scenarios, port, REALM) as sipp:
        gateway = sipp.start("gateway", "trunk_answer_bye_uas.xml", GATEWAY).listening()
        d1 = sipp.start("d1", "line_seize_info_uac.xml", CALLER, "-s", "wire",
                        *sipp.device("d1"))
        d1.marker(r"(?m)^answered$", "the node's bridge answers the seizure at once (200)")
        d1.marker(r"(?m)^refused 400$", "an INFO whose DTMF body names no digit gets 400")
        d1.marker(r"(?m)^dialled$", "each digit INFO gets 200")
        m = gateway.marker(r"(?m)^dialled (\S+)$", "the trunk's gateway is called")
        check(m.group(1) == NUMBER, "the gateway is sent the number dialled by INFO (%s)"
              % m.group(1))
        gateway.finished("the gateway answered, then hung up")
        d1.finished("the node hangs up d1 after the far end (BYE, 200)")
        log = node.log_text
        check(re.search(r"dialled '%s' on line %s: 1 target" % (NUMBER, LINE), log())
              is not None, "the node logs the number, ended by '#', and one target")
        cdr = wait_text(log, r"ended answered 200 sip:d1@%s -> (\S+)" % REALM)
        check(cdr is not None and cdr.group(1) == NUMBER,
              "the CDR names the number dialled by INFO")
        check(node.terminate() == 0, "node stops cleanly")
