"""SIPp scenarios of tests/sip played against a live ringdownd: one
SIPp process a scenario, each device's steps in turn (a scenario that
answers a call hands its dialog on to the next one), the scenarios'
<log> markers as the points the test waits for, and their errors and
message traces printed when one fails."""

import os
import re
import signal
import subprocess

from sip_common import HOST, check, fail, wait_text


def udp_ports():
    """The local ports of the UDP sockets bound on this machine, a line each."""
    with open("/proc/net/udp") as f:
        rows = f.read().splitlines()[1:]
    return "\n".join(str(int(r.split()[1].split(":")[1], 16)) for r in rows)


def in_dialog(dialog, cseq):
    """SIPp arguments that make a dialog_*_uac.xml scenario act in the
    dialog a dialog_answer_uas.xml scenario handed on."""
    return ["-cid_str", dialog["call-id"], "-set", "local", dialog["local"],
            "-set", "remote", dialog["remote"], "-set", "target", dialog["target"],
            "-set", "cseq", str(cseq)]


def dialog_id(dialog):
    """A caller's dialog as Replaces and Join name it (RFC 3891 §6.1):
    CALL-ID;to-tag=...;from-tag=... from line_caller_uac.xml's markers."""
    return "%s;to-tag=%s;from-tag=%s" % (dialog["call-id"], dialog["to-tag"],
                                         dialog["from-tag"])


def all_marked(procs, pattern, what, deadline_s=15.0):
    """Waits until every one of the SIPp processes `procs` wrote a marker
    matching `pattern`; `what` is the check that makes."""
    for p in procs:
        p.marker(pattern, what, deadline_s)
    check(True, what)


class Sipp:
    """One SIPp process playing a scenario of tests/sip against the node
    on `node_port`, from `local_port`. Its <log> markers, errors and
    message trace go to files named after it in `tmp`; a failure prints
    them. Stopped by PID (`stop`) if still running."""

    def __init__(self, tmp, scenarios, name, scenario, node_port, local_port, extra=(),
                 timeout_s=60):
        self.name = name
        self.port = local_port
        self.files = {k: os.path.join(tmp, "%s.%s" % (name, k)) for k in ("logs", "err", "msg",
                                                                        "out")}
        for path in self.files.values():
            open(path, "w").close()
        how = (["-sf", os.path.abspath(os.path.join(scenarios, scenario))]
               if scenario.endswith(".xml") else ["-sn", scenario])
        cmd = (["sipp", "%s:%d" % (HOST, node_port)] + how +
               ["-i", HOST, "-p", str(local_port), "-m", "1", "-nostdin",
                "-timeout", "%ds" % timeout_s, "-timeout_error",
                "-trace_err", "-error_file", self.files["err"],
                "-trace_logs", "-log_file", self.files["logs"],
                "-trace_msg", "-message_file", self.files["msg"]] + list(extra))
        self.out = open(self.files["out"], "wb")
        self.proc = subprocess.Popen(cmd, cwd=tmp, stdout=self.out, stderr=subprocess.STDOUT)

    def listening(self, deadline_s=10.0):
        """Waits until the scenario's UDP socket is bound (a UAS can be
        called)."""
        m = wait_text(udp_ports, r"(?m)^%d$" % self.port, deadline_s,
                      alive=lambda: self.proc.poll() is None)
        if m is None:
            self.report()
            fail("%s: not listening on UDP %d (sipp exit %s)" % (self.name, self.port,
                                                                 self.proc.poll()))
        return self

    def dialog(self, deadline_s=15.0):
        """The dialog a scenario wrote as markers ("call-id ...", "local
        ...", "remote ...", "target ...", then "answered"): a dict, once
        the scenario wrote them all (another process's end, the callee's
        say, does not mean this one has logged its dialog yet)."""
        self.marker(r"(?m)^answered$", "%s logs its dialog" % self.name, deadline_s)
        return dict(re.findall(r"(?m)^(call-id|local|remote|target|from-tag|to-tag) (.*)$",
                               self.text("logs")))

    def text(self, kind):
        with open(self.files[kind], "rb") as f:
            return f.read().decode(errors="replace")

    def report(self):
        """Prints what SIPp said went wrong (the first errors: the cause)
        and the last messages it traced."""
        err = re.sub(r"(?<=.)(?=\d{4}-\d\d-\d\d\t\d)", "\n", self.text("err").strip())
        if err:
            print("--- %s: sipp errors (first 2500 chars)\n%s" % (self.name, err[:2500]))
        msg = self.text("msg").strip()
        if msg:
            print("--- %s: sipp messages (last 4000 chars)\n%s" % (self.name, msg[-4000:]))

    def marker(self, pattern, what, deadline_s=15.0):
        """Waits for a <log> line of the scenario matching `pattern`."""
        m = wait_text(lambda: self.text("logs"), pattern, deadline_s,
                      alive=lambda: self.proc.poll() is None)
        if m is None:
            self.report()
            fail("%s: not within %.0f s (sipp exit %s): %s" % (
                self.name, deadline_s, self.proc.poll(), what))
        return m

    def finished(self, what, wait_s=30.0):
        """Waits for the scenario to end; it must exit 0."""
        try:
            self.proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            self.stop()
        if self.proc.returncode != 0:
            self.report()
        check(self.proc.returncode == 0, "%s (%s: sipp exit %s)" % (what, self.name,
                                                                   self.proc.returncode))

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.out.close()


class SippSet:
    """The SIPp processes of one test against one node: `start` runs a
    scenario, `device` gives the arguments of a provisioned device (its
    user, realm and digest credentials, password USER-pw); on exit every
    process still running is stopped by PID."""

    def __init__(self, tmp, scenarios, node_port, realm):
        self.tmp, self.scenarios, self.node_port, self.realm = tmp, scenarios, node_port, realm
        self.started = []

    def start(self, name, scenario, local_port, *extra):
        s = Sipp(self.tmp, self.scenarios, name, scenario, self.node_port, local_port, extra)
        self.started.append(s)
        return s

    def device(self, user):
        return ["-set", "user", user, "-set", "domain", self.realm, "-au", user,
                "-ap", user + "-pw"]

    def register(self, user, local_port, contact_port):
        """`user` registers with digest (device_register.xml), its Contact
        on `contact_port`."""
        self.start("register-" + user, "device_register.xml", local_port, *self.device(user),
                   "-set", "contact_port", str(contact_port)).finished(
            "%s registered, taking calls on port %d" % (user, contact_port))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for s in self.started:
            s.stop()
        return False
