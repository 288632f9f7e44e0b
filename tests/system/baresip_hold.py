"""Hold on a bridged call with music on hold (media issue: a held party
leaves the call for music on hold and returns on resume). Two baresip
phones call through ringdownd's media bridge (--media): alice sends a
440 Hz tone, bob 1000 Hz, and each hears the other's. Alice puts bob on
hold (re-INVITE, sendonly): bob gets a re-INVITE from the bridge, his leg
moves from the call's bridge to the node's music-on-hold bridge, and his
newest decoded audio holds the music on hold melody (523, 659, 784, 659 Hz
in turn) and no 440 Hz from alice. Alice resumes: bob's leg moves back, bob hears 440 Hz again,
and alice receives bob's RTP again.

baresip 1.0.0 drops its receive filter chain (the sndfile dump) when a
call's direction stops being sendrecv, so the holder's decoded-audio dump
ends at the hold: after the resume alice's side is checked on the RTP rate
her status line reports, not on decoded audio."""

import os
import re
import time

from baresip_common import (REALM, USERS, Phones, dominant, grow, hears_in, newest_audio,
                            power, runs, stop_all, wait_for)
from sip_common import Node, check, parse_args, workdir

args = parse_args()
port = args.port
TONE = {"alice": 440, "bob": 1000}  # Hz, ausine
phones = Phones(port, TONE)


MOH_HZ = (523, 659, 784)
PROBE_HZ = (440, 1000) + MOH_HZ


def hears(user, hz, seconds=1.0):
    return hears_in(os.path.join(tmp, user), hz, PROBE_HZ, seconds)


procs = []
with workdir() as tmp:
    node_args = phones.node_args(tmp, media=args.media)
    try:
        with Node(args.ringdownd, node_args, tmp, port) as node:
            phones.start(tmp, procs)
            logs = phones.logs
            phones.call()
            for user in USERS:
                m = wait_for(logs[user], r"incoming rtp for 'audio' established, receiving "
                             r"from 127\.0\.0\.1:(\d+)", "%s receives RTP" % user)
                check(port + 40 <= int(m.group(1)) < port + 50,
                      "%s receives RTP from the node's bridge" % user)
            for user in USERS:
                grow(os.path.join(tmp, user), 1.5)
            for user, other in (("alice", "bob"), ("bob", "alice")):
                ok, d = hears(user, TONE[other])
                check(ok, "before the hold %s hears %s's %d Hz: %r"
                      % (user, other, TONE[other], runs(d)))

            phones.command("alice", "hold")
            wait_for(logs["bob"], r"call: got re-INVITE", "bob gets alice's hold re-INVITE")
            m = wait_for(node.log_path, r"Call-ID \S+: bridge (\d+) leg 1: on hold, music on "
                         r"hold: moved to the music-on-hold bridge (\d+)",
                         "the bridge moves bob to the music-on-hold bridge")
            check(m.group(1) != m.group(2),
                  "alice's hold reached bob; bob's leg left the call's bridge %s for the "
                  "music-on-hold bridge %s" % (m.group(1), m.group(2)))
            grow(os.path.join(tmp, "bob"), 3.0)  # the window below is all hold
            rate, samples = newest_audio(os.path.join(tmp, "bob"), 2.4)
            d = dominant(samples, rate, PROBE_HZ)
            melody = runs(d)
            check(440 not in melody and 1000 not in melody,
                  "on hold bob hears no call audio: %r" % melody)
            check(d.count(None) <= len(d) // 10, "on hold bob's audio is not silent")
            # Two rounds of the melody: C5 E5 G5 E5 in turn, whatever note it
            # started on.
            notes = (523, 659, 784, 659)
            tail = melody[1:]  # the first run may be a partial note
            check(len(tail) >= 6 and any(
                all(tail[i] == notes[(k + i) % 4] for i in range(len(tail)))
                for k in range(4)),
                "bob hears the music on hold notes in order: %r" % melody)
            for hz in MOH_HZ:
                check(power(samples, rate, hz) > 100 * power(samples, rate, 440),
                      "%d Hz of the music on hold stands 20 dB over alice's 440 Hz" % hz)

            phones.command("alice", "resume")
            wait_for(node.log_path, r"bridge %s leg 1: resumed, back in the call from the "
                     r"music-on-hold bridge %s" % (m.group(1), m.group(2)),
                     "bob's leg comes back into the call's bridge")
            grow(os.path.join(tmp, "bob"), 1.5)
            ok, d = hears("bob", TONE["alice"])
            check(ok, "after the resume bob hears alice's 440 Hz again: %r" % runs(d))
            # The bridge forwards again: every packet alice now receives is
            # one of bob's (no mixed silence, no music).
            with open(logs["alice"], errors="replace") as f:
                alice_mark = len(f.read())
            end = time.monotonic() + 10
            rx = []
            while time.monotonic() < end and not any(int(r) >= 32000 for r in rx):
                with open(logs["alice"], errors="replace") as f:
                    rx = re.findall(r"audio=\d+/(\d+) \(bit/s\)", f.read()[alice_mark:])
                time.sleep(0.05)  # bounded poll of the phone's status line
            check(any(int(r) >= 32000 for r in rx),
                  "after the resume alice receives bob's RTP again (%s bit/s)"
                  % (rx[-1] if rx else "none"))

            phones.command("alice", "hangup")
            wait_for(node.log_path, r"ended answered 200 sip:alice@%s -> sip:bob@%s"
                     % (REALM, REALM), "the B2BUA ends the call")
            check(node.terminate() == 0, "node stops cleanly")
    finally:
        stop_all(procs)
