"""System test of ringdownctl: the real CLI against admin_stub processes
(the real admin server with canned cluster status). Two stubs stand for
node-1 and node-2; the status lists node-2 with the second stub's admin
address, so a drain of node-2 asked of node-1 must reach the second stub.
Every process is stopped by its PID."""

import argparse
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading

from sip_common import HOST, check, fail


class Stub:
    """An admin_stub process; its stdout lines are collected by a thread."""

    def __init__(self, path, self_id, members_file):
        self.proc = subprocess.Popen([path, "--self", self_id, "--members", members_file],
                                     stdout=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        line = self.next_line(10)
        if not line or not line.startswith("port "):
            fail("admin_stub %s did not say its port (%r)" % (self_id, line))
        self.port = int(line.split()[1])
        self.address = "%s:%d" % (HOST, self.port)

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def next_line(self, wait_s):
        try:
            return self.lines.get(timeout=wait_s)
        except queue.Empty:
            return None

    def drains(self):
        n = 0
        while True:
            try:
                if self.lines.get_nowait() == "drain":
                    n += 1
            except queue.Empty:
                return n

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


def write_members(path, rows, keys):
    with open(path + ".tmp", "w") as f:
        for r in rows:
            f.write("member " + " ".join(r) + "\n")
        for k, n in keys:
            f.write("keys %s %d\n" % (k, n))
    os.replace(path + ".tmp", path)


def run(ctl, *args, timeout=30):
    p = subprocess.run([ctl] + list(args), capture_output=True, text=True, timeout=timeout)
    print("$ ringdownctl %s -> %d\n%s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr),
          flush=True)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringdownctl", required=True)
    ap.add_argument("--stub", required=True)
    ap.add_argument("--port", type=int, required=True, help="first port this test may use")
    args = ap.parse_args()
    ctl = args.ringdownctl

    tmp = tempfile.mkdtemp(prefix="ringdown-ctl-")
    file1 = os.path.join(tmp, "node-1.members")
    file2 = os.path.join(tmp, "node-2.members")
    write_members(file1, [], [])
    write_members(file2, [], [])
    # Held bound but not listening: connecting to it is refused.
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind((HOST, args.port))
    unreachable = "%s:%d" % (HOST, args.port)

    stubs = []
    try:
        n1 = Stub(args.stub, "node-1", file1)
        stubs.append(n1)
        n2 = Stub(args.stub, "node-2", file2)
        stubs.append(n2)

        def members(node2_state="alive"):
            return [
                ["node-1", "london", "alive", "3", "127.0.0.11:5060", "127.0.0.11:7946",
                 n1.address, "127.0.0.11"],
                ["node-2", "london", node2_state, "5", "127.0.0.12:5060",
                 "127.0.0.12:7946", n2.address, "-"],
                # node-3's admin address is node-1's stub: its drain is
                # accepted there, and it never leaves.
                ["node-3", "new-york", "suspect", "1", "127.0.0.13:5060",
                 "127.0.0.13:7946", n1.address, "-"],
            ]
        write_members(file1, members(), [("line", 3), ("dialog", 0)])
        write_members(file2, members(), [("line", 1)])

        p = run(ctl, "--help")
        check(p.returncode == 0 and "cluster" in p.stdout and "node" in p.stdout,
              "--help lists the commands")

        p = run(ctl, "--node", n1.address, "cluster", "status")
        check(p.returncode == 0, "cluster status succeeds")
        out = p.stdout
        check("answered by node-1 (%s)" % n1.address in out, "the table names who answered")
        for needle in ["node-2", "node-3", "suspect", "new-york", "127.0.0.12:5060",
                       "127.0.0.12:7946", n2.address, "INCARNATION"]:
            check(needle in out, "the table shows %s" % needle)
        check("owned keys on node-1: line 3, dialog 0" in out, "the table shows owned keys")

        p = run(ctl, "cluster", "status", "--json", "--node", n2.address)
        check(p.returncode == 0, "cluster status --json succeeds (--node after the command)")
        doc = json.loads(p.stdout)
        check(doc["node"] == "node-2", "the JSON is node-2's")
        check([m["id"] for m in doc["members"]] == ["node-1", "node-2", "node-3"],
              "the JSON lists the members")
        check(doc["owned_keys"] == {"line": 1}, "the JSON has the owned keys")

        # A drain of node-2 asked of node-1 reaches node-2's stub only;
        # --wait returns once node-1 sees node-2 leave.
        waiter = subprocess.Popen([ctl, "--node", n1.address, "node", "drain", "node-2",
                                   "--wait", "20"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        check(n2.next_line(10) == "drain", "node-2's stub received the drain")
        write_members(file1, members("left"), [("line", 3)])
        out, err = waiter.communicate(timeout=30)
        print(out + err, flush=True)
        check(waiter.returncode == 0, "drain --wait ends once node-2 has left")
        check("node-2 (%s) answered 202: node-2 draining" % n2.address in out,
              "drain prints node-2's answer")
        check("node-2 has left, says node-1" in out, "drain --wait says node-2 left")
        check(n1.drains() == 0, "node-1's stub received no drain")

        p = run(ctl, "--node", n1.address, "node", "drain", "node-2")
        check(p.returncode != 0, "a second drain of node-2 fails")
        check("answered 409: node-2 is already draining" in p.stderr,
              "the 409's JSON error is printed")

        p = run(ctl, "--node", n1.address, "node", "drain", "node-3", "--wait", "1")
        check(p.returncode == 1, "drain --wait times out when the node never leaves")
        check("timed out waiting for node-3" in p.stderr, "the time-out is said")
        check(n1.drains() == 1, "node-3's drain went to its admin address")

        p = run(ctl, "--node", n1.address, "node", "drain", "node-9")
        check(p.returncode != 0, "drain of an unknown id fails")
        check(p.stderr.count("\n") == 1 and "no member node-9" in p.stderr,
              "one line says the id is unknown")

        p = run(ctl, "--node", unreachable, "--timeout", "2", "cluster", "status")
        check(p.returncode != 0, "an unreachable node fails")
        check(p.stderr.startswith("ringdownctl: cannot connect to " + unreachable),
              "one line says the node is unreachable")

        p = run(ctl, "--node", "localhost", "cluster", "status")
        check(p.returncode != 0 and "not an IP host:port" in p.stderr,
              "a malformed --node is refused")

    finally:
        for s in stubs:
            s.stop()
        closed.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
