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

import os
import re
import struct
import time

from baresip_common import REALM, USERS, Phones, wait_for
from sip_common import Node, check, parse_args, workdir

args = parse_args()
port = args.port
phones = Phones(port, {"alice": 440, "bob": 440}, srtp_module=True, alice_srtp=args.srtp)


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
    node_args = phones.node_args(tmp, media=args.media,
                                 srtp_offer="never" if args.srtp else "mirror")
    try:
        with Node(args.ringdownd, node_args, tmp, port) as node:
            phones.start(tmp, procs)
            logs = phones.logs
            phones.call()
            for user, other in (("alice", "bob"), ("bob", "alice")):
                m = wait_for(logs[user], r"incoming rtp for 'audio' established, receiving "
                             r"from 127\.0\.0\.1:(\d+)", "%s receives RTP" % user)
                source = int(m.group(1))
                if args.media:
                    check(port + 40 <= source < port + 50,
                          "%s receives RTP from the node's bridge (port %d)" % (user, source))
                else:
                    check(phones.rtp[other][0] <= source <= phones.rtp[other][1],
                          "%s receives %s's RTP (from port %d)" % (user, other, source))

            # Let the media run until each side has decoded about a second of
            # the other's audio (the dumps grow as RTP is decoded).
            end = time.monotonic() + 15
            while time.monotonic() < end and not all(
                    decoded_seconds(os.path.join(tmp, u)) >= 1.0 for u in USERS):
                time.sleep(0.05)  # bounded poll of the dumps
            check(all(decoded_seconds(os.path.join(tmp, u)) >= 1.0 for u in USERS),
                  "both phones decoded a second of audio")
            phones.command("alice", "hangup")
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
