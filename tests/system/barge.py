"""Barge with media (issues 3 and 4): a call to a shared line runs through
the node's media bridge; another device of the line barges in with an
INVITE carrying Join (RFC 3911) naming the call. The line allows it, the
call's bridge answers the barger (its own address and port), both parties
are told by INFO, and the barger's audio is mixed into what both parties
hear. The barger leaves by BYE and the call goes on; when the caller hangs
up, the device that answered gets BYE."""

import math
import os
import re
import select
import socket
import struct
import time

import device as dev
from device import Device, header, in_dialog_as_caller, invite_from
from sip_common import HOST, Node, check, fail, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
LINE = "sip:desk@%s" % REALM
MEDIA = range(port + 40, port + 50)


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        f.write('[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n'
                'barge_allowed = true\n' % LINE)
        # The caller does not hold the line: a holder's INVITE to its own
        # line seizes it to dial out (line seizure), it does not ring.
        for d in ("caller", "d1", "d3"):
            lines = "" if d == "caller" else 'lines = ["%s"]\n' % LINE
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\n%s' % (d, d, REALM, d, lines))
    return ["--config", node_config(tmp, port, media=True), "--provisioning", prov]


def rtp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    return s


def sdp_for(s):
    return ("v=0\r\no=d 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % s.getsockname()[1])


def ulaw(sample):
    """G.711 µ-law of one 16-bit sample."""
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), 32635) + 0x84
    exponent = 7
    while exponent > 0 and not sample & (0x4000 >> (7 - exponent)):
        exponent -= 1
    return ~(sign | exponent << 4 | (sample >> (exponent + 3)) & 0x0F) & 0xFF


def ulaw_decode(byte):
    byte = ~byte & 0xFF
    t = ((byte & 0x0F) << 3) + 0x84
    t <<= (byte & 0x70) >> 4
    return (0x84 - t) if byte & 0x80 else (t - 0x84)


def loud(packets):
    """Mean absolute amplitude of the PCMU payloads."""
    samples = [ulaw_decode(b) for p in packets for b in p[12:]]
    return sum(abs(s) for s in samples) / max(1, len(samples))


def serve(devices, until, what, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    got = []
    while time.monotonic() < end:
        if until(got):
            return got
        ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
        for d in devices:
            if d.sock in ready:
                text = d.sock.recvfrom(65535)[0].decode(errors="replace")
                if text.startswith("INFO "):
                    d.events.append("info")
                    d.sock.sendto(dev.response(text, 200, "OK").encode(), (HOST, port))
                    continue
                s = d.handle(text)
                if s is not None:
                    got.append((d.user, s, d.last_response))
    fail("not within %.0f s: %s" % (deadline_s, what))


with workdir() as tmp:
    node_args = write_files(tmp)
    with Node(args.ringdownd, node_args, tmp, port) as node:
        caller, d1, d3 = (Device(n, REALM, port) for n in ("caller", "d1", "d3"))
        for d in (caller, d1, d3):
            ok = d.register_with_auth()
            check(ok is not None and ok.startswith("SIP/2.0 200"), "%s registered" % d.user)
        media = {d.user: rtp_socket() for d in (caller, d1, d3)}
        devices = [caller, d1, d3]

        # The caller calls the line; d1 answers (d3 is told to stay quiet).
        d1.answer = True
        d3.busy = True
        dev.SDP = sdp_for(media["caller"])
        caller.sock.sendto(invite_from(caller, LINE, "barge-call@test", "c1").encode(),
                           (HOST, port))
        dev.SDP = sdp_for(media["d1"])
        got = serve(devices, lambda g: any(u == "caller" and s == 200 for u, s, _ in g),
                    "the caller's 200")
        ok = [r for u, s, r in got if u == "caller" and s == 200][0]
        caller.sock.sendto(in_dialog_as_caller(caller, ok, "ACK", 1).encode(), (HOST, port))
        bridge_port = int(re.search(r"m=audio (\d+)", ok).group(1))
        check(bridge_port in MEDIA, "the caller talks to the node's bridge (port %d)" % bridge_port)
        check("answered" in d1.events, "d1 answered the line")

        # d3 barges in: INVITE to the line with Join naming the call by its
        # Call-ID and both tags (the caller's, c1, and the node's).
        barge_sdp = sdp_for(media["d3"])
        node_tag = re.search(r"(?mi)^To:.*;tag=([^;\s]+)", ok).group(1)

        def barge_invite(call_id, to_tag):
            return ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-barge-%d;"
                    "rport\r\nMax-Forwards: 70\r\nFrom: <sip:d3@%s>;tag=b3\r\nTo: <%s>\r\n"
                    "Call-ID: %s\r\nCSeq: 1 INVITE\r\nContact: <sip:d3@%s:%d>\r\n"
                    "Join: barge-call@test;to-tag=%s;from-tag=c1\r\n"
                    "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s") % (
                LINE, HOST, d3.port, time.monotonic_ns(), REALM, LINE, call_id, HOST,
                d3.port, to_tag, len(barge_sdp), barge_sdp)

        # A Join with the right Call-ID but another dialog's tag names no
        # call (RFC 3891 §3).
        stale = barge_invite("stale-barger@test", "x")
        d3.sock.sendto(stale.encode(), (HOST, port))
        got = serve(devices, lambda g: any(u == "d3" and s >= 200 for u, s, _ in g),
                    "the barge naming other tags answered")
        status, refusal = [(s, r) for u, s, r in got if u == "d3" and s >= 200][0]
        check(status == 481, "a Join naming the call with a wrong to-tag gets 481 (got %d)"
              % status)
        # The non-2xx is acknowledged in its transaction (RFC 3261 §17.1.1.3).
        via = re.search(r"(?m)^Via: .*$", stale).group(0)
        ack = ("ACK %s SIP/2.0\r\n%s\r\nMax-Forwards: 70\r\nFrom: <sip:d3@%s>;tag=b3\r\n"
               "%s\r\nCall-ID: stale-barger@test\r\nCSeq: 1 ACK\r\n"
               "Content-Length: 0\r\n\r\n") % (
            LINE, via, REALM, re.search(r"(?mi)^To: .*$", refusal).group(0))
        d3.sock.sendto(ack.encode(), (HOST, port))
        d3.sock.sendto(barge_invite("barger@test", node_tag).encode(), (HOST, port))
        got = serve(devices, lambda g: any(u == "d3" and s >= 200 for u, s, _ in g),
                    "the barge answered")
        status, barged = [(s, r) for u, s, r in got if u == "d3" and s >= 200][0]
        check(status == 200, "the barge on a shared line is answered 200 (got %d)" % status)
        d3_port = int(re.search(r"m=audio (\d+)", barged).group(1))
        check(d3_port in MEDIA and d3_port != bridge_port,
              "the barger talks to the call's bridge on a port of its own (%d)" % d3_port)
        d3.sock.sendto(in_dialog_as_caller(d3, barged, "ACK", 1).encode(), (HOST, port))
        serve(devices, lambda g: "info" in caller.events and "info" in d1.events,
              "INFO to both parties")
        check(True, "the caller and d1 are told of the barge by INFO")

        # The barger speaks: both parties hear it through the bridge.
        for s in media.values():
            s.setblocking(False)
        heard = {"caller": [], "d1": []}
        next_t = time.monotonic()
        for n in range(40):
            payload = bytes(ulaw(int(8000 * math.sin(2 * math.pi * 700 * (n * 160 + i) / 8000)))
                            for i in range(160))
            media["d3"].sendto(struct.pack("!BBHII", 0x80, 0, n, n * 160, 0xD3) + payload,
                               (HOST, d3_port))
            next_t += 0.02
            while time.monotonic() < next_t:
                ready, _, _ = select.select([media["caller"], media["d1"]], [], [],
                                            max(0, next_t - time.monotonic()))
                for user in ("caller", "d1"):
                    if media[user] in ready:
                        heard[user].append(media[user].recv(2048))
        for user in ("caller", "d1"):
            check(len(heard[user]) >= 20, "%s receives RTP from the bridge (%d packets)"
                  % (user, len(heard[user])))
            check(loud(heard[user][-15:]) > 1000, "%s hears the barger (mean amplitude %.0f)"
                  % (user, loud(heard[user][-15:])))

        # The barger leaves; the call goes on until the caller hangs up.
        bye = in_dialog_as_caller(d3, barged, "BYE", 2)
        d3.sock.sendto(bye.encode(), (HOST, port))
        got = serve(devices, lambda g: any(u == "d3" for u, _, _ in g), "the barger's BYE")
        check([s for u, s, _ in got if u == "d3"][0] == 200, "the barger leaves with BYE/200")
        check("bye" not in d1.events, "d1 is still in the call after the barger left")
        caller.sock.sendto(in_dialog_as_caller(caller, ok, "BYE", 2).encode(), (HOST, port))
        serve(devices, lambda g: "bye" in d1.events, "d1 gets the BYE")
        check(True, "the caller hangs up and d1 gets BYE")
        check(node.terminate() == 0, "node stops cleanly")
