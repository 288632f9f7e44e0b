"""(d) INVITE to a user ringdownd does not know gets 404 (RFC 3261 §21.4.4)
over UDP and TCP with SIPp, the ACK is absorbed, and a retransmitted INVITE
is answered by the server transaction with the same response (same To-tag)
instead of a new one."""

import os
import re
import subprocess

from sip_common import (HOST, Node, check, listen_args, parse_args, request, status_of,
                        udp_recv, udp_socket, workdir)

args = parse_args()
port = args.port
with workdir() as tmp:
    specs = ["udp:%s:%d" % (HOST, port), "tcp:%s:%d" % (HOST, port)]
    with Node(args.ringdownd, listen_args(specs, tmp), tmp, port) as node:
        for transport, client_port in (("u1", port + 1), ("t1", port + 2)):
            cmd = ["sipp", "%s:%d" % (HOST, port), "-sf",
                   os.path.join(args.scenarios, "invite.xml"), "-m", "2", "-t", transport,
                   "-i", HOST, "-p", str(client_port), "-nostdin", "-timeout", "10s",
                   "-timeout_error", "-trace_err", "-error_file",
                   os.path.join(tmp, "sipp_%s_errors.log" % transport)]
            result = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, timeout=60)
            if result.returncode != 0:
                print(result.stdout.decode(errors="replace")[-3000:])
            check(result.returncode == 0,
                  "sipp INVITE over %s gets 404 and ACKs (exit %d)" % (transport,
                                                                      result.returncode))

        sock = udp_socket()
        lp = sock.getsockname()[1]
        invite = request("INVITE", port, lp, branch="z9hG4bK-retrans-1", call_id="retrans@t")
        sock.sendto(invite.encode(), (HOST, port))
        first = udp_recv(sock, 5.0)
        check(status_of(first) == 404, "INVITE answered 404")
        sock.sendto(invite.encode(), (HOST, port))
        second = udp_recv(sock, 5.0)
        check(status_of(second) == 404, "retransmitted INVITE answered 404 again")
        tag = lambda t: re.search(r"\r\nTo:[^\r]*;tag=([^;>\r]+)", t).group(1)
        check(tag(first) == tag(second), "retransmission answered by the same transaction")
        ack = request("ACK", port, lp, branch="z9hG4bK-retrans-1", call_id="retrans@t",
                      to_tag=tag(first))
        sock.sendto(ack.encode(), (HOST, port))
        check(udp_recv(sock, 1.0) is None, "ACK absorbed without an answer")
        check(node.alive(), "ringdownd still running")
