"""Two baresip soft phones, alice and bob, against one ringdownd: their
provisioning, their configuration (a sine tone as the microphone, decoded
audio dumped to WAV, control over ctrl_tcp), starting them until both are
registered, and a call from alice that bob answers. Shared by the baresip
system tests; ports are taken from the test's block: SIP +1/+5, control
+11/+12, RTP +20.. and +30.."""

import json
import math
import os
import re
import socket
import struct
import subprocess
import time

from sip_common import HOST, check, fail, node_config

REALM = "floor.test"
USERS = ("alice", "bob")


def wait_for(path, pattern, what, deadline_s=20.0):
    """The first match of `pattern` in the file at `path` (a log), polled
    until `deadline_s`; fails the test with the log's tail otherwise."""
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


def dominant(samples, rate, probes, window_s=0.05):
    """The strongest of the `probes` frequencies in each window (None when
    quiet)."""
    n = int(window_s * rate)
    out = []
    for i in range(0, len(samples) - n + 1, n):
        w = samples[i:i + n]
        p = {hz: power(w, rate, hz) for hz in probes}
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


def hears_in(phone_dir, hz, probes, seconds=1.0):
    """(True when `hz` dominates most windows of the phone's newest
    `seconds` of audio, the windows' dominant frequencies)."""
    rate, samples = newest_audio(phone_dir, seconds)
    d = dominant(samples, rate, probes)
    return d.count(hz) >= 0.8 * len(d), d


class Phones:
    """alice and bob for the node on `port`; `tones` gives each phone's
    sine (Hz); `srtp_module` loads baresip's SRTP module, `alice_srtp`
    makes alice insist on SRTP (mediaenc=srtp-mand). `aor_user` renames a
    phone's account (bob as a carrier's number); `unregistered` phones are
    not provisioned and do not register (a trunk's far end); `holds` gives
    the shared lines a phone's resource holds."""

    def __init__(self, port, tones, srtp_module=False, alice_srtp=False, aor_user=None,
                 unregistered=(), holds=None, users=USERS, zone_of=None, proxy_of=None):
        self.port = port
        self.tones = tones
        self.srtp_module = srtp_module
        self.alice_srtp = alice_srtp
        self.aor_user = aor_user or {}
        self.unregistered = tuple(unregistered)
        self.holds = holds or {}
        self.users = tuple(users)
        # The node each phone registers and calls through: (host, port).
        self.proxy_of = proxy_of or {}
        self.zone_of = zone_of or {}
        self.sip = {"alice": port + 1, "bob": port + 5, "carol": port + 9}
        self.ctrl = {"alice": port + 11, "bob": port + 12, "carol": port + 13}
        # RTP port ranges (first, last); the node's bridge uses +40..+49.
        self.rtp = {"alice": (port + 20, port + 29), "bob": (port + 30, port + 39),
                    "carol": (port + 14, port + 19)}
        self.logs = {}

    def node_args(self, tmp, provisioning="", **node_options):
        """ringdownd's arguments: node_config(**node_options) and a
        provisioning file with the registered phones and `provisioning`
        (more TOML: lines, trunks)."""
        prov = self.write_provisioning(tmp, provisioning)
        return ["--config", node_config(tmp, self.port, **node_options), "--provisioning", prov]

    def write_provisioning(self, tmp, provisioning=""):
        """The provisioning file of the phones' zones and resources (with
        `provisioning` added); returns its path."""
        prov = os.path.join(tmp, "provisioning.toml")
        with open(prov, "w") as f:
            f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
            for zone in sorted(set(self.zone_of.values()) - {"london"}):
                f.write('[[zone]]\nname = "%s"\n' % zone)
            f.write(provisioning)
            for user in self.users:
                if user in self.unregistered:
                    continue
                lines = ('lines = [%s]\n' % ", ".join('"%s"' % l for l in self.holds[user])
                         if user in self.holds else "")
                f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "%s"\n'
                        'kind = "softphone"\npassword = "%s-pw"\n%s'
                        % (user, user, REALM, self.zone_of.get(user, "london"), user, lines))
        return prov

    def write_phone(self, tmp, user):
        d = os.path.join(tmp, user)
        os.makedirs(d)
        modules = ["module g711.so", "module aubridge.so", "module ausine.so"]
        if self.srtp_module:
            modules.append("module srtp.so")
        with open(os.path.join(d, "config"), "w") as f:
            f.write("\n".join([
                "poll_method epoll",
                "sip_listen %s:%d" % (HOST, self.sip[user]),
                "net_interface %s" % HOST,
                "audio_source ausine,%d" % self.tones[user],
                "audio_player aubridge,nil",
                "audio_alert aubridge,nil",
                "ausrc_srate 48000", "auplay_srate 48000",
                "ausrc_channels 2", "auplay_channels 1",
                "rtp_ports %d-%d" % self.rtp[user],
                "module_path /usr/lib/baresip/modules"] + modules + [
                "module account.so", "module menu.so", "module sndfile.so",
                "module ctrl_tcp.so",
                "ctrl_tcp_listen %s:%d" % (HOST, self.ctrl[user]),
                "snd_path %s" % d, ""]))
        with open(os.path.join(d, "accounts"), "w") as f:
            srtp = ";mediaenc=srtp-mand" if self.alice_srtp and user == "alice" else ""
            regint = 0 if user in self.unregistered else 600
            proxy = self.proxy_of.get(user, (HOST, self.port))
            f.write('<sip:%s@%s>;auth_pass=%s-pw;outbound="sip:%s:%d";regint=%d;'
                    'audio_codecs=PCMU%s\n' % (self.aor_user.get(user, user), REALM, user,
                                                proxy[0], proxy[1], regint, srtp))
        return d

    def start(self, tmp, procs):
        """Starts both phones (appended to `procs`, stopped by the caller)
        and waits until both are registered."""
        for user in self.users:
            d = self.write_phone(tmp, user)
            self.logs[user] = os.path.join(tmp, user + ".log")
            out = open(self.logs[user], "wb")
            procs.append(subprocess.Popen(["baresip", "-f", d], stdout=out,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        for user in self.users:
            if user in self.unregistered:
                continue
            wait_for(self.logs[user], r"%s@%s: \{0/UDP/v4\} 200 OK" % (user, REALM),
                     "%s registered" % user)
            check(True, "baresip %s registered to ringdownd (digest)" % user)

    def command(self, user, cmd, params=""):
        body = json.dumps({"command": cmd, "params": params, "token": cmd}).encode()
        with socket.create_connection((HOST, self.ctrl[user]), timeout=5) as s:
            s.sendall(b"%d:%s," % (len(body), body))
            s.settimeout(5)
            s.recv(4096)  # the command's response (netstring)

    def call(self):
        """alice dials bob, bob answers, alice sees the call established."""
        self.command("alice", "dial", "sip:bob@%s" % REALM)
        wait_for(self.logs["bob"], r"Incoming call from", "bob rings")
        self.command("bob", "accept")
        wait_for(self.logs["alice"], r"Call established", "alice sees the call established")


def stop_all(procs):
    """Stops the phones in `procs` by PID: SIGTERM, SIGKILL after 10 s."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
