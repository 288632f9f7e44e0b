"""Running out of media ports (issue 4): a node whose RTP range holds two
port pairs anchors one call (caller leg + callee leg); a second call while
the first talks is answered 503 with Retry-After and the first call is not
disturbed; once the first call ends its ports serve a new call."""

import os
import re
import select
import time

from device import Device, header, in_dialog_as_caller, invite_from
from sip_common import HOST, Node, check, fail, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        for d in ("alice", "bob", "carol"):
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\n' % (d, d, REALM, d))
    conf = os.path.join(tmp, "ringdownd.toml")
    with open(conf, "w") as f:
        f.write('[node]\nzone = "london"\ndata_dir = "%s"\n[sip]\nlisten = ["udp:%s:%d"]\n'
                '[registrar]\ndigest_algorithms = "MD5"\n[log]\nlevel = "debug"\n'
                '[media]\naddress = "%s"\nport_first = %d\nport_last = %d\n'
                % (os.path.join(tmp, "data"), HOST, port, HOST, port + 40, port + 43))
    return ["--config", conf, "--provisioning", prov]


def final(devices, who, deadline_s=10.0):
    """Serves the devices until `who` receives a final response; returns it."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
        for d in devices:
            if d.sock in ready:
                s = d.handle(d.sock.recvfrom(65535)[0].decode(errors="replace"))
                if d is who and s is not None and s >= 200:
                    return s, d.last_response
    fail("no final response for %s within %.0f s" % (who.user, deadline_s))


def serve_until(devices, cond, what, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and not cond():
        ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
        for d in devices:
            if d.sock in ready:
                d.handle(d.sock.recvfrom(65535)[0].decode(errors="replace"))
    check(cond(), what)


with workdir() as tmp:
    node_args = write_files(tmp)
    with Node(args.ringdownd, node_args, tmp, port) as node:
        alice, bob, carol = (Device(n, REALM, port) for n in ("alice", "bob", "carol"))
        for d in (alice, bob, carol):
            ok = d.register_with_auth()
            check(ok is not None and ok.startswith("SIP/2.0 200"), "%s registered" % d.user)
        devices = [alice, bob, carol]
        bob.answer = True

        alice.sock.sendto(invite_from(alice, "sip:bob@%s" % REALM, "ports-1@test", "a1")
                          .encode(), (HOST, port))
        status, ok1 = final(devices, alice)
        check(status == 200, "the first call is answered (both legs anchored)")
        alice.sock.sendto(in_dialog_as_caller(alice, ok1, "ACK", 1).encode(), (HOST, port))
        media_port = int(re.search(r"m=audio (\d+)", ok1).group(1))
        check(port + 40 <= media_port <= port + 43, "on the node's bridge (port %d)" % media_port)

        carol.sock.sendto(invite_from(carol, "sip:bob@%s" % REALM, "ports-2@test", "c1")
                          .encode(), (HOST, port))
        status, refused = final(devices, carol)
        check(status == 503, "a second call while every port is taken: 503 (got %d)" % status)
        check(header(refused, "Retry-After") != "", "the 503 says when to retry")
        check(bob.events.count("ringing") == 1, "bob was not rung for the refused call")

        # The first call is undisturbed and ends normally.
        alice.sock.sendto(in_dialog_as_caller(alice, ok1, "BYE", 2).encode(), (HOST, port))
        status, _ = final(devices, alice)
        check(status == 200, "the first call ends: BYE/200")
        serve_until(devices, lambda: "bye" in bob.events, "bob gets the BYE")

        # Its ports serve a new call (bounded wait for the bridge to let go).
        end = time.monotonic() + 10
        status = None
        n = 3
        while time.monotonic() < end and status != 200:
            carol.sock.sendto(invite_from(carol, "sip:bob@%s" % REALM, "ports-%d@test" % n,
                                          "c%d" % n).encode(), (HOST, port))
            status, ok3 = final(devices, carol)
            n += 1
        check(status == 200, "after the first call ended a new call gets its ports")
        carol.sock.sendto(in_dialog_as_caller(carol, ok3, "ACK", 1).encode(), (HOST, port))
        carol.sock.sendto(in_dialog_as_caller(carol, ok3, "BYE", 2).encode(), (HOST, port))
        final(devices, carol)
        check(node.terminate() == 0, "node stops cleanly")
        m = re.search(r"ports_exhausted=(\d+)", node.log_text())
        check(m is not None and int(m.group(1)) >= 1,
              "the node counted the exhaustion (%s)" % (m.group(0) if m else "no counter"))
