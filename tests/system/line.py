"""Shared and private lines against a live ringdownd (issue 3): three
devices hold a shared line, register and SUBSCRIBE to its dialog state
(RFC 4235 / RFC 7463); a call to the line URI rings all three, the first
to answer seizes it, the others are CANCELled and see the line BUSY by
NOTIFY; when the call ends every device sees it IDLE again. A call on
open hold is picked up by another device (INVITE with Replaces). A barge
(INVITE with Join, RFC 3911) on a private line is refused with 403, and a
non-holder may not subscribe."""

import os
import re
import select
import subprocess
import time

from device import SDP, Device, ack_for, collect, header, request_in_dialog, response
from sip_common import HOST, Node, check, fail, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
DEVICES = ("d1", "d2", "d3")
LINE = "sip:desk@%s" % REALM
PRIVATE = "sip:private@%s" % REALM


def node_tag(ok):
    """The node's tag in its 200 to a caller: Replaces names the caller's
    dialog by it (to-tag, RFC 3891 §3)."""
    return re.search(r";\s*tag=([^;\s>]+)", header(ok, "To")).group(1)


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        f.write('[[line]]\nuri = "%s"\nzone = "london"\nappearances = 2\n' % LINE)
        f.write('[[line]]\nuri = "%s"\nzone = "london"\nappearances = 1\n'
                'private = true\nbarge_allowed = false\nhold = "private"\n' % PRIVATE)
        for d in DEVICES:
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\nlines = ["%s", "%s"]\n' % (d, d, REALM, d, LINE,
                                                                    PRIVATE))
        f.write('[[resource]]\nname = "outsider"\naor = "sip:outsider@%s"\nzone = "london"\n'
                'password = "outsider-pw"\n' % REALM)
    return ["--config", node_config(tmp, port), "--provisioning", prov]


def held_in(d):
    return bool(d.notifies) and 'pname="+sip.rendering" pvalue="no"' in d.notifies[-1]


def pump(devices, until, what, deadline_s=10.0):
    """Serves every device's socket until `until()` holds (bounded)."""
    end = time.monotonic() + deadline_s
    statuses = []
    while time.monotonic() < end:
        if until():
            return statuses
        ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
        for d in devices:
            if d.sock in ready:
                data, _ = d.sock.recvfrom(65535)
                s = d.handle(data.decode(errors="replace"))
                if s is not None:
                    statuses.append((d.user, s))
    fail("not within %.0f s: %s" % (deadline_s, what))


def last_state(d):
    """The appearance states of the last NOTIFY (dialog <state> values)."""
    if not d.notifies:
        return []
    return re.findall(r"<state>(\w+)</state>", d.notifies[-1])


procs = []
with workdir() as tmp:
    node_args = write_files(tmp)
    try:
        with Node(args.ringdownd, node_args, tmp, port) as node:
            devices = [Device(n, REALM, port) for n in DEVICES]
            for d in devices:
                ok = d.register_with_auth()
                check(ok is not None and ok.startswith("SIP/2.0 200"), "%s registered" % d.user)
                d.subscribe(LINE)
            got = pump(devices, lambda: all(d.notifies for d in devices),
                       "initial NOTIFY to every subscriber")
            check(all(s == 200 for _, s in got) and len(got) == 3,
                  "three SUBSCRIBEs accepted with 200: %r" % got)
            check(all("terminated" not in last_state(d) and "confirmed" not in last_state(d)
                      for d in devices), "the first NOTIFY shows the line idle")

            # PUBLISH (RFC 3903, RFC 7463 §5.2): d3 seizes appearance 2 before
            # dialling; the other devices see it "trying"; releasing it with
            # Expires: 0 shows the line idle again.
            d3 = devices[2]
            seize = ('<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" '
                     'xmlns:sa="urn:ietf:params:xml:ns:sa-dialog-info" version="0" '
                     'state="partial" entity="%s"><dialog id="s1"><sa:appearance>2'
                     '</sa:appearance><state>trying</state></dialog></dialog-info>' % LINE)

            def publish(expires, body="", etag=""):
                msg = ("PUBLISH %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-p-%d;rport\r\n"
                       "Max-Forwards: 70\r\nFrom: <sip:d3@%s>;tag=p%d\r\nTo: <%s>\r\n"
                       "Call-ID: pub-%d@test\r\nCSeq: 1 PUBLISH\r\nEvent: dialog\r\n"
                       "Expires: %d\r\n%s%sContent-Length: %d\r\n\r\n%s") % (
                    LINE, HOST, d3.port, time.monotonic_ns(), REALM, time.monotonic_ns(), LINE,
                    time.monotonic_ns(), expires,
                    "SIP-If-Match: %s\r\n" % etag if etag else "",
                    "Content-Type: application/dialog-info+xml\r\n" if body else "",
                    len(body.encode()), body)
                d3.sock.sendto(msg.encode(), (HOST, port))
                got = collect(devices, lambda got: any(u == "d3" for u, _ in got),
                              "PUBLISH answered")
                return [c for u, c in got if u == "d3"][0], d3.last_response

            status, resp = publish(60, seize)
            etag = header(resp, "SIP-ETag")
            check(status == 200 and etag, "d3's PUBLISH seizing appearance 2: 200 with SIP-ETag")
            pump(devices, lambda: all("trying" in last_state(d) for d in devices[:2]),
                 "NOTIFY 'trying' reaches d1 and d2")
            check(True, "d1 and d2 see appearance 2 seized (trying) by NOTIFY")
            status, _ = publish(0, etag=etag)
            check(status == 200, "d3 releases the seize (PUBLISH Expires: 0)")
            pump(devices, lambda: all("trying" not in last_state(d) for d in devices),
                 "NOTIFY idle after the release")
            check(True, "the released appearance shows idle again")

            outsider = Device("outsider", REALM, port)
            check(outsider.register_with_auth().startswith("SIP/2.0 200"),
                  "a resource that does not hold the line registers")
            outsider.subscribe(LINE)
            ready, _, _ = select.select([outsider.sock], [], [], 5.0)
            status = outsider.handle(outsider.sock.recvfrom(65535)[0].decode()) if ready else None
            check(status == 403, "a non-holder's SUBSCRIBE is refused 403 (got %r)" % status)

            # A call to the line rings all three appearances; d2 answers.
            devices[1].answer = True
            caller = subprocess.Popen(
                ["sipp", "%s:%d" % (HOST, port), "-sn", "uac", "-s", "desk", "-i", HOST,
                 "-p", str(port + 20), "-m", "1", "-d", "1500", "-nostdin", "-timeout", "30s",
                 "-timeout_error"], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            procs.append(caller)
            pump(devices, lambda: all("ringing" in d.events for d in devices),
                 "the call rings every appearance")
            check(True, "INVITE to the line rang d1, d2 and d3")
            pump(devices, lambda: "cancelled" in devices[0].events and
                 "cancelled" in devices[2].events, "the other appearances are CANCELled")
            check("answered" in devices[1].events, "d2 answered and seized the line")
            pump(devices, lambda: all("confirmed" in last_state(d) for d in devices),
                 "NOTIFY BUSY (confirmed) reaches every device")
            check(True, "d1 and d3 (and d2) see the line BUSY by NOTIFY")

            # Barge on the private line is refused, and nothing changes.
            barger = devices[0]
            inv = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-barge;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:d1@%s>;tag=b1\r\nTo: <%s>\r\n"
                   "Call-ID: barge@test\r\nCSeq: 1 INVITE\r\nContact: <sip:d1@%s:%d>\r\n"
                   "Join: some-call;to-tag=x;from-tag=y\r\nContent-Type: application/sdp\r\n"
                   "Content-Length: %d\r\n\r\n%s") % (
                PRIVATE, HOST, barger.port, REALM, PRIVATE, HOST, barger.port,
                len(SDP), SDP)
            barger.sock.sendto(inv.encode(), (HOST, port))
            end = time.monotonic() + 5
            status = None
            while time.monotonic() < end and status is None:
                ready, _, _ = select.select([d.sock for d in devices], [], [], 0.05)
                for d in devices:
                    if d.sock in ready:
                        s = d.handle(d.sock.recvfrom(65535)[0].decode(errors="replace"))
                        if d is barger and s is not None and s >= 200:
                            status = s
            check(status == 403, "barge on the private line refused with 403 (got %r)" % status)
            check(all("confirmed" in last_state(d) for d in devices),
                  "the refused barge changed nothing: the shared line is still BUSY")

            caller.communicate(timeout=30)
            check(caller.returncode == 0, "the caller's call completed (BYE after 1.5 s)")
            pump(devices, lambda: "bye" in devices[1].events, "d2 gets the BYE")
            pump(devices, lambda: all("confirmed" not in last_state(d) for d in devices),
                 "NOTIFY IDLE reaches every device")
            check(True, "every device sees the line IDLE again")

            # Hold and resume: outsider calls the line, d1 answers, then puts
            # the call on hold (re-INVITE sendonly) and takes it back.
            for d in devices:
                d.answer, d.events = d is devices[0], []
            caller = outsider
            call_sdp = SDP
            inv = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-hold-1;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:outsider@%s>;tag=o1\r\nTo: <%s>\r\n"
                   "Call-ID: hold-call@test\r\nCSeq: 1 INVITE\r\n"
                   "Contact: <sip:outsider@%s:%d>\r\nContent-Type: application/sdp\r\n"
                   "Content-Length: %d\r\n\r\n%s") % (
                LINE, HOST, caller.port, REALM, LINE, HOST, caller.port, len(call_sdp), call_sdp)
            caller.sock.sendto(inv.encode(), (HOST, port))
            answered = []

            def caller_answered():
                ready, _, _ = select.select([caller.sock], [], [], 0)
                if ready:
                    text = caller.sock.recvfrom(65535)[0].decode(errors="replace")
                    if text.startswith("SIP/2.0 200") and "INVITE" in header(text, "CSeq"):
                        answered.append(text)
                    elif not text.startswith("SIP/2.0"):
                        caller.handle(text)
                return bool(answered)
            pump(devices, caller_answered, "the caller gets 200 from d1")
            ok = answered[0]
            a_target = re.search(r"<([^>]+)>", header(ok, "Contact")).group(1)
            caller.sock.sendto(ack_for(caller, ok, a_target, 1).encode(), (HOST, port))
            pump(devices, lambda: all("confirmed" in last_state(d) for d in devices),
                 "BUSY after d1 answered")

            hold, target = request_in_dialog(devices[0], "INVITE", direction="sendonly", cseq=2)
            devices[0].sock.sendto(hold.encode(), (HOST, port))
            statuses = pump(devices + [caller],
                            lambda: all(held_in(d) for d in devices),
                            "NOTIFY HELD reaches every device")
            check(True, "d1 holds (re-INVITE sendonly): every device sees HELD")
            check("reinvite" in caller.events, "the hold was relayed to the caller")
            oks = [s for s in statuses if s == ("d1", 200)]
            check(oks, "d1's hold re-INVITE answered 200")

            resume, _ = request_in_dialog(devices[0], "INVITE", direction="sendrecv", cseq=3)
            devices[0].sock.sendto(resume.encode(), (HOST, port))
            pump(devices + [caller],
                 lambda: all(not held_in(d) and "confirmed" in last_state(d) for d in devices),
                 "NOTIFY BUSY again after the resume")
            check(True, "d1 resumes (re-INVITE sendrecv): every device sees BUSY again")

            bye, _ = request_in_dialog(devices[0], "BYE", cseq=4)
            devices[0].sock.sendto(bye.encode(), (HOST, port))
            pump(devices + [caller],
                 lambda: all("confirmed" not in last_state(d) for d in devices),
                 "NOTIFY IDLE after d1 hangs up")
            check("bye" in caller.events, "d1's BYE reached the caller")

            # Open hold: d1 answers and holds; d2 picks the call up with an
            # INVITE to the line carrying Replaces (RFC 7463 §5.3). The
            # caller is re-INVITEd with d2's offer, d2 gets 200 with the
            # caller's answer, d1 gets BYE, every device sees BUSY again.
            for d in devices:
                d.answer, d.events = d is devices[0], []
            caller.events, answered[:] = [], []
            inv = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-pick-1;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:outsider@%s>;tag=o3\r\nTo: <%s>\r\n"
                   "Call-ID: pick-call@test\r\nCSeq: 1 INVITE\r\n"
                   "Contact: <sip:outsider@%s:%d>\r\nContent-Type: application/sdp\r\n"
                   "Content-Length: %d\r\n\r\n%s") % (
                LINE, HOST, caller.port, REALM, LINE, HOST, caller.port, len(SDP), SDP)
            caller.sock.sendto(inv.encode(), (HOST, port))
            pump(devices, caller_answered, "d1 answers the line")
            ok = answered[0]
            a_target = re.search(r"<([^>]+)>", header(ok, "Contact")).group(1)
            caller.sock.sendto(ack_for(caller, ok, a_target, 1).encode(), (HOST, port))
            hold, _ = request_in_dialog(devices[0], "INVITE", direction="sendonly", cseq=2)
            devices[0].sock.sendto(hold.encode(), (HOST, port))
            pump(devices + [caller], lambda: all(held_in(d) for d in devices),
                 "NOTIFY HELD after d1's open hold")
            d2 = devices[1]
            d2_sdp = SDP.replace("IN IP4 %s" % HOST, "IN IP4 127.0.0.99")
            check(d2_sdp != SDP, "d2 offers media of its own")
            grab = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-pick-2;rport\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:d2@%s>;tag=g2\r\nTo: <%s>\r\n"
                    "Call-ID: pick-grab@test\r\nCSeq: 1 INVITE\r\nContact: <sip:d2@%s:%d>\r\n"
                    "Replaces: pick-call@test;to-tag=%s;from-tag=o3\r\n"
                    "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s") % (
                LINE, HOST, d2.port, REALM, LINE, HOST, d2.port, node_tag(ok), len(d2_sdp),
                d2_sdp)
            caller.events = []
            d2.sock.sendto(grab.encode(), (HOST, port))
            got = collect(devices + [caller],
                          lambda got: any(u == "d2" and c >= 200 for u, c in got),
                          "the open-hold pick-up is answered")
            final = [c for u, c in got if u == "d2" and c >= 200]
            check(final[:1] == [200], "d2 picks up d1's open hold: 200 (got %r)" % final)
            picked = d2.last_response
            check("c=IN IP4 %s" % HOST in picked.split("\r\n\r\n", 1)[1],
                  "d2's 200 carries the caller's answer")
            check("reinvite" in caller.events and
                  "127.0.0.99" in caller.last_reinvite.split("\r\n\r\n", 1)[1],
                  "the caller was re-INVITEd with d2's offer")
            d2_target = re.search(r"<([^>]+)>", header(picked, "Contact")).group(1)
            d2.sock.sendto(ack_for(d2, picked, d2_target, 1).encode(), (HOST, port))
            pump(devices + [caller],
                 lambda: "bye" in devices[0].events and
                 all(not held_in(d) and "confirmed" in last_state(d) for d in devices),
                 "d1 released and the line BUSY (picked up) for every device")
            check(True, "d1 gets BYE; every device sees the line BUSY, no longer held")
            bye = ("BYE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-pick-3;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: %s\r\nTo: %s\r\nCall-ID: pick-grab@test\r\n"
                   "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n") % (
                d2_target, HOST, d2.port, header(picked, "From"), header(picked, "To"))
            d2.sock.sendto(bye.encode(), (HOST, port))
            pump(devices + [caller],
                 lambda: "bye" in caller.events and
                 all("confirmed" not in last_state(d) for d in devices),
                 "d2's BYE reaches the caller and the line goes IDLE")
            check(True, "d2 hangs up: the caller gets BYE, every device sees IDLE")

            # Private hold: on the private line (hold policy private) d1
            # holds; d2 asking to pick the call up (INVITE to the line with
            # Replaces, RFC 7463 §5.3) is refused 403; d1 itself resumes.
            for d in devices:
                d.answer, d.events = d is devices[0], []
            caller.events, answered[:] = [], []
            inv = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-priv-1;rport\r\n"
                   "Max-Forwards: 70\r\nFrom: <sip:outsider@%s>;tag=o2\r\nTo: <%s>\r\n"
                   "Call-ID: priv-call@test\r\nCSeq: 1 INVITE\r\n"
                   "Contact: <sip:outsider@%s:%d>\r\nContent-Type: application/sdp\r\n"
                   "Content-Length: %d\r\n\r\n%s") % (
                PRIVATE, HOST, caller.port, REALM, PRIVATE, HOST, caller.port, len(SDP), SDP)
            caller.sock.sendto(inv.encode(), (HOST, port))
            pump(devices, caller_answered, "d1 answers the private line")
            ok = answered[0]
            a_target = re.search(r"<([^>]+)>", header(ok, "Contact")).group(1)
            caller.sock.sendto(ack_for(caller, ok, a_target, 1).encode(), (HOST, port))
            hold, _ = request_in_dialog(devices[0], "INVITE", direction="sendonly", cseq=2)
            devices[0].sock.sendto(hold.encode(), (HOST, port))
            got = collect(devices + [caller], lambda got: ("d1", 200) in got,
                          "d1's private hold answered 200")
            check("reinvite" in caller.events, "the private hold was relayed to the caller")

            d2 = devices[1]
            grab = ("INVITE %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK-grab;rport\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:d2@%s>;tag=g1\r\nTo: <%s>\r\n"
                    "Call-ID: grab@test\r\nCSeq: 1 INVITE\r\nContact: <sip:d2@%s:%d>\r\n"
                    "Replaces: priv-call@test;to-tag=%s;from-tag=o2\r\n"
                    "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s") % (
                PRIVATE, HOST, d2.port, REALM, PRIVATE, HOST, d2.port, node_tag(ok), len(SDP),
                SDP)
            d2.sock.sendto(grab.encode(), (HOST, port))
            got = collect(devices + [caller],
                          lambda got: any(u == "d2" and c >= 200 for u, c in got),
                          "the pick-up is answered")
            final = [c for u, c in got if u == "d2" and c >= 200]
            check(final[:1] == [403],
                  "d2 may not pick up d1's private hold: 403 (got %r)" % final)
            check("Private hold: only the holder may retrieve" in node.log_text(),
                  "refused because the hold is private (not for any other reason)")

            resume, _ = request_in_dialog(devices[0], "INVITE", direction="sendrecv", cseq=3)
            devices[0].sock.sendto(resume.encode(), (HOST, port))
            collect(devices + [caller], lambda got: ("d1", 200) in got,
                    "the holder itself resumes the private hold (200)")
            check(True, "the holder itself resumes the private hold (200)")
            bye, _ = request_in_dialog(devices[0], "BYE", cseq=4)
            devices[0].sock.sendto(bye.encode(), (HOST, port))
            check(node.terminate() == 0, "node stops cleanly")
            picked_cdr = re.findall(r"CDR \d+ call pick-call@test (\w+) (\d+)", node.log_text())
            check(picked_cdr == [("transferred", "200")],
                  "the picked-up call left one CDR, transferred: %r" % picked_cdr)
            for d in devices + [outsider]:
                d.close()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
