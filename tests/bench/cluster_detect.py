#!/usr/bin/env python3
"""Crash detection time of cluster membership on loopback (not a test).

Starts N ringdownd nodes on 127.0.0.11.. (node 1 the seed) at a 100 ms
probe interval, then R rounds of: SIGKILL a random non-seed node, wait
until every other node logs it `failed`, take the time from the kill to
the last of those log lines (their timestamps, ms), restart the node and
wait until every other node logs it joined again. Reports p50/p99/max.

  python3 tests/bench/cluster_detect.py --ringdownd build/apps/ringdownd/ringdownd
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import cluster_common as cc  # noqa: E402


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringdownd", required=True)
    ap.add_argument("--nodes", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--port", type=int, default=15400, help="first port to use")
    ap.add_argument("--probe-interval-ms", type=int, default=100)
    ap.add_argument("--probe-timeout-ms", type=int, default=50)
    ap.add_argument("--suspicion-min-mult", type=int, default=None)
    ap.add_argument("--suspicion-max-mult", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not 3 <= args.nodes <= 9:
        ap.error("--nodes must be 3..9 (hosts 127.0.0.11..19)")
    rnd = random.Random(args.seed)

    nodes = []
    times_ms = []
    firsts = []
    with tempfile.TemporaryDirectory(prefix="ringdown-cluster-bench-") as tmp:
        try:
            for i in range(1, args.nodes + 1):
                seeds = [] if i == 1 else [nodes[0].cluster_address]
                n = cc.ClusterNode(args.ringdownd, tmp, i, "127.0.0.1%d" % i, args.port + i,
                                   args.port + 50 + i, seeds,
                                   probe_interval_ms=args.probe_interval_ms,
                                   probe_timeout_ms=args.probe_timeout_ms,
                                   suspicion_min_mult=args.suspicion_min_mult,
                                   suspicion_max_mult=args.suspicion_max_mult)
                nodes.append(n)
                n.start().wait_ready()
            for n in nodes:
                for o in nodes:
                    if o is not n:
                        n.wait_event(o.id, "joined", 20.0)
            for r in range(args.rounds):
                victim = rnd.choice(nodes[1:])
                others = [n for n in nodes if n is not victim]
                killed_at = time.time()
                victim.kill()
                stamps = [n.wait_event(victim.id, "failed", 30.0, after=killed_at - 0.01)
                          for n in others]
                ms = (max(stamps) - killed_at) * 1000.0
                times_ms.append(ms)
                suspected = [n.event_time(victim.id, "suspected", killed_at - 0.01)
                             for n in others]
                suspected = [t for t in suspected if t is not None]
                first_suspect_ms = (min(suspected) - killed_at) * 1000.0 if suspected else -1
                first_ms = (min(stamps) - killed_at) * 1000.0
                firsts.append(first_suspect_ms)
                print("round %2d: %s first suspected at %4.0f ms, first failed at %4.0f ms, "
                      "failed at all %d by %4.0f ms" % (r + 1, victim.id, first_suspect_ms,
                                                         first_ms, len(others), ms), flush=True)
                back_at = time.time()
                victim.start().wait_ready()
                for n in others:
                    n.wait_event(victim.id, "joined", 30.0, after=back_at - 0.01)
        finally:
            for n in nodes:
                n.stop()
    print("nodes=%d rounds=%d probe_interval_ms=%d probe_timeout_ms=%d "
          "suspicion_min_mult=%s suspicion_max_mult=%s"
          % (args.nodes, len(times_ms), args.probe_interval_ms, args.probe_timeout_ms,
             "default" if args.suspicion_min_mult is None else args.suspicion_min_mult,
             "default" if args.suspicion_max_mult is None else args.suspicion_max_mult))
    print("time to all-detected: p50=%.0f ms p99=%.0f ms max=%.0f ms mean=%.0f ms" %
          (percentile(times_ms, 50), percentile(times_ms, 99), max(times_ms),
           statistics.mean(times_ms)))
    print("time to first suspicion: p50=%.0f ms p99=%.0f ms" %
          (percentile(firsts, 50), percentile(firsts, 99)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
