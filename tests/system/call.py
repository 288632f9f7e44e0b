"""Calls through a live ringdownd (issue 3, Calls and Trunks and CDRs):
SIPp phones registered to the node are called by a SIPp caller through the
B2BUA: a basic call (INVITE, 180, 200, ACK, BYE), a busy callee (486
relayed), a cancelled call (CANCEL, 487), an unknown user (404), a trunk at
its concurrent-call limit (503 + Retry-After, then admitted again once the
call in progress ends), one CDR per call with monotonic ids that continue
after a restart."""

import os
import re
import subprocess
import time

from phone import Phone
from sip_common import HOST, Node, check, fail, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
BOB, CAROL, DAVE, GATEWAY = port + 1, port + 2, port + 3, port + 4


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        for user in ("alice", "bob", "carol", "dave"):
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\n' % (user, user, REALM, user))
        f.write('[[trunk]]\nname = "carrier"\nzone = "london"\ngateway_host = "%s"\n'
                'gateway_port = %d\nprefixes = ["9"]\ncalls_max = 1\n' % (HOST, GATEWAY))
    return ["--config", node_config(tmp, port), "--provisioning", prov]


def sipp_args(tmp, name, extra):
    return ["sipp"] + extra + ["-i", HOST, "-nostdin", "-timeout", "100s", "-timeout_error",
                               "-trace_err", "-error_file", os.path.join(tmp, name + ".err")]


def uas(tmp, name, local_port, calls, scenario=None):
    how = ["-sf", os.path.join(args.scenarios, scenario)] if scenario else ["-sn", "uas"]
    cmd = sipp_args(tmp, name, how + ["-p", str(local_port), "-m", str(calls)])
    return subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def uac(tmp, name, local_port, user, calls=1, scenario=None, extra=()):
    how = ["-sf", os.path.join(args.scenarios, scenario)] if scenario else ["-sn", "uac"]
    cmd = sipp_args(tmp, name, ["%s:%d" % (HOST, port)] + how +
                    ["-s", user, "-p", str(local_port), "-m", str(calls)] + list(extra))
    return subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finished(proc, what, wait_s=60):
    try:
        out, _ = proc.communicate(timeout=wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    if proc.returncode != 0:
        print(out.decode(errors="replace")[-2500:])
    check(proc.returncode == 0, "%s (sipp exit %s)" % (what, proc.returncode))


def wait_log(node, pattern, what, deadline_s=15.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if re.search(pattern, node.log_text()):
            return
        time.sleep(0.05)  # bounded poll of the node's log
    fail("not seen in the log within %.0f s: %s" % (deadline_s, what))


def cdrs(log):
    """(id, call-id, disposition, code) of every CDR the node wrote."""
    return [(int(m.group(1)), m.group(2), m.group(3), int(m.group(4)))
            for m in re.finditer(r"CDR (\d+) call (\S+) (\w+) (\d+)", log)]


procs = []
with workdir() as tmp:
    node_args = write_files(tmp)
    try:
        with Node(args.ringdownd, node_args, tmp, port) as node:
            phones = []
            for user, contact_port in (("bob", BOB), ("carol", CAROL), ("dave", DAVE)):
                p = Phone(user, user + "-pw", REALM, port)
                ok = p.register_with_auth(contact_uri="sip:%s@%s:%d" % (user, HOST,
                                                                       contact_port))
                check(ok is not None and ok.startswith("SIP/2.0 200"),
                      "%s registered with contact port %d" % (user, contact_port))
                phones.append(p)

            bob = uas(tmp, "bob", BOB, 3)
            carol = uas(tmp, "carol", CAROL, 1, "uas_busy.xml")
            dave = uas(tmp, "dave", DAVE, 1, "uas_cancel.xml")
            procs += [bob, carol, dave]

            finished(uac(tmp, "basic", port + 10, "bob", calls=3),
                     "3 basic calls to bob: 180, 200, ACK, BYE relayed both ways")
            finished(uac(tmp, "busy", port + 11, "carol", scenario="uac_busy.xml"),
                     "call to busy carol: 486 relayed to the caller")
            finished(uac(tmp, "cancel", port + 12, "dave", scenario="uac_cancel.xml"),
                     "call to dave cancelled while ringing: 200 to CANCEL, 487")
            finished(uac(tmp, "unknown", port + 13, "nobody", scenario="invite.xml"),
                     "call to an unknown user: 404")
            finished(bob, "bob answered 3 calls and got their BYEs")
            finished(carol, "carol answered busy and got the ACK")
            finished(dave, "dave saw the CANCEL and answered 487")

            # Trunk admission: calls_max = 1.
            gateway = uas(tmp, "gateway", GATEWAY, 2)
            procs.append(gateway)
            held = uac(tmp, "trunk-held", port + 14, "9001", extra=["-d", "4000"])
            procs.append(held)
            wait_log(node, r"Call-ID 1-%d@%s: answered" % (held.pid, re.escape(HOST)),
                     "the first trunk call answered")
            finished(uac(tmp, "trunk-full", port + 15, "9002", scenario="uac_trunk_full.xml"),
                     "second trunk call over calls_max: 503 with Retry-After")
            finished(held, "first trunk call completed (BYE after 4 s)")
            finished(uac(tmp, "trunk-again", port + 16, "9003"),
                     "after it ended the trunk admits a call again")
            finished(gateway, "the trunk gateway answered exactly the admitted calls")

            check(node.terminate() == 0, "node stops cleanly (CDRs flushed)")
            records = cdrs(node.log_text())
            ids = [r[0] for r in records]
            check(ids == list(range(1, len(ids) + 1)),
                  "CDR ids are 1..%d in order: %r" % (len(ids), ids))
            by = {}
            for r in records:
                by.setdefault((r[2], r[3]), 0)
                by[(r[2], r[3])] += 1
            check(len(records) == 9, "one CDR per call, failed ones included (%d)"
                  % len(records))
            check(by.get(("answered", 200)) == 5, "5 answered calls: %r" % by)
            check(by.get(("busy", 486)) == 1, "1 busy call")
            check(by.get(("cancelled", 487)) == 1, "1 cancelled call")
            check(by.get(("rejected", 404)) == 1, "1 unknown-user call")
            check(by.get(("rejected", 503)) == 1, "1 trunk-full call")
            last_id = ids[-1]
            for p in phones:
                p.close()

        # CDR ids continue after a restart; bindings are still there.
        with Node(args.ringdownd, ["--config", node_args[1]], tmp, port) as node:
            bob = uas(tmp, "bob2", BOB, 1)
            procs.append(bob)
            finished(uac(tmp, "after-restart", port + 17, "bob"),
                     "bob (binding restored) is called after a restart")
            finished(bob, "bob answered after the restart")
            check(node.terminate() == 0, "node stops cleanly again")
            again = cdrs(node.log_text())
            check(len(again) == 1 and again[0][0] == last_id + 1,
                  "the next CDR id is %d: %r" % (last_id + 1, again))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
