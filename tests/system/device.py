"""Scripted SIP devices for the system tests: a registered phone (UDP)
that answers NOTIFYs, rings on INVITE, answers when told to, accepts
re-INVITEs and BYEs, and sends requests in the dialog it answered."""

import re
import select
import time

from phone import Phone
from sip_common import HOST, fail


def header(msg, name):
    m = re.search(r"\r\n%s:\s*([^\r]*)" % name, msg, re.I)
    return m.group(1) if m else ""


def response(req, status, reason, to_tag=None, extra="", body=""):
    """A response to `req` (RFC 3261 §8.2.6): Via, From, To, Call-ID, CSeq."""
    vias = re.findall(r"\r\n(Via:[^\r]*)", req, re.I)
    to = header(req, "To")
    if to_tag and ";tag=" not in to:
        to += ";tag=" + to_tag
    lines = ["SIP/2.0 %d %s" % (status, reason)] + vias + [
        "From: " + header(req, "From"), "To: " + to, "Call-ID: " + header(req, "Call-ID"),
        "CSeq: " + header(req, "CSeq")]
    if extra:
        lines.append(extra)
    lines.append("Content-Length: %d" % len(body.encode()))
    return "\r\n".join(lines) + "\r\n\r\n" + body


SDP = ("v=0\r\no=d 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


class Device(Phone):
    """A turret: answers NOTIFYs, rings on INVITE, answers when told to."""

    def __init__(self, name, realm, node_port, node_host=HOST):
        super().__init__(name, name + "-pw", realm, node_port, node_host)
        self.node_port = node_port
        self.notifies = []   # dialog-info bodies, in order
        self.answer = False  # answer the next INVITE with 200
        self.busy = False    # answer INVITEs with 486 (takes precedence)
        self.events = []     # what happened: "ringing", "answered", "cancelled", "bye"

    def subscribe(self, uri, expires=600):
        msg = ("SUBSCRIBE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-s-%s-%d;rport\r\n"
               "Max-Forwards: 70\r\nFrom: <sip:%s@%s>;tag=s%d\r\nTo: <%s>\r\n"
               "Call-ID: sub-%s-%d@test\r\nCSeq: 1 SUBSCRIBE\r\n"
               "Contact: <sip:%s@%s:%d>\r\nEvent: dialog;shared\r\n"
               "Accept: application/dialog-info+xml\r\nExpires: %d\r\n"
               "Content-Length: 0\r\n\r\n") % (
            uri, HOST, self.port, self.user, time.monotonic_ns(), self.user, self.realm, self.port,
            uri, self.user, time.monotonic_ns(), self.user, HOST, self.port, expires)
        self.sock.sendto(msg.encode(), (self.node_host, self.node_port))

    def handle(self, text, source=None):
        """Handles one message; returns a response status it received, if any.
        Answers go to `source` (where the request came from) when given,
        else to the device's node."""
        dest = source or (self.node_host, self.node_port)
        if text.startswith("SIP/2.0"):
            self.last_response = text
            return int(text.split()[1])
        method = text.split(" ", 1)[0]
        reply = None
        if method == "NOTIFY":
            self.notifies.append(text.split("\r\n\r\n", 1)[1])
            reply = response(text, 200, "OK")
        elif method == "INVITE" and ";tag=" in header(text, "To"):
            # A re-INVITE in our dialog (hold/resume relayed): accept it.
            self.events.append("reinvite")
            self.last_reinvite = text
            reply = response(text, 200, "OK", None,
                             "Contact: <sip:%s@%s:%d>\r\nContent-Type: application/sdp"
                             % (self.user, HOST, self.port), SDP)
        elif method == "ACK":
            pass
        elif method == "INVITE" and self.busy:
            self.events.append("busy")
            reply = response(text, 486, "Busy Here", "t-" + self.user)
        elif method == "INVITE":
            self.invite = text
            self.events.append("ringing")
            self.sock.sendto(response(text, 180, "Ringing", "t-" + self.user).encode(),
                             dest)
            if self.answer:
                self.events.append("answered")
                reply = response(text, 200, "OK", "t-" + self.user,
                                 "Contact: <sip:%s@%s:%d>\r\nContent-Type: application/sdp"
                                 % (self.user, HOST, self.port), SDP)
        elif method == "CANCEL":
            self.events.append("cancelled")
            self.sock.sendto(response(text, 200, "OK", "t-" + self.user).encode(),
                             dest)
            reply = response(self.invite, 487, "Request Terminated", "t-" + self.user)
        elif method == "REFER":
            reply = response(text, 202, "Accepted")
        elif method == "BYE":
            self.events.append("bye")
            reply = response(text, 200, "OK")
        elif method == "UPDATE":
            self.events.append("update")
            self.last_update = text
            reply = response(text, 200, "OK")
        if reply:
            self.sock.sendto(reply.encode(), dest)
        return None


def request_in_dialog(d, method, body="", direction=None, cseq=1):
    """A request from device `d` in the dialog of the INVITE it answered."""
    inv = d.invite
    target = re.search(r"<([^>]+)>", header(inv, "Contact")).group(1)
    sdp = SDP + ("a=%s\r\n" % direction if direction else "") if method == "INVITE" else body
    extra = ("Contact: <sip:%s@%s:%d>\r\nContent-Type: application/sdp\r\n"
             % (d.user, HOST, d.port)) if method == "INVITE" else ""
    msg = ("%s %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%d;rport\r\n"
           "Max-Forwards: 70\r\nFrom: %s;tag=t-%s\r\nTo: %s\r\nCall-ID: %s\r\n"
           "CSeq: %d %s\r\n%sContent-Length: %d\r\n\r\n%s") % (
        method, target, HOST, d.port, method.lower(), time.monotonic_ns(), header(inv, "To"),
        d.user, header(inv, "From"), header(inv, "Call-ID"), cseq, method, extra,
        len(sdp.encode()), sdp)
    return msg, target


def ack_for(d, ok, target, cseq):
    return ("ACK %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-ack-%d;rport\r\n"
            "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d ACK\r\n"
            "Content-Length: 0\r\n\r\n") % (
        target, HOST, d.port, time.monotonic_ns(), header(ok, "From"), header(ok, "To"),
        header(ok, "Call-ID"), cseq)


def collect(devices, stop, what, deadline_s=10.0):
    """Serves the devices' sockets, collecting (user, status) of the
    responses they receive, until `stop(collected)` holds (bounded)."""
    got = []
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if stop(got):
            return got
        ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
        for d in devices:
            if d.sock in ready:
                status = d.handle(d.sock.recvfrom(65535)[0].decode(errors="replace"))
                if status is not None:
                    got.append((d.user, status))
    fail("not within %.0f s: %s (got %r)" % (deadline_s, what, got))




def invite_from(d, target_uri, call_id, tag):
    """An initial INVITE from device `d` to `target_uri`, with SDP."""
    return ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-inv-%d;rport\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:%s@%s>;tag=%s\r\nTo: <%s>\r\n"
            "Call-ID: %s\r\nCSeq: 1 INVITE\r\nContact: <sip:%s@%s:%d>\r\n"
            "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s") % (
        target_uri, HOST, d.port, time.monotonic_ns(), d.user, d.realm, tag, target_uri, call_id,
        d.user,
        HOST, d.port, len(SDP), SDP)


def in_dialog_as_caller(d, ok, method, cseq, extra="", body=""):
    """A request from the caller `d` in the dialog its INVITE's 200 `ok` made."""
    target = re.search(r"<([^>]+)>", header(ok, "Contact")).group(1)
    return ("%s %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%d;rport\r\n"
            "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\n"
            "%sContent-Length: %d\r\n\r\n%s") % (
        method, target, HOST, d.port, method.lower(), time.monotonic_ns(), header(ok, "From"),
        header(ok, "To"), header(ok, "Call-ID"), cseq, method, extra, len(body.encode()), body)
