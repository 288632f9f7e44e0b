"""(e) SIGTERM: ringdownd closes its connections, logs a clean stop and
exits 0 within a bound."""

import os
import socket
import subprocess

from sip_common import HOST, Node, check, listen_args, parse_args, workdir

args = parse_args()
port = args.port
with workdir() as tmp:
    specs = ["udp:%s:%d" % (HOST, port), "tcp:%s:%d" % (HOST, port)]
    with Node(args.ringdownd, listen_args(specs, tmp, "info"), tmp, port) as node:
        # A second node on the same address fails clearly, exit code 1 (its
        # own data directory: the first node holds the store's lock).
        clash_dir = os.path.join(tmp, "clash")
        os.makedirs(clash_dir)
        clash = subprocess.run([args.ringdownd] + listen_args(specs, clash_dir, "info"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        out = clash.stdout.decode(errors="replace")
        check(clash.returncode == 1, "second node on the same port exits 1 (got %d)"
              % clash.returncode)
        check("cannot listen on udp:%s:%d" % (HOST, port) in out, "bind error names the address")
        conn = socket.create_connection((HOST, port), timeout=5)
        code = node.terminate(10.0)
        check(code == 0, "exit code 0 within 10 s after SIGTERM (got %r)" % code)
        conn.settimeout(5)
        try:
            closed = conn.recv(100) == b""
        except ConnectionResetError:
            closed = True
        check(closed, "open TCP connection closed by the node")
        log = node.log_text()
        check("stopped" in log, "log says stopped")
        check("transport counters:" in log, "log has the transport counters")
        check("ringdownd ready" in log and "listening on tcp:127.0.0.1:%d" % port in log,
              "log has start-up and listeners")

# The store's lock: a second node on the same data directory (other port)
# refuses to start and says why, instead of corrupting the first one's data.
with workdir() as tmp:
    specs = ["udp:%s:%d" % (HOST, port + 2)]
    with Node(args.ringdownd, listen_args(specs, tmp, "info"), tmp, port + 2) as node:
        twin = subprocess.run([args.ringdownd] + listen_args(["udp:%s:%d" % (HOST, port + 3)],
                                                             tmp, "info"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        out = twin.stdout.decode(errors="replace")
        check(twin.returncode == 1, "second node on the same data dir exits 1 (got %d)"
              % twin.returncode)
        check("cannot open the store" in out, "store lock error is named")
        check(node.alive(), "the first node keeps running")
