"""Registrar against a live ringdownd (issue 3, Registrar): SIPp REGISTER
with digest authentication and with a wrong password (403, nothing bound),
an unknown user (404), bindings that survive SIGKILL and a restart, a
resource of another zone handled by that zone's registrar with its custom
headers, and bad input answered 400 while the node keeps serving."""

import os
import re
import signal
import subprocess

from phone import Phone, contacts
from sip_common import (HOST, Node, check, node_config, parse_args, status_of, udp_recv,
                        udp_socket, workdir)

args = parse_args()
port = args.port
here = os.path.dirname(os.path.abspath(__file__))
provisioning = os.path.join(here, "registrar_provisioning.toml")
REALM = "floor.test"


def node_args(tmp):
    return ["--config", node_config(tmp, port), "--provisioning", provisioning]


def sipp(tmp, scenario, user, password, local_port):
    cmd = ["sipp", "%s:%d" % (HOST, port), "-sf", os.path.join(args.scenarios, scenario),
           "-m", "1", "-t", "u1", "-i", HOST, "-p", str(local_port), "-nostdin",
           "-timeout", "15s", "-timeout_error", "-au", user, "-ap", password,
           "-set", "aor", "%s@%s" % (user, REALM), "-trace_err", "-error_file",
           os.path.join(tmp, "sipp_%s_%s.log" % (scenario, user))]
    r = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60)
    if r.returncode != 0:
        print(r.stdout.decode(errors="replace")[-3000:])
    return r.returncode


with workdir() as tmp:
    with Node(args.ringdownd, node_args(tmp), tmp, port) as node:
        check(sipp(tmp, "register_auth.xml", "alice", "alice-pw", port + 1) == 0,
              "SIPp: alice registers with digest, then unregisters")
        check(sipp(tmp, "register_refused.xml", "alice", "not-her-password", port + 2) == 0,
              "SIPp: a wrong password gets 403")

        ghost = Phone("ghost", "x", REALM, port)
        r = ghost.register()
        check(status_of(r) == 404, "unknown user gets 404 (got %r)" % status_of(r))
        ghost.close()

        bob = Phone("bob", "bob-pw", REALM, port)
        ok = bob.register_with_auth(expires=600)
        check(status_of(ok) == 200, "bob registers (200)")
        bound = contacts(ok)
        check(len(bound) == 1 and ("%d" % bob.port) in bound[0] and "expires=600" in bound[0],
              "200 lists bob's one binding with its expiry: %r" % bound)

        # Nothing bound by the refused REGISTER: alice's bindings stay empty.
        alice = Phone("alice", "alice-pw", REALM, port)
        q = alice.register_with_auth(contact=False)
        check(status_of(q) == 200 and contacts(q) == [],
              "alice has no binding after the refused REGISTER")

        # A resource whose Active Resource Zone is new-york goes to that
        # zone's registrar, with the request as sent (custom header kept).
        erin = Phone("erin", "erin-pw", REALM, port)
        ok = erin.register_with_auth(extra="X-Desk: forwards-7\r\n")
        check(status_of(ok) == 200, "erin (zone new-york) registers through this node")
        log = node.log_text()
        check(re.search(r"registrar new-york: REGISTER Call-ID %s .*X-Desk: forwards-7"
                        % re.escape(erin.call_id), log) is not None,
              "the new-york registrar handled erin's REGISTER with its X-Desk header")

        # Bad input: a malformed REGISTER gets 400 and the node keeps serving.
        s = udp_socket()
        s.sendto(b"REGISTER sip:floor.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch="
                 b"z9hG4bK-bad;rport\r\nFrom: <sip:bob@floor.test>;tag=1\r\nTo: <sip:bob@floor"
                 b".test>\r\nCall-ID: bad@t\r\nCSeq: x REGISTER\r\nContent-Length: 0\r\n\r\n",
                 (HOST, port))
        check(status_of(udp_recv(s, 5.0)) == 400, "malformed CSeq gets 400")
        s.close()

        # Durability: the 200 was sent after a synced write, so SIGKILL
        # loses nothing.
        os.kill(node.proc.pid, signal.SIGKILL)
        node.proc.wait()

    with Node(args.ringdownd, node_args(tmp), tmp, port) as node:
        q = bob.register_with_auth(contact=False)
        bound = contacts(q)
        check(status_of(q) == 200 and len(bound) == 1 and ("%d" % bob.port) in bound[0],
              "bob's binding survived SIGKILL and restart: %r" % bound)
        m = re.search(r"expires=(\d+)", bound[0])
        check(m is not None and 0 < int(m.group(1)) <= 600,
              "restored binding keeps its remaining lifetime (%s)" % (m and m.group(1)))
        check(node.terminate() == 0, "node stops cleanly")
    bob.close()
    alice.close()
    erin.close()
