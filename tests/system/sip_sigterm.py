"""(e) SIGTERM: ringdownd closes its connections, logs a clean stop and
exits 0 within a bound."""

import socket
import subprocess

from sip_common import HOST, Node, check, listen_args, parse_args, workdir

args = parse_args()
port = args.port
with workdir() as tmp:
    specs = ["udp:%s:%d" % (HOST, port), "tcp:%s:%d" % (HOST, port)]
    with Node(args.ringdownd, listen_args(specs, tmp, "info"), tmp, port) as node:
        # A second node on the same address fails clearly, exit code 1.
        clash = subprocess.run([args.ringdownd] + listen_args(specs, tmp, "info"),
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
