"""System test of the cluster's key placement and SIP routing on loopback.

A 3-node, 2-zone cluster (node-1 and node-3 in london, node-2 in
new-york, each on its own 127.0.0.1x address, one provisioning):
  - devices register and subscribe to twelve london lines through node-1:
    every line is served by the london node placement names (the
    requests of the lines node-1 does not own are relayed there) and the
    lines are spread over both london nodes;
  - an INVITE sent to node-2 (new-york) for a london resource reaches
    the callee through a london node with its custom X- headers intact;
    the 200 comes back through node-2, and ACK and BYE follow the
    Record-Route through node-2;
  - node-3 is killed with SIGKILL: node-1 and node-2 mark it failed;
  - node-4 joins london: the idle lines that now hash to it are handed
    over (their subscribers get NOTIFY terminated;reason=deactivated),
    the devices subscribe again and node-4 serves them;
  - `ringdownctl node drain node-4`: node-4's lines go back to node-1,
    node-4 leaves (never `failed`) and exits 0."""

import argparse
import os
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_common as cc  # noqa: E402
from device import SDP, Device, header  # noqa: E402
from sip_common import HOST  # noqa: E402

REALM = "floor.test"
LINES = ["sip:desk-%d@%s" % (i, REALM) for i in range(1, 13)]


def write_provisioning(path):
    with open(path, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n[[zone]]\nname = "new-york"\n'
                % REALM)
        for uri in LINES:
            f.write('[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n' % uri)
        for name, zone in (("alice", "london"), ("bob", "london"), ("carol", "new-york")):
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "%s"\n'
                    'password = "%s-pw"\n' % (name, name, REALM, zone, name))
            # carol, in new-york, holds one london line too.
            held = LINES if zone == "london" else LINES[:1]
            f.write("lines = [%s]\n" % ", ".join('"%s"' % u for u in held))


class Sub:
    """The subscriptions of one device: answers NOTIFYs to their sender,
    re-subscribes when told the subscription was deactivated."""

    def __init__(self, device):
        self.d = device
        self.state = {}  # line -> last Subscription-State
        self.deactivated = 0

    def subscribe_all(self):
        for uri in LINES:
            self.d.subscribe(uri)

    def pump(self, until, what, deadline_s=10.0):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if until():
                return
            ready, _, _ = select.select([self.d.sock], [], [], 0.05)
            if not ready:
                continue
            data, source = self.d.sock.recvfrom(65535)
            text = data.decode(errors="replace")
            if text.startswith("NOTIFY "):
                line = re.search(r"<([^>]+)>", header(text, "From")).group(1)
                sub_state = header(text, "Subscription-State")
                self.state[line] = sub_state
                if "reason=deactivated" in sub_state:
                    self.deactivated += 1
                    self.d.handle(text, source)
                    self.d.subscribe(line)  # RFC 6665 §4.1.3: at once
                    continue
            self.d.handle(text, source)
        cc.fail("not within %.0f s: %s" % (deadline_s, what))

    def all_active(self):
        return all(self.state.get(u, "").startswith("active") for u in LINES)


def line_owners(node_list, since=None):
    """line -> ids of the nodes whose log shows the line's subscription."""
    out = {}
    for n in node_list:
        if n is None:
            continue
        text = n.text(whole=True) if since is None else n.text(whole=True)[since.get(n.id, 0):]
        for uri in LINES:
            if "line %s: alice subscribes" % uri in text:
                out.setdefault(uri, set()).add(n.id)
    return out


def log_sizes(node_list):
    return {n.id: len(n.text(whole=True)) for n in node_list}


def caller_until(caller, callee, wanted, done, deadline_s=10.0):
    """Serves the callee's socket (answers go where requests came from)
    and watches the caller's for the first message `wanted` accepts, until
    `done(that (text, source) or None)`; returns it."""
    got = None
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and not done(got):
        ready, _, _ = select.select([caller.sock, callee.sock], [], [], 0.05)
        if callee.sock in ready:
            data, source = callee.sock.recvfrom(65535)
            callee.handle(data.decode(errors="replace"), source)
        if caller.sock in ready:
            data, source = caller.sock.recvfrom(65535)
            text = data.decode(errors="replace")
            if got is None and wanted(text):
                got = (text, source)
    return got


def interzone_call(node2, alice_node, port):
    """carol (at node-2, new-york) calls alice (london) with X- headers."""
    carol = Device("carol", REALM, node2.sip_port, node2.host)
    ok = carol.register_with_auth()
    cc.check(ok is not None and ok.startswith("SIP/2.0 200"), "carol registered at node-2")
    alice = Device("alice", REALM, alice_node.sip_port, alice_node.host)
    ok = alice.register_with_auth()
    cc.check(ok is not None and ok.startswith("SIP/2.0 200"), "alice's phone registered")
    alice.answer = True
    call_id = "interzone-%d@test" % time.monotonic_ns()
    target = "sip:alice@%s" % REALM
    invite = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-iz-%d;rport\r\n"
              "Max-Forwards: 70\r\nFrom: <sip:carol@%s>;tag=carol1\r\nTo: <%s>\r\n"
              "Call-ID: %s\r\nCSeq: 1 INVITE\r\nContact: <sip:carol@%s:%d>\r\n"
              "X-Desk: 42\r\nX-Trade-Ref: abc-7\r\n"
              "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s") % (
        target, HOST, carol.port, time.monotonic_ns(), REALM, target, call_id, HOST,
        carol.port, len(SDP), SDP)
    carol.sock.sendto(invite.encode(), (node2.host, node2.sip_port))
    ok = caller_until(carol, alice, lambda text: text.startswith("SIP/2.0 200"),
                      lambda got: got is not None)
    cc.check(ok is not None, "carol's INVITE answered 200")
    text, source = ok
    cc.check(source == (node2.host, node2.sip_port), "the 200 comes back through node-2")
    got = alice.invite
    cc.check(header(got, "X-Desk") == "42" and header(got, "X-Trade-Ref") == "abc-7",
             "alice's INVITE carries X-Desk and X-Trade-Ref intact")
    rr = re.findall(r"\r\nRecord-Route: ([^\r]+)", text)
    cc.check(any("%s:%d" % (node2.host, node2.sip_port) in r for r in rr),
             "node-2 record-routes the dialog")
    contact = re.search(r"<([^>]+)>", header(text, "Contact")).group(1)
    route = "".join("Route: %s\r\n" % r for r in reversed(rr))
    for method, cseq in (("ACK", 1), ("BYE", 2)):
        msg = ("%s %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%d;rport\r\n"
               "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\n"
               "%sContent-Length: 0\r\n\r\n") % (
            method, contact, HOST, carol.port, method.lower(), time.monotonic_ns(),
            header(text, "From"), header(text, "To"), call_id, cseq, method, route)
        carol.sock.sendto(msg.encode(), (node2.host, node2.sip_port))
    bye_ok = caller_until(
        carol, alice, lambda t: t.startswith("SIP/2.0 200") and "BYE" in header(t, "CSeq"),
        lambda got: got is not None and "bye" in alice.events)
    cc.check(bye_ok is not None, "carol's BYE through node-2's Record-Route answered 200")
    cc.check("bye" in alice.events, "alice's phone got the BYE")
    carol.close()
    alice.close()
    return call_id


def run(args, tmp, nodes):
    prov = os.path.join(tmp, "provisioning.toml")
    write_provisioning(prov)
    base = args.port

    def node(index, zone, seeds):
        n = cc.ClusterNode(args.ringdownd, tmp, index, "127.0.0.1%d" % index, base + index,
                           base + 50 + index, seeds, zone=zone, probe_interval_ms=200,
                           probe_timeout_ms=100, provisioning=prov)
        nodes[n.id] = n
        return n

    n1 = node(1, "london", [])
    n2 = node(2, "new-york", [n1.cluster_address])
    n3 = node(3, "london", [n1.cluster_address])
    for n in (n1, n2, n3):
        n.start()
    for n in (n1, n2, n3):
        n.wait_ready()
    for a in (n1, n2, n3):
        for b in (n1, n2, n3):
            if a is not b:
                a.wait_event(b.id, "joined", 10)
    cc.check(True, "three nodes in two zones see each other")

    # Lines: placed over london's two nodes, reached through node-1.
    alice = Device("alice", REALM, n1.sip_port, n1.host)
    ok = alice.register_with_auth(contact=False)
    cc.check(ok is not None and ok.startswith("SIP/2.0 200"),
             "alice's turret queries its registration through node-1 (relayed to "
             "london's registrar)")
    sub = Sub(alice)
    sub.subscribe_all()
    sub.pump(sub.all_active, "an active NOTIFY for all twelve lines")
    owners = line_owners([n1, n2, n3])
    cc.check(all(len(owners.get(u, ())) == 1 for u in LINES),
             "each line is served by exactly one node: %r" % owners)
    served_by = {next(iter(v)) for v in owners.values()}
    cc.check(served_by == {"node-1", "node-3"},
             "the lines are spread over london's nodes (node-2 serves none): %r" % served_by)

    # One line, two zones: carol subscribes through node-2 (new-york), alice
    # seizes the line through node-1; both see it by NOTIFY from the one
    # owner.
    carol = Device("carol", REALM, n2.sip_port, n2.host)
    csub = Sub(carol)
    carol.subscribe(LINES[0])
    csub.pump(lambda: csub.state.get(LINES[0], "").startswith("active"),
              "carol's subscription through node-2 active")
    trying = ('<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" '
              'xmlns:sa="urn:ietf:params:xml:ns:sa-dialog-info" version="0" '
              'state="partial" entity="%s"><dialog id="s1"><sa:appearance>1'
              '</sa:appearance><state>trying</state></dialog></dialog-info>' % LINES[0])
    publish = ("PUBLISH %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-p-%d;rport\r\n"
               "Max-Forwards: 70\r\nFrom: <sip:alice@%s>;tag=p1\r\nTo: <%s>\r\n"
               "Call-ID: pub-%d@test\r\nCSeq: 1 PUBLISH\r\nEvent: dialog\r\nExpires: 60\r\n"
               "Content-Type: application/dialog-info+xml\r\nContent-Length: %d\r\n\r\n%s") % (
        LINES[0], HOST, alice.port, time.monotonic_ns(), REALM, LINES[0], time.monotonic_ns(),
        len(trying), trying)
    def trying_seen(d):
        return lambda: bool(d.notifies) and "<state>trying</state>" in d.notifies[-1]

    alice.notifies = []
    carol.notifies = []
    alice.sock.sendto(publish.encode(), (n1.host, n1.sip_port))
    sub.pump(trying_seen(alice), "alice sees desk-1 seized (trying)")
    csub.pump(trying_seen(carol), "carol, in new-york, sees desk-1 seized")
    cc.check(True, "desk-1 seized through node-1 shows 'trying' to alice (london) and "
             "carol (new-york) alike")
    carol.close()

    # Interzone: an INVITE at new-york's node-2 for a london resource.
    call_id = interzone_call(n2, n1, base)
    handled = [n.id for n in (n1, n3) if "Call-ID %s" % call_id in n.text(whole=True)]
    cc.check(len(handled) >= 1, "a london node handled the interzone call: %r" % handled)

    # node-3 dies.
    t_kill = time.time()
    n3.kill()
    for n in (n1, n2):
        n.wait_event("node-3", "failed", 10, after=t_kill - 1)
    cc.check(True, "node-3 killed: node-1 and node-2 mark it failed")
    # Its lines now hash to node-1: alice subscribes to them again there.
    lost = [u for u, ids in owners.items() if ids == {"node-3"}]
    mark = log_sizes([n1, n2])
    sub.state = {}
    sub.subscribe_all()
    sub.pump(sub.all_active, "active NOTIFYs again after node-3's death")
    again = line_owners([n1, n2], since=mark)
    cc.check(all(again.get(u) == {"node-1"} for u in lost),
             "node-3's %d lines are served by node-1 now" % len(lost))

    # node-4 joins london: the lines it wins are handed over.
    n4 = node(4, "london", [n2.cluster_address])
    n4.start()
    n4.wait_ready()
    for n in (n1, n2):
        n.wait_event("node-4", "joined", 10)
    before = sub.deactivated
    mark = log_sizes([n1, n2, n4])
    sub.pump(lambda: len(line_owners([n4], since=mark)) > 0 and sub.all_active(),
             "lines handed over to node-4 and subscribed again", deadline_s=15)
    moved = sorted(line_owners([n4], since=mark))
    cc.check(sub.deactivated > before,
             "subscribers told terminated;reason=deactivated (%d)" % (sub.deactivated - before))
    cc.check(0 < len(moved) < len(LINES),
             "node-4 owns %d of %d lines after joining" % (len(moved), len(LINES)))
    cc.check(any("handed over to node node-4" in n1.text(whole=True) for _ in (0,)),
             "node-1 logs the hand-over to node-4")

    # Drain node-4: its lines go back to node-1, then it leaves.
    if args.ringdownctl:
        mark = log_sizes([n1])
        before = sub.deactivated
        t_drain = time.time()
        out = subprocess.run([args.ringdownctl, "--node", "%s:%d" % (n1.host, n1.sip_port),
                              "node", "drain", "node-4"], capture_output=True, text=True,
                             timeout=20)
        cc.check(out.returncode == 0, "ringdownctl node drain node-4: %s%s" %
                 (out.stdout.strip(), out.stderr.strip()))
        sub.pump(lambda: all(line_owners([n1], since=mark).get(u) == {"node-1"}
                             for u in moved) and sub.all_active(),
                 "node-4's lines back on node-1", deadline_s=15)
        cc.check(sub.deactivated > before, "drain: node-4's subscribers told to move")
        n1.wait_event("node-4", "left", 10, after=t_drain - 1)
        cc.check(n1.event_time("node-4", "failed", after=t_drain - 1) is None,
                 "node-4 left gracefully, never failed")
        try:
            code = n4.proc.wait(15)
        except subprocess.TimeoutExpired:
            code = None
        cc.check(code == 0, "drained node-4 exits 0 (got %r)" % code)
    alice.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ringdownd", required=True)
    p.add_argument("--ringdownctl", default="")
    p.add_argument("--port", type=int, required=True, help="first port this test may use")
    args = p.parse_args()
    nodes = {}
    with tempfile.TemporaryDirectory(prefix="ringdown-routing-") as tmp:
        try:
            run(args, tmp, nodes)
        except AssertionError as e:
            print("FAIL: %s" % e, flush=True)
            for n in nodes.values():
                print("---- %s log ----\n%s" % (n.id, n.text(whole=True)[-8000:]))
            return 1
        finally:
            for n in nodes.values():
                n.stop()
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
