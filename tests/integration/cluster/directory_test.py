"""The cluster directory across real processes on loopback.

directory_node processes (the real cluster_directory, node managers
published through the CAF middleman on 127.0.0.1) are driven over their
stdin. Checked:
  - two nodes, then three: every key's actor is spawned once cluster-wide,
    on the node placement names, whichever node asks;
  - a node killed with SIGKILL and marked dead: its keys are served by the
    survivors, the others' actors stay where they were;
  - a fourth node joins: only the keys it now wins move (their idle actors
    hand over and quit), about a quarter of them;
  - a message sent through a handle taken before the key moved reaches
    the new owner (the old actor forwards it);
  - views that disagree: a node that does not know the fourth yet asks the
    node it thinks owns a key, is told the real owner and its address, and
    gets the actor there (re-routed, not lost);
  - mutual TLS (caf-openssl): two nodes with certificates of one CA work
    together; a node whose certificate another CA signed gets nothing."""

import argparse
import os
import subprocess
import sys
import tempfile

KEYS = ["k%03d" % i for i in range(120)]


class Node:
    def __init__(self, binary, node_id, members, tls_dir=None):
        args = [binary, "--self", node_id]
        if tls_dir:
            args += ["--tls", tls_dir]
        for mid, addr in members:
            args += ["--member", "%s=%s" % (mid, addr)]
        self.id = node_id
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        line = self.proc.stdout.readline().strip()
        if line != "ready %s" % node_id:
            raise AssertionError("%s did not start: %r %s" % (node_id, line,
                                                               self.proc.stderr.read()))

    def cmd(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        if not line:
            raise AssertionError("%s gave no answer to %r" % (self.id, text))
        return line

    def ask(self, key):
        parts = self.cmd("ask " + key).split()
        assert parts[0] == "answer" and parts[1] == key, parts
        return parts[2]

    def owner(self, key):
        return self.cmd("owner " + key).split()[2]

    def member(self, mid, state, addr=""):
        assert self.cmd("member %s %s %s" % (mid, state, addr)) == "ok"

    def counters(self):
        parts = self.cmd("counters").split()[1:]
        return {k: int(v) for k, v in (p.split("=") for p in parts)}

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=10)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def answers(nodes):
    """key -> the instance every node got; all nodes must agree."""
    out = {}
    for key in KEYS:
        got = {n.id: n.ask(key) for n in nodes}
        values = set(got.values())
        check(len(values) == 1 and "none" not in values,
              "%s: nodes disagree or fail: %s" % (key, got))
        out[key] = values.pop()
    return out


def placed_on_owner(nodes, result):
    for key, inst in result.items():
        owners = {n.owner(key) for n in nodes}
        check(len(owners) == 1, "%s: owners differ %s" % (key, owners))
        owner = owners.pop()
        check(inst.split("#")[0] == owner,
              "%s: actor on %s but placement says %s" % (key, inst, owner))


def run(binary, port):
    addr = {("node-%d" % i): "127.0.0.1:%d" % (port + i) for i in range(1, 5)}
    three = [(m, addr[m]) for m in ("node-1", "node-2", "node-3")]
    nodes = {}
    try:
        # Two nodes that know only each other.
        two = three[:2]
        for m, _ in two:
            nodes[m] = Node(binary, m, two)
        r2 = answers(list(nodes.values()))
        placed_on_owner(list(nodes.values()), r2)
        check({v.split("#")[0] for v in r2.values()} == {"node-1", "node-2"},
              "two nodes: keys not spread: %s" % sorted(set(r2.values()))[:5])
        serials = {v for v in r2.values()}
        check(len(serials) == len(KEYS), "two nodes: an actor answered for two keys")
        print("two nodes: %d keys, one actor each" % len(KEYS), flush=True)
        for n in nodes.values():
            n.stop()
        nodes.clear()

        # Three nodes.
        for m, _ in three:
            nodes[m] = Node(binary, m, three)
        live = list(nodes.values())
        r3 = answers(live)
        placed_on_owner(live, r3)
        on3 = [k for k, v in r3.items() if v.startswith("node-3#")]
        check(20 <= len(on3) <= 60, "three nodes: node-3 owns %d of %d keys" % (len(on3), len(KEYS)))
        print("three nodes: node-3 owns %d keys" % len(on3), flush=True)

        # node-3 dies: its keys go to the survivors, nothing else moves.
        nodes["node-3"].kill()
        survivors = [nodes["node-1"], nodes["node-2"]]
        for n in survivors:
            n.member("node-3", "dead")
        r_dead = answers(survivors)
        placed_on_owner(survivors, r_dead)
        for key in KEYS:
            if key in on3:
                check(not r_dead[key].startswith("node-3"), "%s still on node-3" % key)
            else:
                check(r_dead[key] == r3[key], "%s moved without cause: %s -> %s" %
                      (key, r3[key], r_dead[key]))
        print("node-3 killed: its %d keys re-placed, the rest stayed" % len(on3), flush=True)

        # node-4 joins (knows 1, 2, 4); node-2 learns of it, node-1 not yet.
        four_view = [three[0], three[1], ("node-4", addr["node-4"])]
        nodes["node-4"] = Node(binary, "node-4", four_view)
        # node-1 holds a handle to node-2's actor for a key node-4 will win.
        held = next(k for k in KEYS if nodes["node-4"].owner(k) == "node-4" and
                    nodes["node-1"].owner(k) == "node-2")
        before_move = nodes["node-1"].cmd("hold " + held).split()[2]
        check(before_move.startswith("node-2#"), "held %s on %s" % (held, before_move))
        nodes["node-2"].member("node-4", "alive", addr["node-4"])
        # Its key moved: a message through the old handle is forwarded to
        # the new owner, not lost.
        after_move = nodes["node-1"].cmd("ask-held " + held).split()[2]
        check(after_move.startswith("node-4#"),
              "a message to %s's old actor answered by %s" % (held, after_move))
        print("moved key: a message via the old handle reached node-4 (%s)" % after_move,
              flush=True)
        # Views disagree: node-1 asks node-2 for what node-2 knows is node-4's.
        moved = [k for k in KEYS if nodes["node-2"].owner(k) == "node-4"]
        check(len(moved) > 0, "node-4 owns nothing")
        before = nodes["node-1"].counters()["rerouted"]
        # A key nobody looked up yet (node-1 holds no cached handle for it).
        fresh = ["r%03d" % i for i in range(200)]
        k = next(k for k in fresh if nodes["node-2"].owner(k) == "node-4" and
                 nodes["node-1"].owner(k) == "node-2")
        got = nodes["node-1"].ask(k)
        check(got.startswith("node-4#"), "%s asked via node-2 answered by %s" % (k, got))
        check(nodes["node-1"].counters()["rerouted"] == before + 1, "no re-route counted")
        print("stale view: %s re-routed from node-2 to node-4" % k, flush=True)

        # node-1 learns too: only node-4's keys move, about a third of them.
        nodes["node-1"].member("node-4", "alive", addr["node-4"])
        trio = [nodes["node-1"], nodes["node-2"], nodes["node-4"]]
        r4 = answers(trio)
        placed_on_owner(trio, r4)
        changed = [k for k in KEYS if r4[k] != r_dead[k]]
        for key in changed:
            check(r4[key].startswith("node-4#"), "%s moved to %s, not node-4" % (key, r4[key]))
        check(sorted(changed) == sorted(moved), "moved keys differ from node-4's")
        share = len(changed) / len(KEYS)
        check(0.18 <= share <= 0.50, "node-4 joined: %.0f%% of keys moved" % (100 * share))
        handovers = sum(n.counters()["handovers"] for n in trio)
        check(handovers >= len(changed), "only %d hand-overs for %d moved keys" %
              (handovers, len(changed)))
        print("node-4 joined: %d of %d keys (%.0f%%) moved to it, %d hand-overs" %
              (len(changed), len(KEYS), 100 * share, handovers), flush=True)
    finally:
        for n in nodes.values():
            n.stop()


def make_certs(tmp):
    """A CA signing node-1 and node-2, another CA signing node-3."""
    def run(*argv):
        subprocess.run(argv, cwd=tmp, check=True, capture_output=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca in ("ca", "other-ca"):
        run("openssl", "req", "-x509", *ec, "-keyout", ca + ".key", "-out", ca + ".crt",
            "-days", "2", "-subj", "/CN=ringdown test " + ca)
    for node, ca in (("node-1", "ca"), ("node-2", "ca"), ("node-3", "other-ca")):
        run("openssl", "req", *ec, "-keyout", node + ".key", "-out", node + ".csr", "-subj",
            "/CN=" + node)
        run("openssl", "x509", "-req", "-in", node + ".csr", "-CA", ca + ".crt", "-CAkey",
            ca + ".key", "-CAcreateserial", "-out", node + ".crt", "-days", "2")
    # node-3 trusts its own CA only; the others trust ca.crt.
    good = os.path.join(tmp, "good")
    bad = os.path.join(tmp, "bad")
    os.makedirs(good)
    os.makedirs(bad)
    for node in ("node-1", "node-2"):
        for ext in (".crt", ".key"):
            os.link(os.path.join(tmp, node + ext), os.path.join(good, node + ext))
    os.link(os.path.join(tmp, "ca.crt"), os.path.join(good, "ca.crt"))
    for ext in (".crt", ".key"):
        os.link(os.path.join(tmp, "node-3" + ext), os.path.join(bad, "node-3" + ext))
    os.link(os.path.join(tmp, "other-ca.crt"), os.path.join(bad, "ca.crt"))
    return good, bad


def run_tls(binary, port):
    """Node managers on their own addresses (one TLS peer per address)."""
    members = [("node-%d" % i, "127.0.0.2%d:%d" % (i, port + 10 + i)) for i in (1, 2, 3)]
    nodes = {}
    with tempfile.TemporaryDirectory(prefix="ringdown-dir-tls-") as tmp:
        good, bad = make_certs(tmp)
        try:
            nodes["node-1"] = Node(binary, "node-1", members, good)
            nodes["node-2"] = Node(binary, "node-2", members, good)
            nodes["node-3"] = Node(binary, "node-3", members, bad)
            n1 = nodes["node-1"]
            on2 = [k for k in KEYS if n1.owner(k) == "node-2"][:10]
            on3 = [k for k in KEYS if n1.owner(k) == "node-3"][:5]
            for key in on2:
                got = n1.ask(key)
                check(got.startswith("node-2#"), "TLS: %s from node-2 gave %s" % (key, got))
            print("mutual TLS: node-1 reaches node-2's actors (%d keys)" % len(on2), flush=True)
            for key in on3:
                got = n1.ask(key)
                check(got == "none", "TLS: node-3 of another CA answered %s: %s" % (key, got))
            check(n1.counters()["failures"] >= len(on3), "refused TLS peers counted")
            print("mutual TLS: node-3 (another CA) refused for %d keys" % len(on3), flush=True)
        finally:
            for n in nodes.values():
                n.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--node", required=True)
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    try:
        run(args.node, args.port)
        run_tls(args.node, args.port)
    except AssertionError as e:
        print("FAIL: %s" % e, flush=True)
        return 1
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
