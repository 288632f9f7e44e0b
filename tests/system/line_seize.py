"""Line seizure with the media bridge (media issue): alice's baresip holds
the shared line sip:wire@floor.test and dials the line. The node answers
at once from its bridge (no provisional response needed) and alice hears
dial tone (425 Hz). She sends the number as RFC 4733 events; the inter-digit
timer ends the dialling, and the number (prefix 44) goes out on the trunk
"lse" whose gateway is bob's baresip (a carrier's number, not registered).
While bob rings alice hears ringback (the node's configured tone plan
sets it to 600 Hz); bob answers, the tone stops and the
two talk through the bridge: alice hears bob's 1000 Hz, bob hears alice's
440 Hz, and bob never received the digits. Every holder's line goes BUSY
(the line actor logs the seizure) and the CDR names the dialled number and
the trunk. Alice holds the call: bob hears music on hold and the line
shows HELD; she resumes. A second run dials a number no trunk takes:
congestion tone."""

import os

from baresip_common import REALM, Phones, grow, hears_in, runs, stop_all, wait_for
from sip_common import Node, check, parse_args, workdir

args = parse_args()
port = args.port
LINE = "sip:wire@%s" % REALM
NUMBER = "442071234567"
TONE = {"alice": 440, "bob": 1000}  # Hz, ausine
RINGBACK = 600  # Hz: the tone plan's ringback is set in the node's config
PROBES = (425, 440, 1000, RINGBACK)
phones = Phones(port, TONE, aor_user={"bob": NUMBER}, unregistered=("bob",),
                holds={"alice": [LINE]})


def provisioning():
    return ('[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n'
            '[[trunk]]\nname = "lse"\nzone = "london"\ngateway_host = "127.0.0.1"\n'
            'gateway_port = %d\nprefixes = ["44"]\ncalls_max = 4\n' % (LINE, phones.sip["bob"]))


def hears(tmp, user, hz, seconds=1.0):
    return hears_in(os.path.join(tmp, user), hz, PROBES, seconds)


def node_args(tmp):
    args_ = phones.node_args(tmp, provisioning=provisioning(), media=True)
    # Dialling ends 1.5 s after the last digit; a failed number's tone plays
    # for 4 s.
    with open(args_[1], "a") as f:
        f.write("inter_digit_ms = 1500\nfailure_tone_s = 4\n"
                "[media.tones]\nringback = \"%d/2000,0/1000\"\n" % RINGBACK)
    return args_


procs = []
with workdir() as tmp:
    try:
        with Node(args.ringdownd, node_args(tmp), tmp, port) as node:
            phones.start(tmp, procs)
            logs = phones.logs
            phones.command("alice", "dial", LINE)
            wait_for(logs["alice"], r"Call established", "the node answers the seizure at once")
            wait_for(node.log_path, r"alice seizes line %s" % LINE, "alice seizes the line")
            wait_for(node.log_path, r"line %s: BUSY \(version" % LINE,
                     "the line is BUSY for every holder")
            wait_for(node.log_path, r"seized by sip:alice@%s: dial tone" % REALM,
                     "the bridge plays dial tone")
            grow(os.path.join(tmp, "alice"), 1.5)
            ok, d = hears(tmp, "alice", 425)
            check(ok, "alice hears dial tone (425 Hz) before dialling: %r" % runs(d))

            phones.command("alice", "sndcode", NUMBER)
            m = wait_for(node.log_path, r"leg 0 dialled '(\d*)'", "the bridge collects the digits")
            check(m.group(1) == NUMBER, "the digits collected are the number sent (%s)"
                  % m.group(1))
            wait_for(logs["bob"], r"Incoming call from", "the trunk's far end (bob) rings")
            wait_for(node.log_path, r"bridge \d+ leg 0: ringback tone",
                     "the bridge plays ringback to alice while bob rings")
            grow(os.path.join(tmp, "alice"), 1.2)
            ok, d = hears(tmp, "alice", RINGBACK, 1.0)
            check(RINGBACK in d and 425 not in d,
                  "alice hears the configured ringback (%d Hz, not the default 425 Hz) while "
                  "bob rings: %r" % (RINGBACK, runs(d)))

            phones.command("bob", "accept")
            wait_for(node.log_path, r"answered the seized line %s" % LINE,
                     "bob's answer bridges the seized line")
            for user in ("alice", "bob"):
                grow(os.path.join(tmp, user), 1.5)
            for user, other in (("alice", "bob"), ("bob", "alice")):
                ok, d = hears(tmp, user, TONE[other])
                check(ok, "%s hears %s's %d Hz through the bridge: %r"
                      % (user, other, TONE[other], runs(d)))
            with open(logs["bob"], errors="replace") as f:
                bob_log = f.read()
            check("received DTMF" not in bob_log and "CALL_DTMF" not in bob_log,
                  "bob never received alice's digits")

            # Hold on the bridged trunk: the carrier's party hears music on
            # hold, every holder of the line sees it HELD; resume: BUSY again.
            phones.command("alice", "hold")
            wait_for(node.log_path, r"bridge \d+ leg 1: on hold, music on hold",
                     "the trunk's party is put on music on hold")
            wait_for(node.log_path, r"line %s: HELD \(version" % LINE,
                     "the line shows HELD to its holders")
            phones.command("alice", "resume")
            wait_for(node.log_path, r"bridge \d+ leg 1: resumed, back in the call",
                     "the trunk's party is back in the call")
            wait_for(node.log_path, r"(?s)HELD \(version.*line %s: BUSY \(version" % LINE,
                     "the line shows BUSY again")

            phones.command("alice", "hangup")
            m = wait_for(node.log_path, r"ended answered 200 sip:alice@%s -> (\S+) billable"
                         % REALM, "the call ends answered")
            check(m.group(1) == NUMBER, "the CDR names the dialled number (%s)" % m.group(1))
            wait_for(node.log_path, r"(?s)ended answered 200.*line %s: IDLE \(version" % LINE,
                     "the line is IDLE again")

            # A number no trunk takes: congestion, then the node hangs up.
            phones.command("alice", "dial", LINE)
            wait_for(node.log_path, r"(?s)answered the seized line.*seized by sip:alice@%s: "
                     r"dial tone" % REALM, "the line is seized again")
            phones.command("alice", "sndcode", "999#")
            m = wait_for(node.log_path, r"dialled '999' on line %s: 0 target" % LINE,
                         "'#' ends the dialling at once")
            wait_for(node.log_path, r"the dialled number failed \(404 Not Found\): "
                     r"congestion tone", "an unknown number plays congestion tone")
            wait_for(node.log_path, r"ended rejected 404 sip:alice@%s -> 999" % REALM,
                     "after the tone the node hangs up; the CDR says 404", deadline_s=15)
            wait_for(logs["alice"], r"(?s)Call established.*Call established.*"
                     r"(terminated|closed)", "alice's phone is hung up")
            check(node.terminate() == 0, "node stops cleanly")
    finally:
        stop_all(procs)
