"""One real softphone call (issue 3): two baresip instances register to
ringdownd with digest authentication, alice calls bob through the B2BUA,
bob answers, RTP flows both ways (each side reports the other's RTP
stream established, and each side's decoded audio holds the other's
tone), alice hangs up, and the call leaves an answered CDR.

With --media (issue 4) the node anchors the call's media: each phone's RTP
comes from the node's bridge ports, not from the other phone, the tones
still cross, and the node reports packets received and sent on both legs.
With --srtp as well, alice speaks SRTP (SDES, RTP/SAVP) and the node offers
bob plain RTP: the bridge joins an SRTP leg to an RTP leg."""

import json
import os
import re
import socket
import struct
import subprocess
import time

from sip_common import HOST, Node, check, fail, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
SIP = {"alice": port + 1, "bob": port + 5}
CTRL = {"alice": port + 11, "bob": port + 12}
RTP = {"alice": port + 20, "bob": port + 30}


def write_node(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        for user in SIP:
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'kind = "softphone"\npassword = "%s-pw"\n' % (user, user, REALM, user))
    return ["--config", node_config(tmp, port, media=args.media,
                                    srtp_offer="never" if args.srtp else "mirror"),
            "--provisioning", prov]


def write_phone(tmp, user):
    d = os.path.join(tmp, user)
    os.makedirs(d)
    with open(os.path.join(d, "config"), "w") as f:
        f.write("\n".join([
            "poll_method epoll",
            "sip_listen %s:%d" % (HOST, SIP[user]),
            "net_interface %s" % HOST,
            "audio_source ausine,440",
            "audio_player aubridge,nil",
            "audio_alert aubridge,nil",
            "ausrc_srate 48000", "auplay_srate 48000",
            "ausrc_channels 2", "auplay_channels 1",
            "rtp_ports %d-%d" % (RTP[user], RTP[user] + 9),
            "module_path /usr/lib/baresip/modules",
            "module g711.so", "module aubridge.so", "module ausine.so", "module srtp.so",
            "module account.so", "module menu.so", "module sndfile.so",
            "module ctrl_tcp.so",
            "ctrl_tcp_listen %s:%d" % (HOST, CTRL[user]),
            "snd_path %s" % d, ""]))
    with open(os.path.join(d, "accounts"), "w") as f:
        srtp = ";mediaenc=srtp-mand" if args.srtp and user == "alice" else ""
        f.write('<sip:%s@%s>;auth_pass=%s-pw;outbound="sip:%s:%d";regint=600;'
                'audio_codecs=PCMU%s\n' % (user, REALM, user, HOST, port, srtp))
    return d


def command(user, cmd, params=""):
    body = json.dumps({"command": cmd, "params": params, "token": cmd}).encode()
    with socket.create_connection((HOST, CTRL[user]), timeout=5) as s:
        s.sendall(b"%d:%s," % (len(body), body))
        s.settimeout(5)
        s.recv(4096)  # the command's response (netstring)


def wait_for(path, pattern, what, deadline_s=20.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with open(path, errors="replace") as f:
            m = re.search(pattern, f.read())
        if m:
            return m
        time.sleep(0.05)  # bounded poll of the phone's log
    with open(path, errors="replace") as f:
        print(f.read()[-3000:])
    fail("not seen within %.0f s: %s" % (deadline_s, what))


def decoded_seconds(phone_dir):
    """Seconds of audio in the decoded-audio dumps (WAV header rate)."""
    total = 0.0
    for n in os.listdir(phone_dir):
        if not n.endswith("-dec.wav"):
            continue
        with open(os.path.join(phone_dir, n), "rb") as f:
            head = f.read(44)
        if len(head) < 44:
            continue
        channels, rate = struct.unpack("<HI", head[22:28])
        size = os.path.getsize(os.path.join(phone_dir, n)) - 44
        total += size / float(rate * channels * 2) if rate and channels else 0.0
    return total


def tone_received(phone_dir):
    """True when a decoded-audio dump holds a non-silent sample."""
    for name in os.listdir(phone_dir):
        if not name.endswith("-dec.wav"):
            continue
        with open(os.path.join(phone_dir, name), "rb") as f:
            data = f.read()[44:]
        samples = struct.unpack("<%dh" % (len(data) // 2), data[:len(data) // 2 * 2])
        if any(abs(s) > 1000 for s in samples):
            return True
    return False


procs = []
with workdir() as tmp:
    node_args = write_node(tmp)
    try:
        with Node(args.ringdownd, node_args, tmp, port) as node:
            logs = {}
            for user in SIP:
                d = write_phone(tmp, user)
                logs[user] = os.path.join(tmp, user + ".log")
                out = open(logs[user], "wb")
                procs.append(subprocess.Popen(["baresip", "-f", d], stdout=out,
                                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            for user in SIP:
                wait_for(logs[user], r"%s@%s: \{0/UDP/v4\} 200 OK" % (user, REALM),
                         "%s registered" % user)
                check(True, "baresip %s registered to ringdownd (digest)" % user)

            command("alice", "dial", "sip:bob@%s" % REALM)
            wait_for(logs["bob"], r"Incoming call from", "bob rings")
            command("bob", "accept")
            wait_for(logs["alice"], r"Call established", "alice sees the call established")
            for user, other in (("alice", "bob"), ("bob", "alice")):
                m = wait_for(logs[user], r"incoming rtp for 'audio' established, receiving "
                             r"from 127\.0\.0\.1:(\d+)", "%s receives RTP" % user)
                source = int(m.group(1))
                if args.media:
                    check(port + 40 <= source < port + 50,
                          "%s receives RTP from the node's bridge (port %d)" % (user, source))
                else:
                    check(RTP[other] <= source < RTP[other] + 10,
                          "%s receives %s's RTP (from port %d)" % (user, other, source))

            # Let the media run until each side has decoded about a second of
            # the other's audio (the dumps grow as RTP is decoded).
            end = time.monotonic() + 15
            while time.monotonic() < end and not all(
                    decoded_seconds(os.path.join(tmp, u)) >= 1.0 for u in SIP):
                time.sleep(0.05)  # bounded poll of the dumps
            check(all(decoded_seconds(os.path.join(tmp, u)) >= 1.0 for u in SIP),
                  "both phones decoded a second of audio")
            command("alice", "hangup")
            wait_for(node.log_path, r"ended answered 200 sip:alice@%s -> sip:bob@%s"
                     % (REALM, REALM), "the B2BUA ends the call")
            for p in procs:  # stop the phones: their logs and dumps are flushed
                p.terminate()
                p.wait(10)
            check(tone_received(os.path.join(tmp, "alice")),
                  "alice's decoded audio holds bob's tone")
            check(tone_received(os.path.join(tmp, "bob")),
                  "bob's decoded audio holds alice's tone")

            check(node.terminate() == 0, "node stops cleanly")
            cdr = re.findall(r"CDR (\d+) call (\S+) (\w+) (\d+)", node.log_text())
            check(len(cdr) == 1 and cdr[0][2:] == ("answered", "200"),
                  "the hang-up left one answered CDR: %r" % cdr)
            if args.srtp:
                text = node.log_text()
                check(re.search(r"leg 0: \S+ PCMU pt 0 event pt \d+ SRTP", text) is not None,
                      "the bridge speaks SRTP with alice (leg 0)")
                check(re.search(r"leg 1: \S+ PCMU pt 0 event pt \d+\n", text) is not None,
                      "the bridge speaks plain RTP with bob (leg 1)")
            if args.media:
                # The CDR carries each bridge leg's RTP figures.
                legs = re.findall(r"CDR \d+ call \S+ media leg (\d+) received (\d+) sent (\d+) "
                                  r"lost (-?\d+) jitter (\d+) us rtt (-?\d+) us MOS (\d)\.(\d+)",
                                  node.log_text())
                check(sorted(l[0] for l in legs) == ["0", "1"],
                      "the CDR has media figures for both legs: %r" % legs)
                for leg, rx, tx, lost, jitter, rtt, mos, _ in legs:
                    check(int(rx) >= 50 and int(tx) >= 50,
                          "leg %s: the bridge received %s and sent %s packets" % (leg, rx, tx))
                    check(int(lost) == 0 and int(mos) >= 4,
                          "leg %s: no loss on loopback, MOS %s" % (leg, mos))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
