"""Line seizure dialled by SIP INFO, in SIPp scenarios against a live
ringdownd with the media bridge (media issue): d1 holds the line
sip:wire@floor.test and INVITEs it (line_seize_info_uac.xml). The node's
bridge answers at once; d1 sends an INFO whose DTMF body names no digit
(400), then four digits as application/dtmf-relay and '#' as
application/dtmf. '#' ends the dialling at once.

First d1 dials 4420: the prefix 44 takes it out on the trunk "lse", whose
gateway is a SIPp UAS (trunk_answer_bye_uas.xml) that must be sent
exactly that number. Then d1 dials 2001, the extension of a registered
device of the realm: its phone (the same UAS scenario, at the device's
registered Contact) is called instead of any trunk. Last d1 dials 2002,
an extension with no device registered that diverts to 2001 when
unavailable: 2001's phone is called. Each far end answers, then hangs up:
the node BYEs d1, and the CDR names the number dialled."""

import re

from sip_common import Node, check, node_config, parse_args, wait_text, workdir
from sipp_scenario import SippSet

args = parse_args()
port = args.port
REALM = "floor.test"
LINE = "sip:wire@%s" % REALM
CALLER, GATEWAY, EXT_REGISTER, EXT_PHONE = port + 1, port + 2, port + 3, port + 4


def provisioning(tmp):
    path = tmp + "/provisioning.toml"
    with open(path, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n'
                '[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n'
                '[[resource]]\nname = "d1"\naor = "sip:d1@%s"\nzone = "london"\n'
                'password = "d1-pw"\nlines = ["%s"]\n'
                '[[resource]]\nname = "2001"\naor = "sip:2001@%s"\nzone = "london"\n'
                'password = "2001-pw"\n'
                '[[resource]]\nname = "2002"\naor = "sip:2002@%s"\nzone = "london"\n'
                'password = "2002-pw"\ndivert_to = "sip:2001@%s"\n'
                'divert_on = ["unavailable"]\n'
                '[[trunk]]\nname = "lse"\nzone = "london"\ngateway_host = "127.0.0.1"\n'
                'gateway_port = %d\nprefixes = ["44", "2"]\ncalls_max = 4\n'
                % (REALM, LINE, REALM, LINE, REALM, REALM, REALM, GATEWAY))
    return path


def seize_and_dial(node, sipp, run, number, far_port, far_name, reaches=None):
    """d1 seizes the line and dials `number` by INFO; the SIPp UAS on
    `far_port` must be called (with `reaches`, the number it is reached
    by, if another), answer and hang up."""
    far = sipp.start("%s-%d" % (far_name, run), "trunk_answer_bye_uas.xml",
                     far_port).listening()
    digits = []
    for name, digit in zip(("n1", "n2", "n3", "n4"), number):
        digits += ["-set", name, digit]
    d1 = sipp.start("d1-%d" % run, "line_seize_info_uac.xml", CALLER, "-s", "wire",
                    *(sipp.device("d1") + digits))
    d1.marker(r"(?m)^answered$", "%s: the node's bridge answers the seizure at once (200)"
              % number)
    d1.marker(r"(?m)^refused 400$", "%s: an INFO whose DTMF body names no digit gets 400"
              % number)
    d1.marker(r"(?m)^dialled$", "%s: each digit INFO gets 200" % number)
    m = far.marker(r"(?m)^dialled (\S+)$", "%s: the %s is called" % (number, far_name))
    check(m.group(1) == (reaches or number), "the %s is called as %s (%s)"
          % (far_name, reaches or number, m.group(1)))
    far.finished("%s: the %s answered, then hung up" % (number, far_name))
    d1.finished("%s: the node hangs up d1 after the far end (BYE, 200)" % number)
    check(re.search(r"dialled '%s' on line %s: 1 target" % (number, LINE), node.log_text())
          is not None, "%s: the node logs the number, ended by '#', and one target" % number)
    cdr = wait_text(node.log_text, r"ended answered 200 sip:d1@%s -> %s" % (REALM, number))
    check(cdr is not None, "%s: the CDR names the number dialled by INFO" % number)


with workdir() as tmp:
    with Node(args.ringdownd, ["--config", node_config(tmp, port, media=True),
                               "--provisioning", provisioning(tmp)], tmp, port) as node, \
            SippSet(tmp, args.scenarios, port, REALM) as sipp:
        seize_and_dial(node, sipp, 1, "4420", GATEWAY, "trunk's gateway")
        # The trunk takes numbers starting 2 as well: an extension goes
        # first.
        sipp.register("2001", EXT_REGISTER, EXT_PHONE)
        seize_and_dial(node, sipp, 2, "2001", EXT_PHONE, "extension's phone")
        check(re.search(r"'2001' is the extension of sip:2001@%s" % REALM, node.log_text())
              is not None, "2001 is taken as the extension, not sent to the trunk")
        # 2002 has no device registered and diverts to 2001 when unavailable.
        seize_and_dial(node, sipp, 3, "2002", EXT_PHONE, "extension's phone", reaches="2001")
        check(re.search(r"sip:2002@%s diverted to sip:2001@%s \(unavailable\)"
                        % (REALM, REALM), node.log_text()) is not None,
              "2002 diverts to 2001 as a call to it does (unavailable)")
        check(node.terminate() == 0, "node stops cleanly")
