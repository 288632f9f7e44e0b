"""The SIP relay of the gateway (RFC 3261 §16) between a SIPp UAC and a
SIPp UAS: relay_node (sip_stack + sip_gateway whose `forward` sends every
request to the UAS) on 127.0.0.1. Checks, each by the SIPp scenarios'
own regexp actions: custom X- headers and the body reach the UAS intact;
180/200 come back; ACK and BYE follow the relay's Record-Route both ways;
CANCEL of a ringing INVITE ends in 487; Max-Forwards 0 gets 483. Then the
relay's counters, read at its exit: nothing left in its table."""

import argparse
import os
import re
import select
import shutil
import signal
import subprocess
import time

from sip_common import HOST, Node, check, fail

def udp_bound(port):
    """True when a UDP socket is bound to HOST:port (from /proc/net/udp)."""
    want = "0100007F:%04X" % port
    with open("/proc/net/udp") as f:
        return any(line.split()[1] == want for line in f.readlines()[1:])


def wait_until(cond, what, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if cond():
            return
        select.select([], [], [], 0.01)
    fail("%s within %.0f s" % (what, deadline_s))


class Relay(Node):
    """relay_node (stdout and stderr to its log); stopped by PID whatever
    happens. Ready once its UDP port is bound: it binds before serving."""

    def __init__(self, binary, port, forward_port, tmp):
        super().__init__(binary, ["--listen", "udp:%s:%d" % (HOST, port),
                                  "--forward", "udp:%s:%d" % (HOST, forward_port)],
                         tmp, port)

    def wait_ready(self, deadline_s=20.0):
        wait_until(lambda: udp_bound(self.probe_port) or not self.alive(),
                   "relay_node bound to %d" % self.probe_port, deadline_s)
        if not self.alive():
            fail("relay_node exited early:\n%s" % self.log_text())

    def stop(self):
        """SIGTERM, then the counters line it prints on its way out."""
        check(self.terminate() == 0, "relay_node exits 0 on SIGTERM")
        m = re.search(r"^counters (.*)$", self.log_text(), re.M)
        check(m is not None, "relay_node prints its counters")
        return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def sipp_args(scenarios, tmp, name, local_port):
    return ["sipp", "-sf", os.path.join(scenarios, name), "-m", "1", "-i", HOST,
            "-p", str(local_port), "-nostdin", "-timeout", "20s", "-timeout_error",
            "-trace_err", "-error_file", os.path.join(tmp, name + ".errors.log"),
            "-trace_msg", "-message_file", os.path.join(tmp, name + ".messages.log")]


def report(tmp, name, output):
    print(output.decode(errors="replace")[-3000:])
    err = os.path.join(tmp, name + ".errors.log")
    if os.path.exists(err):
        print(open(err).read()[-3000:])


def first_invite(tmp, name):
    """The first INVITE in a SIPp message log, as on the wire (CRLF)."""
    with open(os.path.join(tmp, name + ".messages.log"), newline="") as f:
        text = f.read()
    m = re.search(r"^INVITE sip:.*?(?=\r?\n-{20,})", text, re.S | re.M)
    check(m is not None, "%s logged an INVITE" % name)
    return m.group(0).rstrip("\r\n")


def check_relayed_invite(tmp, uac, uas, relay_port):
    """The INVITE the UAS got is the one the UAC sent, byte for byte, but
    for what RFC 3261 §16.6 has the relay change: its Via on top,
    Max-Forwards one less, its Record-Route."""
    sent = first_invite(tmp, uac)
    got = first_invite(tmp, uas)
    lines = got.split("\n")
    via = re.compile(r"^Via: SIP/2\.0/UDP %s:%d;branch=z9hG4bKrl[^\r]*;rport\r$"
                     % (re.escape(HOST), relay_port))
    rr = "Record-Route: <sip:%s:%d;transport=udp;lr>\r" % (HOST, relay_port)
    check(via.match(lines[1]) is not None, "the relay's Via is on top")
    check(rr in lines, "the relay's Record-Route is there")
    lines = [lines[0]] + [line for line in lines[2:] if line != rr]
    restored = "\n".join(lines).replace("Max-Forwards: 69\r", "Max-Forwards: 70\r", 1)
    if restored != sent:
        print("sent:\n%s\nreceived:\n%s" % (sent, got))
    check(restored == sent, "every other header and the body arrive byte for byte")


def run_pair(args, tmp, relay, uac, uas, uac_port, uas_port, relay_port, what):
    """Runs the UAS scenario, then the UAC one against the relay; both
    must exit 0. The UAS is stopped by PID if it outlives the test."""
    uas_proc = subprocess.Popen(sipp_args(args.scenarios, tmp, uas, uas_port),
                                cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: udp_bound(uas_port) or uas_proc.poll() is not None,
                   "SIPp UAS bound to %d" % uas_port)
        uac_cmd = sipp_args(args.scenarios, tmp, uac, uac_port)
        uac_cmd += ["-s", "desk", "%s:%d" % (HOST, relay_port)]
        uac_result = subprocess.run(uac_cmd, cwd=tmp, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, timeout=60)
        try:
            uas_out, _ = uas_proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            uas_out = b""
        if uac_result.returncode != 0:
            report(tmp, uac, uac_result.stdout)
        if uas_proc.returncode != 0:
            report(tmp, uas, uas_out)
        if uac_result.returncode != 0 or uas_proc.returncode != 0:
            print(relay.log_text())
        check(uac_result.returncode == 0, "%s: UAC %s exits 0" % (what, uac))
        check(uas_proc.returncode == 0, "%s: UAS %s exits 0" % (what, uas))
    finally:
        if uas_proc.poll() is None:
            os.kill(uas_proc.pid, signal.SIGKILL)
            uas_proc.wait()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--relay-node", required=True)
    p.add_argument("--scenarios", required=True)
    p.add_argument("--port", type=int, required=True, help="first port of a block of 100")
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    relay_port, uas_port, uac_port = args.port + 10, args.port + 20, args.port + 30
    tmp = args.workdir
    shutil.rmtree(tmp, ignore_errors=True)  # SIPp appends to its logs
    os.makedirs(tmp)
    with Relay(args.relay_node, relay_port, uas_port, tmp) as relay:
        run_pair(args, tmp, relay, "relay_uac_call.xml", "relay_uas_call.xml", uac_port,
                 uas_port, relay_port, "call hung up by the caller")
        check_relayed_invite(tmp, "relay_uac_call.xml", "relay_uas_call.xml", relay_port)
        run_pair(args, tmp, relay, "relay_uac_hangup_in.xml", "relay_uas_hangup_out.xml",
                 uac_port + 1, uas_port, relay_port, "call hung up by the callee")
        run_pair(args, tmp, relay, "relay_uac_cancel.xml", "relay_uas_cancel.xml",
                 uac_port + 2, uas_port, relay_port, "CANCEL of a ringing INVITE")
        name = "relay_uac_max_forwards.xml"
        cmd = sipp_args(args.scenarios, tmp, name, uac_port + 3)
        cmd += ["-s", "desk", "%s:%d" % (HOST, relay_port)]
        result = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=60)
        if result.returncode != 0:
            report(tmp, name, result.stdout)
        check(result.returncode == 0, "Max-Forwards 0: 483 at the UAC")
        c = relay.stop()
        print("relay counters: %s" % c, flush=True)
        # INVITE, ACK, BYE twice; the cancelled INVITE.
        check(c["relayed_requests"] == 7, "7 requests relayed")
        check(c["relayed_responses"] >= 8, "responses relayed back")
        check(c["max_forwards_exhausted"] == 1, "one 483")
        check(c["loops"] == 0 and c["relays_refused"] == 0, "no loop, nothing refused")
        check(c["dispatched"] == 0, "no request reached an actor")
        check(c["relays_live"] == 0, "the relay table is empty at the end")


main()
