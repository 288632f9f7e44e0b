"""Transport limits over TCP: connections beyond transport.connections_max
are refused (closed at once), idle connections are closed after
transport.connection_idle_s, and a new connection works again afterwards."""

import os
import socket
import time

from sip_common import (HOST, Node, check, listen_args, parse_args, read_message, request,
                        status_of, workdir)


def options_over(conn):
    conn.sendall(request("OPTIONS", port, conn.getsockname()[1], transport="TCP").encode())
    return status_of(read_message(lambda: conn.recv(4096)))


def closed_within(conn, deadline_s):
    """True when the peer closes `conn` within deadline_s."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        conn.settimeout(max(0.05, end - time.monotonic()))
        try:
            if conn.recv(4096) == b"":
                return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
    return False


args = parse_args()
port = args.port
with workdir() as tmp:
    config = os.path.join(tmp, "ringdownd.toml")
    with open(config, "w") as f:
        f.write("[transport]\nconnections_max = 2\nconnection_idle_s = 2\n")
    specs = ["udp:%s:%d" % (HOST, port), "tcp:%s:%d" % (HOST, port)]
    with Node(args.ringdownd, ["--config", config] + listen_args(specs, tmp), tmp, port) as node:
        first = socket.create_connection((HOST, port), timeout=5)
        second = socket.create_connection((HOST, port), timeout=5)
        check(options_over(first) == 200, "first connection answered")
        check(options_over(second) == 200, "second connection answered")
        third = socket.create_connection((HOST, port), timeout=5)
        check(closed_within(third, 5.0), "third connection refused (connections_max 2)")
        third.close()
        check(closed_within(first, 10.0), "idle connection closed (connection_idle_s 2)")
        check(closed_within(second, 10.0), "second idle connection closed")
        first.close()
        second.close()
        with socket.create_connection((HOST, port), timeout=5) as again:
            check(options_over(again) == 200, "a new connection is accepted again")
        check("connections_max 2 reached" in node.log_text(), "refusal logged")
        check(node.alive(), "ringdownd still running")
