"""System test of cluster membership (SWIM over UDP) on loopback.

Three ringdownd nodes on 127.0.0.11..13 form a cluster through node 1;
node 3 is killed with SIGKILL and nodes 1 and 2 must log it failed within
5 s; node 4 joins through node 2 and leaves on SIGTERM (logged `left`,
never `failed`); a node with another cluster key is never admitted and its
packets show as bad-MAC drops on node 1."""

import argparse
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_common as cc  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ringdownd", required=True)
    p.add_argument("--port", type=int, required=True, help="first port this test may use")
    args = p.parse_args()

    nodes = []
    with tempfile.TemporaryDirectory(prefix="ringdown-cluster-") as tmp:
        def node(index, seeds, key=cc.KEY):
            n = cc.ClusterNode(args.ringdownd, tmp, index, "127.0.0.1%d" % index,
                               args.port + index, args.port + 50 + index, seeds, key=key)
            nodes.append(n)
            return n

        try:
            run(node)
        except AssertionError as e:
            print("FAIL: %s" % e, flush=True)
            for n in nodes:
                print("---- %s log ----\n%s" % (n.id, n.text(whole=True)[-6000:]))
            return 1
        finally:
            for n in nodes:
                n.stop()
    print("PASS", flush=True)
    return 0


def run(node):
    n1 = node(1, [])
    n1.start().wait_ready()
    n2 = node(2, [n1.cluster_address])
    n3 = node(3, [n1.cluster_address])
    for n in (n2, n3):
        n.start().wait_ready()
    trio = (n1, n2, n3)
    for n in trio:
        for other in trio:
            if other is not n:
                n.wait_event(other.id, "joined", 10.0)
    cc.check(True, "three nodes joined: each logs the other two")
    for n in trio:
        cc.check("(zone london, %s)" % other_address(trio, n) in n.text(),
                 "%s logs members with zone and cluster address" % n.id)

    # A crash: kill -9 node 3.
    killed_at = time.time()
    n3.kill()
    stamps = [n.wait_event("node-3", "failed", 5.0, after=killed_at - 0.01) for n in (n1, n2)]
    detection_ms = (max(stamps) - killed_at) * 1000.0
    cc.check(True, "nodes 1 and 2 log node-3 failed; detected by all in %.0f ms" %
             detection_ms)

    # A joiner through node 2, then its graceful leave.
    n4 = node(4, [n2.cluster_address])
    n4.start().wait_ready()
    for n in (n1, n2):
        n.wait_event("node-4", "joined", 10.0)
    n4.wait_event("node-1", "joined", 10.0)
    cc.check(True, "node 4 joined through node 2: nodes 1 and 2 log it joined")
    left_at = time.time()
    cc.check(n4.terminate() == 0, "node 4 exits 0 on SIGTERM")
    for n in (n1, n2):
        n.wait_event("node-4", "left", 5.0, after=left_at - 0.01)
    cc.check("left the cluster: told" in n4.text(), "node 4 logs its leave")
    cc.check(True, "nodes 1 and 2 log node-4 left")

    # A node with another key: dropped, never a member.
    bad = node(5, [n1.cluster_address], key=cc.OTHER_KEY)
    bad.start().wait_ready()
    n1.wait_for(lambda t: "dropped a packet with a bad MAC from %s" % bad.cluster_address in t
                and "(2 so far)" in t, 10.0, "bad-MAC drops from node 5")
    cc.check(True, "node 1 drops node 5's packets as bad MAC")
    bad.stop()

    for n in (n1, n2):
        cc.check(n.event_time("node-5", "joined") is None, "%s never admits node 5" % n.id)
        cc.check(n.event_time("node-4", "failed") is None,
                 "%s never logs node-4 failed (it left)" % n.id)
    cc.check(n2.terminate() == 0 and n1.terminate() == 0, "nodes 1 and 2 exit 0 on SIGTERM")
    m = re.search(r"cluster counters: .*dropped_bad_mac=(\d+)", n1.text())
    cc.check(m is not None and int(m.group(1)) >= 2,
             "node 1's exit counters show bad-MAC drops (%s)" % (m.group(1) if m else "none"))


def other_address(trio, n):
    return [o for o in trio if o is not n][0].cluster_address


if __name__ == "__main__":
    sys.exit(main())
