"""Helpers shared by the SIP system tests: start ringdownd, probe readiness
with a deadline, talk SIP over UDP/TCP/TLS, and stop every process by PID."""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--ringdownd", required=True)
    p.add_argument("--scenarios", default="")
    p.add_argument("--port", type=int, required=True, help="first port this test may use")
    p.add_argument("--media", action="store_true",
                   help="the node anchors media ([media] on ports port+40..port+49)")
    p.add_argument("--srtp", action="store_true",
                   help="the caller uses SRTP; the node offers plain RTP to the callee")
    p.add_argument("--cluster", action="store_true",
                   help="two nodes, one per zone, on 127.0.0.11 and 127.0.0.12")
    return p.parse_args()


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg, flush=True)


def request(method, port, local_port, transport="UDP", call_id=None, branch=None,
            extra="", body="", to_tag=None, cseq=1):
    call_id = call_id or "%s-%d-%d@test" % (method.lower(), local_port, time.monotonic_ns())
    branch = branch or "z9hG4bK-%d" % time.monotonic_ns()
    to = "<sip:ringdown@%s:%d>" % (HOST, port)
    if to_tag:
        to += ";tag=" + to_tag
    return ("%s sip:ringdown@%s:%d SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s:%d;branch=%s;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:test@%s>;tag=t%d\r\n"
            "To: %s\r\n"
            "Call-ID: %s\r\n"
            "CSeq: %d %s\r\n"
            "%s"
            "Content-Length: %d\r\n\r\n%s") % (
        method, HOST, port, transport, HOST, local_port, branch, HOST, local_port, to,
        call_id, cseq, method, extra, len(body.encode()), body)


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    return s


def udp_recv(sock, wait_s):
    """One datagram, or None when none arrives within wait_s."""
    sock.settimeout(wait_s)
    try:
        data, _ = sock.recvfrom(70000)
        return data.decode(errors="replace")
    except socket.timeout:
        return None


def status_of(text):
    m = re.match(r"SIP/2\.0 (\d{3}) ", text or "")
    return int(m.group(1)) if m else None


def read_message(stream_recv, deadline_s=5.0):
    """Reads one SIP message (headers + Content-Length body) from a stream."""
    data = b""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            m = re.search(rb"\r\n(?:Content-Length|l)\s*:\s*(\d+)", data[:head_end], re.I)
            need = head_end + 4 + (int(m.group(1)) if m else 0)
            if len(data) >= need:
                return data[:need].decode(errors="replace")
        chunk = stream_recv()
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace") if data else None


class Node:
    """A ringdownd process; stopped by PID on exit, whatever happened."""

    def __init__(self, binary, args, workdir, probe_port):
        self.binary = binary
        self.args = args
        self.workdir = workdir
        self.probe_port = probe_port
        self.log_path = os.path.join(workdir, "ringdownd.log")
        self.proc = None

    def __enter__(self):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary] + self.args, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        print("started ringdownd pid %d: %s" % (self.proc.pid, " ".join(self.args)), flush=True)
        self.wait_ready()
        return self

    def wait_ready(self, deadline_s=20.0):
        sock = udp_socket()
        end = time.monotonic() + deadline_s
        try:
            while time.monotonic() < end:
                if self.proc.poll() is not None:
                    fail("ringdownd exited early with %d:\n%s" % (self.proc.returncode,
                                                                  self.log_text()))
                port = sock.getsockname()[1]
                sock.sendto(request("OPTIONS", self.probe_port, port).encode(),
                            (HOST, self.probe_port))
                if status_of(udp_recv(sock, 0.2)) == 200:
                    return
            fail("ringdownd not ready within %.0f s:\n%s" % (deadline_s, self.log_text()))
        finally:
            sock.close()

    def alive(self):
        return self.proc.poll() is None

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def terminate(self, wait_s=10.0):
        """SIGTERM and wait; returns the exit code (None on timeout)."""
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            return None

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()
        if exc[0] is not None or os.environ.get("RINGDOWN_SHOW_LOG"):
            print(self.log_text())
        return False


def workdir():
    return tempfile.TemporaryDirectory(prefix="ringdown-sip-")


def listen_args(specs, tmp, log_level="debug"):
    args = []
    for s in specs:
        args += ["--sip-listen", s]
    return args + ["--data-dir", os.path.join(tmp, "data"), "--log-level", log_level]


def node_config(tmp, port, zone="london", digest="MD5", media=False, srtp_offer="mirror"):
    """A node configuration file in `tmp`: one UDP listener on `port`, the
    zone, the registrar's digest algorithms, debug logs; with `media`, calls
    run through the node's bridges on RTP ports port+40..port+49. Returns
    its path."""
    conf = os.path.join(tmp, "ringdownd.toml")
    with open(conf, "w") as f:
        f.write('[node]\nzone = "%s"\ndata_dir = "%s"\n[sip]\nlisten = ["udp:%s:%d"]\n'
                '[registrar]\ndigest_algorithms = "%s"\n[log]\nlevel = "debug"\n'
                % (zone, os.path.join(tmp, "data"), HOST, port, digest))
        if media:
            f.write('[media]\naddress = "%s"\nport_first = %d\nport_last = %d\n'
                    'srtp_offer = "%s"\n' % (HOST, port + 40, port + 49, srtp_offer))
    return conf


def wait_text(read, pattern, deadline_s=15.0, alive=None):
    """Polls `read()` (a log's text) until `pattern` matches, at most
    `deadline_s`, and not past the writer's end when `alive()` tells it.
    Returns the match, or None."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        ended = alive is not None and not alive()
        m = re.search(pattern, read())  # read after the check: a writer's last words count
        if m or ended:
            return m
        time.sleep(0.05)  # bounded poll of a log file
    return None


def trunk_node(tmp, port, realm, prefix, gateway_port):
    """ringdownd's arguments for a node on `port` (node_config) whose
    provisioning (in `tmp`) has zone london and one trunk, "carrier", taking
    numbers that start with `prefix` to a gateway on 127.0.0.1:
    `gateway_port`."""
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n'
                '[[trunk]]\nname = "carrier"\nzone = "london"\ngateway_host = "%s"\n'
                'gateway_port = %d\nprefixes = ["%s"]\ncalls_max = 4\n'
                % (realm, HOST, gateway_port, prefix))
    return ["--config", node_config(tmp, port), "--provisioning", prov]


def floor_provisioning(tmp, realm, lines, resources):
    """A provisioning file in `tmp` for one zone (london): `lines` maps a
    line URI to its extra TOML lines, `resources` a resource name to the
    lines it holds (its password is NAME-pw, its AOR sip:NAME@realm).
    Returns its path."""
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % realm)
        for uri, extra in lines.items():
            f.write('[[line]]\nuri = "%s"\nzone = "london"\n%s' % (uri, extra))
        for name, held in resources.items():
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\nlines = [%s]\n' % (
                        name, name, realm, name, ", ".join('"%s"' % u for u in held)))
    return prov

