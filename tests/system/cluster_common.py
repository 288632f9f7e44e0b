"""Helpers shared by the cluster system test and the detection benchmark:
write a node's configuration, start ringdownd with its output in a log
file, poll that log with a deadline for membership lines, stop every
process by PID."""

import datetime
import os
import re
import signal
import subprocess
import time

# The cluster key of the tests (32 hex digits, 16 bytes), and another one.
KEY = "00112233445566778899aabbccddeeff"
OTHER_KEY = "ffeeddccbbaa99887766554433221100"

# `2026-11-23T13:40:32.123 info [cluster] member node-2 (zone z, a:p) failed`
EVENT_RE = re.compile(r"^(\S+) \S+ \[cluster\] member (\S+) \(zone (\S+), (\S+)\) (.+)$")


def fail(msg):
    raise AssertionError(msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg, flush=True)


def parse_stamp(text):
    """Seconds since the epoch of a log timestamp (local time, ms)."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").timestamp()


class ClusterNode:
    """One ringdownd of a test cluster: its configuration file, its log
    file, its process. Stopped by PID (SIGKILL) in stop() if still alive."""

    def __init__(self, binary, tmp, index, host, sip_port, cluster_port, seeds, key=KEY,
                 probe_interval_ms=100, probe_timeout_ms=50, zone="london",
                 suspicion_min_mult=None, suspicion_max_mult=None, log_level="info",
                 provisioning=None, media=None):
        self.binary = binary
        self.sip_port = sip_port
        self.provisioning = provisioning
        self.index = index
        self.id = "node-%d" % index
        self.host = host
        self.cluster_address = "%s:%d" % (host, cluster_port)
        self.dir = os.path.join(tmp, self.id)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "ringdownd.toml")
        self.log_path = os.path.join(self.dir, "ringdownd.log")
        extra = ""
        if suspicion_min_mult is not None:
            extra = "suspicion_min_mult = %d\n" % suspicion_min_mult
        if suspicion_max_mult is not None:
            extra += "suspicion_max_mult = %d\n" % suspicion_max_mult
        media_section = ""
        if media is not None:  # (first, last) RTP ports of the node's bridges
            media_section = ('[media]\naddress = "%s"\nport_first = %d\nport_last = %d\n'
                             % (host, media[0], media[1]))
        with open(self.conf, "w") as f:
            f.write('[node]\nid = "%s"\nzone = "%s"\ndata_dir = "%s"\n'
                    '[sip]\nlisten = ["udp:%s:%d"]\n'
                    '[cluster]\nlisten = "%s"\nseeds = "%s"\nkey = "%s"\n'
                    'probe_interval_ms = %d\nprobe_timeout_ms = %d\n%s'
                    '[admin]\nlisten = "%s:%d"\n[log]\nlevel = "%s"\n'
                    '[registrar]\ndigest_algorithms = "MD5"\n%s'
                    % (self.id, zone, os.path.join(self.dir, "data"), host, sip_port,
                       self.cluster_address, ",".join(seeds), key, probe_interval_ms,
                       probe_timeout_ms, extra, host, sip_port, log_level, media_section))
        self.proc = None
        self.log = None
        self.offset = 0  # log bytes before the current run

    def start(self):
        if self.log is not None:
            self.log.close()
        self.offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.log = open(self.log_path, "ab")
        argv = [self.binary, "--config", self.conf]
        if self.provisioning:
            argv += ["--provisioning", self.provisioning]
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, deadline_s=20.0):
        self.wait_for(lambda text: "ringdownd ready" in text, deadline_s, "ready")

    def text(self, whole=False):
        with open(self.log_path, "rb") as f:
            if not whole:
                f.seek(self.offset)
            return f.read().decode(errors="replace")

    def events(self, whole=True):
        """(epoch seconds, member id, verb) of every membership line."""
        out = []
        for line in self.text(whole).splitlines():
            m = EVENT_RE.match(line)
            if m:
                out.append((parse_stamp(m.group(1)), m.group(2), m.group(5)))
        return out

    def event_time(self, member_id, verb, after=0.0):
        for stamp, who, what in self.events():
            if who == member_id and what == verb and stamp >= after:
                return stamp
        return None

    def wait_for(self, predicate, deadline_s, what):
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            text = self.text()
            if predicate(text):
                return text
            if self.proc is not None and self.proc.poll() is not None and \
                    not predicate(self.text()):
                fail("%s exited with %d before %s:\n%s" % (self.id, self.proc.returncode,
                                                          what, self.text()[-4000:]))
            time.sleep(0.02)  # polling step, not a wait for an outcome
        fail("%s: no %s within %.1f s:\n%s" % (self.id, what, deadline_s, self.text()[-4000:]))

    def wait_event(self, member_id, verb, deadline_s, after=0.0):
        """Waits until this node logs `member <member_id> (...) <verb>`
        (stamped at or after `after`); returns the stamp."""
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            stamp = self.event_time(member_id, verb, after)
            if stamp is not None:
                return stamp
            time.sleep(0.02)
        fail("%s did not log %s %s within %.1f s:\n%s" % (self.id, member_id, verb,
                                                          deadline_s, self.text()[-4000:]))

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def terminate(self, wait_s=10.0):
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            return None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.log is not None:
            self.log.close()
            self.log = None
