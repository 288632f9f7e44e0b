"""Hold on a bridged call with music on hold (media issue: a held party
leaves the call for music on hold and returns on resume). Two baresip
phones call through ringdownd's media bridge (--media): alice sends a
440 Hz tone, bob 1000 Hz, and each hears the other's. Alice puts bob on
hold (re-INVITE, sendonly): bob gets a re-INVITE from the bridge, and his
newest decoded audio holds the music on hold melody (523, 659, 784, 659 Hz
in turn) and no 440 Hz from alice. Alice resumes: bob hears 440 Hz again,
and alice receives bob's RTP again.

baresip 1.0.0 drops its receive filter chain (the sndfile dump) when a
call's direction stops being sendrecv, so the holder's decoded-audio dump
ends at the hold: after the resume alice's side is checked on the RTP rate
her status line reports, not on decoded audio."""

import math
import os
import re
import struct
import subprocess
import time

from baresip_common import REALM, USERS, Phones, wait_for
from sip_common import Node, check, fail, parse_args, workdir

args = parse_args()
port = args.port
TONE = {"alice": 440, "bob": 1000}  # Hz, ausine
phones = Phones(port, TONE)


MOH_HZ = (523, 659, 784)
PROBE_HZ = (440, 1000) + MOH_HZ


def newest_dump(phone_dir):
    """The decoded-audio dump written last (a re-INVITE may open a new one)."""
    names = [n for n in os.listdir(phone_dir) if n.endswith("-dec.wav")]
    if not names:
        fail("no decoded-audio dump in %s" % phone_dir)
    return max((os.path.join(phone_dir, n) for n in names), key=os.path.getmtime)


def newest_audio(phone_dir, seconds):
    """The last `seconds` of the newest dump as (rate, mono samples)."""
    path = newest_dump(phone_dir)
    with open(path, "rb") as f:
        data = f.read()
    channels, rate = struct.unpack("<HI", data[22:28])
    want = int(seconds * rate) * channels * 2
    pcm = data[44:][-want:]
    samples = struct.unpack("<%dh" % (len(pcm) // 2), pcm[:len(pcm) // 2 * 2])
    return rate, samples[::channels] if channels > 1 else samples


def power(samples, rate, hz):
    """Goertzel power at `hz`, normalised by the window length."""
    coeff = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (len(samples) ** 2)


def dominant(samples, rate, window_s=0.05):
    """The strongest probe frequency of each window (None when quiet)."""
    n = int(window_s * rate)
    out = []
    for i in range(0, len(samples) - n + 1, n):
        w = samples[i:i + n]
        p = {hz: power(w, rate, hz) for hz in PROBE_HZ}
        hz = max(p, key=p.get)
        out.append(hz if p[hz] > 1000.0 else None)  # ~ amplitude 60 and up
    return out


def runs(seq):
    """`seq` with repeats and quiet windows dropped: 523,523,659 -> 523,659."""
    out = []
    for x in seq:
        if x is not None and (not out or out[-1] != x):
            out.append(x)
    return out


def grow(phone_dir, seconds, deadline_s=15.0):
    """Waits until the newest dump has grown by `seconds` of audio."""
    def size():
        p = newest_dump(phone_dir)
        with open(p, "rb") as f:
            head = f.read(44)
        channels, rate = struct.unpack("<HI", head[22:28])
        return p, os.path.getsize(p) / float(rate * channels * 2)
    start_path, start = size()
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        path, now = size()
        if (path != start_path and now >= seconds) or now - start >= seconds:
            return
        time.sleep(0.05)  # bounded poll of the dump
    print(sorted((n, os.path.getsize(os.path.join(phone_dir, n)))
                 for n in os.listdir(phone_dir) if n.endswith(".wav")))
    with open(phone_dir + ".log", errors="replace") as f:
        print("\n".join(l for l in f.read().splitlines()
                        if l.strip() and "(bit/s)" not in l)[-3000:])
    fail("%s decoded no %.1f s of new audio within %.0f s" % (phone_dir, seconds, deadline_s))


def hears(user, hz, seconds=1.0):
    """True when `hz` dominates most of the user's newest audio windows."""
    rate, samples = newest_audio(os.path.join(tmp, user), seconds)
    d = dominant(samples, rate)
    return d.count(hz) >= 0.8 * len(d), d


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
            wait_for(node.log_path, r"bridge \d+ leg 1: on hold, music on hold",
                     "the bridge puts bob on music on hold")
            check(True, "alice's hold reached bob; the bridge plays bob music on hold")
            grow(os.path.join(tmp, "bob"), 3.0)  # the window below is all hold
            rate, samples = newest_audio(os.path.join(tmp, "bob"), 2.4)
            d = dominant(samples, rate)
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
            wait_for(node.log_path, r"bridge \d+ leg 1: resumed, back in the call",
                     "the bridge takes bob back into the call")
            wait_for(node.log_path, r"resumed, back in the call(.|\n)*"
                     r"bridge \d+: forwarding \(2 legs\)",
                     "the bridge forwards again after the resume")
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
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
