"""Two baresip soft phones, alice and bob, against one ringdownd: their
provisioning, their configuration (a sine tone as the microphone, decoded
audio dumped to WAV, control over ctrl_tcp), starting them until both are
registered, and a call from alice that bob answers. Shared by the baresip
system tests; ports are taken from the test's block: SIP +1/+5, control
+11/+12, RTP +20.. and +30.."""

import json
import os
import re
import socket
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


class Phones:
    """alice and bob for the node on `port`; `tones` gives each phone's
    sine (Hz); `srtp_module` loads baresip's SRTP module, `alice_srtp`
    makes alice insist on SRTP (mediaenc=srtp-mand)."""

    def __init__(self, port, tones, srtp_module=False, alice_srtp=False):
        self.port = port
        self.tones = tones
        self.srtp_module = srtp_module
        self.alice_srtp = alice_srtp
        self.sip = {"alice": port + 1, "bob": port + 5}
        self.ctrl = {"alice": port + 11, "bob": port + 12}
        self.rtp = {"alice": port + 20, "bob": port + 30}
        self.logs = {}

    def node_args(self, tmp, **node_options):
        """ringdownd's arguments: node_config(**node_options) and a
        provisioning file with the two phones."""
        prov = os.path.join(tmp, "provisioning.toml")
        with open(prov, "w") as f:
            f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
            for user in USERS:
                f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                        'kind = "softphone"\npassword = "%s-pw"\n' % (user, user, REALM, user))
        return ["--config", node_config(tmp, self.port, **node_options), "--provisioning", prov]

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
                "rtp_ports %d-%d" % (self.rtp[user], self.rtp[user] + 9),
                "module_path /usr/lib/baresip/modules"] + modules + [
                "module account.so", "module menu.so", "module sndfile.so",
                "module ctrl_tcp.so",
                "ctrl_tcp_listen %s:%d" % (HOST, self.ctrl[user]),
                "snd_path %s" % d, ""]))
        with open(os.path.join(d, "accounts"), "w") as f:
            srtp = ";mediaenc=srtp-mand" if self.alice_srtp and user == "alice" else ""
            f.write('<sip:%s@%s>;auth_pass=%s-pw;outbound="sip:%s:%d";regint=600;'
                    'audio_codecs=PCMU%s\n' % (user, REALM, user, HOST, self.port, srtp))
        return d

    def start(self, tmp, procs):
        """Starts both phones (appended to `procs`, stopped by the caller)
        and waits until both are registered."""
        for user in USERS:
            d = self.write_phone(tmp, user)
            self.logs[user] = os.path.join(tmp, user + ".log")
            out = open(self.logs[user], "wb")
            procs.append(subprocess.Popen(["baresip", "-f", d], stdout=out,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        for user in USERS:
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
