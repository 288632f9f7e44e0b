#!/usr/bin/env python3
"""Call-rate and memory benchmark of one ringdownd (issue 3):

  SIPp UAC --INVITE--> ringdownd (B2BUA) --INVITE--> SIPp UAS (a trunk gateway)

1. Rate: for each rate in --rates, SIPp's built-in `uac` places
   rate x --seconds calls (INVITE, 200, ACK, BYE) through ringdownd to
   SIPp's built-in `uas`; a rate passes when every call succeeded (SIPp
   exit 0, no failed call in its statistics). Prints the highest rate that
   passed.
2. Memory: --held calls are established and held (the UAC pauses before
   BYE); ringdownd's RSS growth divided by the calls held is the memory per
   established call.

Usage: tests/bench/call_cps.py --ringdownd build/apps/ringdownd/ringdownd
       [--rates 500,1000,2000,3000] [--seconds 10] [--held 10000]
Loopback only (127.0.0.1, ports --port-base .. --port-base+9, default
16060); every process it starts is stopped by PID."""

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
NODE_PORT, UAS_PORT, UAC_PORT = 16060, 16062, 16064


def set_ports(base):
    """Node, UAS and UAC ports from `base` (the node at base, SIPp above it)."""
    global NODE_PORT, UAS_PORT, UAC_PORT
    NODE_PORT, UAS_PORT, UAC_PORT = base, base + 2, base + 4


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_udp_ready(port, deadline_s=20.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    s.settimeout(0.2)
    lp = s.getsockname()[1]
    end = time.monotonic() + deadline_s
    n = 0
    while time.monotonic() < end:
        n += 1
        msg = ("OPTIONS sip:%s:%d SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-b%d\r\n"
               "Max-Forwards: 70\r\nFrom: <sip:bench@%s>;tag=b\r\nTo: <sip:%s:%d>\r\n"
               "Call-ID: ready-%d@bench\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n") % (
            HOST, port, HOST, lp, n, HOST, HOST, port, n)
        s.sendto(msg.encode(), (HOST, port))
        try:
            data = s.recv(65535)
            if data.startswith(b"SIP/2.0 200"):
                return True
        except socket.timeout:
            pass
    return False


def start_node(binary, tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "bench.test"\n[[zone]]\nname = "bench"\n'
                '[[trunk]]\nname = "carrier"\nzone = "bench"\ngateway_host = "%s"\n'
                'gateway_port = %d\nprefixes = ["9"]\ncalls_max = 100000\n' % (HOST, UAS_PORT))
    conf = os.path.join(tmp, "ringdownd.toml")
    with open(conf, "w") as f:
        f.write('[node]\nzone = "bench"\ndata_dir = "%s"\n[sip]\nlisten = ["udp:%s:%d"]\n'
                'transactions_max = 1000000\n[log]\nlevel = "warn"\n'
                % (os.path.join(tmp, "data"), HOST, NODE_PORT))
    log = open(os.path.join(tmp, "ringdownd.log"), "wb")
    proc = subprocess.Popen([binary, "--config", conf, "--provisioning", prov], stdout=log,
                            stderr=subprocess.STDOUT)
    if not wait_udp_ready(NODE_PORT):
        proc.kill()
        proc.wait()
        sys.exit("ringdownd did not start; see %s" % log.name)
    return proc


def sipp(args, tmp, name):
    """A background SIPp (the UAS); its statistics go to <name>.csv."""
    cmd = ["sipp"] + args + ["-nostdin", "-trace_stat", "-stf",
                             os.path.join(tmp, name + ".csv"), "-fd", "1"]
    return subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def run_rate(tmp, rate, seconds):
    calls = rate * seconds
    uas = sipp(["-sn", "uas", "-i", HOST, "-p", str(UAS_PORT)], tmp, "uas")
    try:
        uac = subprocess.run(
            ["sipp", "%s:%d" % (HOST, NODE_PORT), "-sn", "uac", "-s", "9000", "-i", HOST,
             "-p", str(UAC_PORT), "-r", str(rate), "-rp", "1000", "-m", str(calls),
             "-l", str(rate * 4), "-nostdin", "-timeout", "%ds" % (seconds * 3 + 30),
             "-timeout_error", "-max_socket", "1000"],
            cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=seconds * 3 + 60)
        out = uac.stdout.decode(errors="replace")
        failed = re.search(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", out)
        ok = uac.returncode == 0 and (failed is None or int(failed.group(1)) == 0)
        return ok, out
    finally:
        stop(uas)


def held_memory(binary, tmp, held, rate, settle_s):
    node = start_node(binary, tmp)
    uas = sipp(["-sn", "uas", "-i", HOST, "-p", str(UAS_PORT)], tmp, "uas-held")
    try:
        before = rss_kib(node.pid)
        uac = subprocess.Popen(
            ["sipp", "%s:%d" % (HOST, NODE_PORT), "-sn", "uac", "-s", "9000", "-i", HOST,
             "-p", str(UAC_PORT), "-r", str(rate), "-m", str(held), "-d", "600000",
             "-l", str(held), "-nostdin", "-trace_stat", "-stf",
             os.path.join(tmp, "uac-held.csv"), "-fd", "1"],
            cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # Established calls are counted by SIPp's statistics file:
            # wait (bounded) until `held` calls were answered.
            end = time.monotonic() + held / rate * 3 + 60
            answered = 0
            while time.monotonic() < end and answered < held:
                answered = successful_answers(os.path.join(tmp, "uac-held.csv"))
                if uac.poll() is not None:
                    break
                time.sleep(0.5)  # polling interval of a bounded wait, not synchronisation
            at_answer = rss_kib(node.pid)
            # Transactions outlive the answer (RFC 6026 Accepted state, 64*T1
            # = 32 s): measured again once they are gone, the growth is what
            # the established calls themselves hold.
            deadline = time.monotonic() + settle_s
            while time.monotonic() < deadline and uac.poll() is None:
                time.sleep(0.5)  # waiting out the transaction timers
            return answered, before, at_answer, rss_kib(node.pid)
        finally:
            stop(uac)
    finally:
        stop(uas)
        stop(node)


def successful_answers(csv_path):
    """Calls in progress per SIPp's statistics; with the UAS answering at
    once and the UAC pausing 10 minutes before BYE, these are the
    established calls."""
    try:
        with open(csv_path) as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    if len(lines) < 2:
        return 0
    head = lines[0].split(";")
    last = lines[-1].split(";")
    try:
        return int(last[head.index("CurrentCall")])
    except (ValueError, IndexError):
        return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ringdownd", required=True)
    p.add_argument("--rates", default="500,1000,2000,3000,4000")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--held", type=int, default=10000)
    p.add_argument("--held-rate", type=int, default=500)
    p.add_argument("--settle", type=int, default=40,
                   help="seconds to hold the calls before the second RSS reading")
    p.add_argument("--port-base", type=int, default=16060,
                   help="first of the ten loopback ports the benchmark uses")
    a = p.parse_args()
    set_ports(a.port_base)
    best = 0
    for rate in [int(r) for r in a.rates.split(",")]:
        with tempfile.TemporaryDirectory(prefix="ringdown-bench-") as tmp:
            node = start_node(a.ringdownd, tmp)
            try:
                ok, out = run_rate(tmp, rate, a.seconds)
            finally:
                stop(node)
            print("rate %5d calls/s x %d s: %s" % (rate, a.seconds, "ok" if ok else "FAILED"),
                  flush=True)
            if not ok:
                print(out[-2000:])
                break
            best = rate
    print("highest rate with zero failed calls: %d calls/s" % best)
    if a.held > 0:
        with tempfile.TemporaryDirectory(prefix="ringdown-bench-") as tmp:
            answered, before, at_answer, settled = held_memory(a.ringdownd, tmp, a.held,
                                                               a.held_rate, a.settle)
        for label, after in (("at answer", at_answer), ("after %d s" % a.settle, settled)):
            per_call = (after - before) * 1024 / answered if answered else float("nan")
            print("held calls: %d, RSS %d KiB -> %d KiB %s: %.0f bytes per established call"
                  % (answered, before, after, label, per_call))


if __name__ == "__main__":
    main()
