"""(c) Malformed messages over UDP: answerable requests get 400/413, the
rest get silence; afterwards a valid OPTIONS still gets 200 and ringdownd
is still alive."""

import os

from sip_common import (HOST, Node, check, listen_args, parse_args, request, status_of,
                        udp_recv, udp_socket, workdir)

SILENCE_S = 1.0  # bounded wait that must pass without any datagram

args = parse_args()
port = args.port
with workdir() as tmp:
    config = os.path.join(tmp, "ringdownd.toml")
    with open(config, "w") as f:
        f.write("[limits]\nmessage_bytes_max = 4096\n")
    node_args = ["--config", config] + listen_args(["udp:%s:%d" % (HOST, port)], tmp)
    with Node(args.ringdownd, node_args, tmp, port) as node:
        sock = udp_socket()
        lp = sock.getsockname()[1]
        good = request("OPTIONS", port, lp)

        def exchange(name, text, expected):
            sock.sendto(text.encode() if isinstance(text, str) else text, (HOST, port))
            reply = udp_recv(sock, SILENCE_S if expected is None else 5.0)
            if expected is None:
                check(reply is None, "%s: no answer (got %r)" % (name, (reply or "")[:60]))
            else:
                check(status_of(reply) == expected,
                      "%s: answered %d (got %r)" % (name, expected, (reply or "")[:60]))

        exchange("garbage", b"\x00\x01\x02 not SIP at all\r\n\r\n", None)
        exchange("broken Via", good.replace("Via: SIP/2.0/UDP %s:%d" % (HOST, lp),
                                            "Via: SIP/2.0/UDP"), None)
        # The parser still finds Via, From, To and CSeq: answerable, 400.
        exchange("missing Call-ID",
                 "\r\n".join(l for l in good.split("\r\n") if not l.startswith("Call-ID")),
                 400)
        exchange("missing Via",
                 "\r\n".join(l for l in good.split("\r\n") if not l.startswith("Via")), None)
        exchange("bad Content-Length",
                 good.replace("Content-Length: 0", "Content-Length: 40"), 400)
        exchange("non-numeric Content-Length",
                 good.replace("Content-Length: 0", "Content-Length: abc"), 400)
        exchange("over message_bytes_max",
                 request("OPTIONS", port, lp, extra="X-Padding: %s\r\n" % ("a" * 6000)), 413)
        exchange("malformed response",
                 "SIP/2.0 9x9 Broken\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKr\r\n\r\n"
                 % (HOST, lp), None)
        exchange("stray response",
                 "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKs\r\n"
                 "From: <sip:a@%s>;tag=1\r\nTo: <sip:b@%s>;tag=2\r\nCall-ID: stray@t\r\n"
                 "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % (HOST, lp, HOST, HOST), None)
        exchange("valid OPTIONS afterwards", request("OPTIONS", port, lp), 200)
        check(node.alive(), "ringdownd still running")
