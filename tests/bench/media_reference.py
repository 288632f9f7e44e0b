#!/usr/bin/env python3
"""Two-party forwarding: Ringdown's bridge next to rtpengine on the same load.

Runs bench_media twice with the same phones and the same RTP generator:
first through Ringdown's media engine (one media thread), then through
rtpengine in userspace mode (--table=-1: no kernel module, every packet
goes through its own poller thread), set up call by call with offer and
answer over its ng control protocol (bencode over UDP). Prints each run's
figures: packets/s, CPU (Ringdown's media thread; the whole rtpengine
process) and the latency each adds over phone-to-phone direct.

Everything binds on 127.0.0.1 inside --port-first..--port-last (default
30000-30999): the phones take the top --phone-sockets ports, the ng
control port and this script's control socket the two below them, and the
relay's media ports the rest.

    apt-get install -y rtpengine-daemon   # Debian 12: rtpengine 10.5
    tests/bench/media_reference.py --bench build/tests/bench/bench_media \\
        --calls 240 --seconds 10

A benchmark, not a test: it prints figures and asserts nothing.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def bencode(value):
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(value.items())) + b"e"
    raise TypeError(type(value))


def bdecode(data, i=0):
    """Decodes the value at data[i:]; returns (value, next index)."""
    c = data[i : i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1 : end]), end + 1
    if c == b"l":
        out, i = [], i + 1
        while data[i : i + 1] != b"e":
            v, i = bdecode(data, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        out, i = {}, i + 1
        while data[i : i + 1] != b"e":
            k, i = bdecode(data, i)
            v, i = bdecode(data, i)
            out[k.decode()] = v
        return out, i + 1
    colon = data.index(b":", i)
    n = int(data[i:colon])
    return data[colon + 1 : colon + 1 + n], colon + 1 + n


class ng_client:
    """rtpengine's ng protocol: "<cookie> <bencoded dict>" each way."""

    def __init__(self, local_port, ng_port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", local_port))
        self.sock.settimeout(2.0)
        self.ng = ("127.0.0.1", ng_port)
        self.cookie = 0

    def request(self, command, **args):
        self.cookie += 1
        cookie = b"%d" % self.cookie
        args["command"] = command
        for attempt in range(3):
            self.sock.sendto(cookie + b" " + bencode(args), self.ng)
            try:
                while True:
                    data, _ = self.sock.recvfrom(65536)
                    got, _, body = data.partition(b" ")
                    if got == cookie:
                        reply, _ = bdecode(body)
                        if reply.get("result") != b"ok":
                            raise RuntimeError("rtpengine %s: %r" % (command, reply))
                        return reply
            except socket.timeout:
                continue
        raise RuntimeError("rtpengine did not answer %s" % command)

    def close(self):
        self.sock.close()


def sdp_for(port, session):
    return (
        "v=0\r\no=- %d 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" % (session, port)
    )


def media_port(sdp):
    m = re.search(rb"^m=audio (\d+) ", sdp, re.M)
    if not m:
        raise RuntimeError("no audio port in rtpengine's SDP: %r" % sdp)
    return int(m.group(1))


def run_bench(cmd):
    print("$ " + " ".join(cmd), flush=True)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(out, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True, help="path to bench_media")
    ap.add_argument("--rtpengine", default="rtpengine", help="rtpengine daemon binary")
    ap.add_argument("--calls", type=int, default=240)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--port-first", type=int, default=30000)
    ap.add_argument("--port-last", type=int, default=30999)
    ap.add_argument("--phone-sockets", type=int, default=16)
    ap.add_argument("--skip-ours", action="store_true", help="only the rtpengine run")
    a = ap.parse_args()

    ports = [
        "--port-first", str(a.port_first), "--port-last", str(a.port_last),
        "--phone-sockets", str(a.phone_sockets),
    ]  # fmt: skip
    common = [a.bench, "--calls", str(a.calls), "--seconds", str(a.seconds)] + ports
    if not a.skip_ours:
        run_bench(common)

    rtpengine = shutil.which(a.rtpengine)
    if rtpengine is None:
        sys.exit(
            "rtpengine not found: apt-get install -y rtpengine-daemon (Debian 12), "
            "or --rtpengine PATH"
        )
    phone_first = a.port_last - a.phone_sockets + 1
    ng_port = phone_first - 1
    control_port = phone_first - 2
    media_last = phone_first - 3
    log = tempfile.NamedTemporaryFile(prefix="rtpengine-", suffix=".log", delete=False)
    daemon = subprocess.Popen(
        [
            rtpengine, "--foreground", "--log-stderr", "--config-file=none",
            "--table=-1", "--interface=127.0.0.1",
            "--listen-ng=127.0.0.1:%d" % ng_port,
            "--port-min=%d" % a.port_first, "--port-max=%d" % media_last,
            "--num-threads=1", "--timeout=3600", "--log-level=4",
        ],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    ng = None
    try:
        ng = ng_client(control_port, ng_port)
        for _ in range(50):
            try:
                ng.request("ping")
                break
            except (RuntimeError, ConnectionRefusedError):
                time.sleep(0.1)
        targets = []
        for call in range(a.calls):
            caller, callee = 2 * call, 2 * call + 1
            caller_port = phone_first + caller % a.phone_sockets
            callee_port = phone_first + callee % a.phone_sockets
            call_id, from_tag, to_tag = "bench-%d" % call, "a%d" % call, "b%d" % call
            offer = ng.request(
                "offer", **{"call-id": call_id, "from-tag": from_tag,
                            "sdp": sdp_for(caller_port, caller)}
            )  # fmt: skip
            answer = ng.request(
                "answer", **{"call-id": call_id, "from-tag": from_tag, "to-tag": to_tag,
                             "sdp": sdp_for(callee_port, callee)}
            )  # fmt: skip
            # The offer's SDP goes to the callee (where it sends), the
            # answer's to the caller.
            targets += [media_port(answer["sdp"]), media_port(offer["sdp"])]
        with tempfile.NamedTemporaryFile("w", prefix="relay-", delete=False) as f:
            f.write("\n".join(str(p) for p in targets) + "\n")
            targets_file = f.name
        version = subprocess.run(
            [rtpengine, "--version"], capture_output=True, text=True
        )  # it prints on stderr
        print("rtpengine %s (pid %d), userspace forwarding (--table=-1), %d calls set up"
              % ((version.stdout + version.stderr).strip(), daemon.pid, a.calls))
        run_bench(common + ["--relay-targets", targets_file, "--relay-pid", str(daemon.pid)])
        os.unlink(targets_file)
    finally:
        if ng is not None:
            ng.close()
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()
        if daemon.returncode not in (0, -15, None):
            print("rtpengine exited %s; its log: %s" % (daemon.returncode, log.name))
        else:
            os.unlink(log.name)


if __name__ == "__main__":
    main()
