"""Call diversion from one zone to another through a live ringdownd (issue 3):
bob (zone london) diverts to carol (zone new-york) when busy, dave always,
erin when she has no registered phone, fay when her phone rings for more
than a second. alice calls each: carol's INVITE
carries a Diversion header (RFC 5806) naming who diverted and why, alice
is connected to carol and, once she has ACKed, told so by an UPDATE with
P-Asserted-Identity; every call leaves an answered CDR that records
the diversion."""

import os
import re

from device import Device, ack_for, collect, header, in_dialog_as_caller, invite_from
from sip_common import HOST, Node, check, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
CAROL = "sip:carol@%s" % REALM


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n[[zone]]\nname = "new-york"\n'
                % REALM)

        def resource(name, zone, more=""):
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "%s"\n'
                    'password = "%s-pw"\n%s' % (name, name, REALM, zone, name, more))
        resource("alice", "london")
        resource("bob", "london", 'divert_to = "%s"\ndivert_on = ["busy"]\n' % CAROL)
        resource("dave", "london", 'divert_to = "%s"\ndivert_on = ["always"]\n' % CAROL)
        resource("erin", "london", 'divert_to = "%s"\ndivert_on = ["unavailable"]\n' % CAROL)
        resource("fay", "london",
                 'divert_to = "%s"\ndivert_on = ["no_answer"]\ndivert_after_s = 1\n' % CAROL)
        resource("carol", "new-york")
    return ["--config", node_config(tmp, port), "--provisioning", prov]


def caller_invite(alice, callee, call_id, tag):
    """alice's INVITE, saying she accepts UPDATE (RFC 3311)."""
    return invite_from(alice, "sip:%s@%s" % (callee, REALM), call_id, tag).replace(
        "Contact:", "Allow: INVITE, ACK, CANCEL, BYE, UPDATE\r\nContact:", 1)


with workdir() as tmp:
    with Node(args.ringdownd, write_files(tmp), tmp, port) as node:
        alice, bob, dave, carol, fay = (Device(u, REALM, port)
                                        for u in ("alice", "bob", "dave", "carol", "fay"))
        phones = [alice, bob, dave, carol, fay]
        for p in phones:
            check(p.register_with_auth().startswith("SIP/2.0 200"), "%s registered" % p.user)
        bob.busy = True
        carol.answer = True

        def call_diverted(callee, call_id, reason, rung):
            for p in phones:
                p.events = []
            alice.last_response = ""
            carol.invite = ""
            alice.sock.sendto(caller_invite(alice, callee, call_id, "a-" + callee).encode(),
                              (HOST, port))
            collect(phones, lambda got: ("alice", 200) in got,
                    "alice's call to %s answered" % callee)
            check("answered" in carol.events, "%s's call reaches carol" % callee)
            check(rung(), "%s: %s" % (callee, {"user-busy": "bob was rung and was busy",
                                               "unconditional": "dave was not rung",
                                               "unavailable": "erin has no phone to ring",
                                               "no-answer": "fay's phone rang, then was "
                                                            "CANCELled"}
                                     [reason]))
            diversion = header(carol.invite, "Diversion")
            check(diversion == "<sip:%s@%s>;reason=%s;counter=1" % (callee, REALM, reason),
                  "carol's INVITE says who diverted and why: %r" % diversion)
            ok = alice.last_response
            target = re.search(r"<([^>]+)>", header(ok, "Contact")).group(1)
            alice.sock.sendto(ack_for(alice, ok, target, 1).encode(), (HOST, port))
            collect(phones, lambda got: "update" in alice.events,
                    "alice is told whom she reached")
            pai = header(alice.last_update, "P-Asserted-Identity")
            check(pai == "<%s>" % CAROL, "UPDATE with P-Asserted-Identity carol: %r" % pai)
            check(header(alice.last_update, "Call-ID") == call_id,
                  "the UPDATE is in alice's own dialog")
            alice.sock.sendto(in_dialog_as_caller(alice, ok, "BYE", 2).encode(), (HOST, port))
            collect(phones, lambda got: "bye" in carol.events and ("alice", 200) in got,
                    "alice hangs up and carol gets the BYE")
            check(True, "the diverted call to %s ends with alice's BYE" % callee)

        call_diverted("bob", "div-busy@test", "user-busy", lambda: "busy" in bob.events)
        call_diverted("dave", "div-always@test", "unconditional",
                      lambda: "ringing" not in dave.events)
        call_diverted("erin", "div-unavailable@test", "unavailable",
                      lambda: "erin@floor.test diverted to %s (unavailable)" % CAROL
                      in node.log_text())

        call_diverted("fay", "div-noanswer@test", "no-answer",
                      lambda: "ringing" in fay.events and "cancelled" in fay.events)

        check(node.terminate() == 0, "node stops cleanly (CDRs flushed)")
        cdrs = re.findall(r"CDR \d+ call (div-\S+) (\w+) (\d+) diverted (\S+) from (\S+) to (\S+)",
                          node.log_text())
        check(sorted(cdrs) == [
            ("div-always@test", "answered", "200", "unconditional", "sip:dave@floor.test", CAROL),
            ("div-busy@test", "answered", "200", "user-busy", "sip:bob@floor.test", CAROL),
            ("div-noanswer@test", "answered", "200", "no-answer", "sip:fay@floor.test", CAROL),
            ("div-unavailable@test", "answered", "200", "unavailable", "sip:erin@floor.test",
             CAROL)],
              "every diverted call left one answered CDR recording the diversion: %r" % cdrs)
        for p in phones:
            p.close()
