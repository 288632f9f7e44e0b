"""Blind and attended transfer through a live ringdownd (issue 3, RFC 3515 / RFC 5589):
alice calls bob, bob REFERs the call to carol; ringdownd accepts (202),
reports progress to bob by NOTIFY message/sipfrag, calls carol, connects
alice to her, releases bob, and the CDR records the transfer."""

import os
import re

from device import (SDP, Device, ack_for, collect, header, in_dialog_as_caller,
                    invite_from, request_in_dialog)
from sip_common import HOST, Node, check, node_config, parse_args, workdir

args = parse_args()
port = args.port
REALM = "floor.test"
USERS = ("alice", "bob", "carol")
ABSENT = "dave"  # provisioned, never registered


def write_files(tmp):
    prov = os.path.join(tmp, "provisioning.toml")
    with open(prov, "w") as f:
        f.write('realm = "%s"\n[[zone]]\nname = "london"\n' % REALM)
        for u in USERS + (ABSENT,):
            f.write('[[resource]]\nname = "%s"\naor = "sip:%s@%s"\nzone = "london"\n'
                    'password = "%s-pw"\n' % (u, u, REALM, u))
    return ["--config", node_config(tmp, port, media=args.media), "--provisioning", prov]


def answered_invite(d):
    """The device's last response is a 200 to its INVITE."""
    r = getattr(d, "last_response", "")
    return r.startswith("SIP/2.0 200") and "INVITE" in header(r, "CSeq")


with workdir() as tmp:
    with Node(args.ringdownd, write_files(tmp), tmp, port) as node:
        alice, bob, carol = (Device(u, REALM, port) for u in USERS)
        phones = [alice, bob, carol]
        for p in phones:
            check(p.register_with_auth().startswith("SIP/2.0 200"), "%s registered" % p.user)
        bob.answer = carol.answer = True

        # alice calls bob; bob answers.
        alice.sock.sendto(invite_from(alice, "sip:bob@%s" % REALM, "xfer@test", "a1").encode(),
                          (HOST, port))
        answers = []

        def alice_answered(got):
            return any(u == "alice" and s == 200 for u, s in got)
        got = collect(phones, alice_answered, "alice's call to bob answered")
        check("answered" in bob.events, "bob answered")
        ok = alice.last_response
        alice.sock.sendto(ack_for(alice, ok, re.search(r"<([^>]+)>", header(ok, "Contact")
                                                          ).group(1), 1).encode(), (HOST, port))

        # A transfer to nobody fails, and says why in its final sipfrag
        # (RFC 3515 §2.4.5): a user the realm does not have is 404, one
        # with no live contact 480. The call goes on.
        for cseq, (target, status) in enumerate(
                (("nobody", "404"), (ABSENT, "480")), start=2):
            refer, _ = request_in_dialog(bob, "REFER", cseq=cseq)
            refer = refer.replace("Content-Length: 0", "Refer-To: <sip:%s@%s>\r\n"
                                  "Content-Length: 0" % (target, REALM))
            bob.notifies = []
            bob.sock.sendto(refer.encode(), (HOST, port))
            collect(phones, lambda got: any(n.startswith("SIP/2.0 %s" % status)
                                            for n in bob.notifies),
                    "the transfer to %s fails with %s" % (target, status))
            check(True, "a transfer to %s fails: bob's final sipfrag says %s" % (target, status))
        check("bye" not in bob.events and "bye" not in alice.events,
              "the failed transfers left alice and bob talking")

        # bob transfers alice to carol (blind).
        refer, _ = request_in_dialog(bob, "REFER", cseq=4)
        refer = refer.replace("Content-Length: 0", "Refer-To: <sip:carol@%s>\r\n"
                              "Referred-By: <sip:bob@%s>\r\nContent-Length: 0" % (REALM, REALM))
        bob.sock.sendto(refer.encode(), (HOST, port))
        got = collect(phones, lambda got: ("bob", 202) in got, "REFER accepted with 202")
        check(True, "bob's REFER accepted with 202 Accepted")
        collect(phones, lambda got: "bye" in bob.events and "answered" in carol.events,
                "carol answers and bob is released", 15)
        check("answered" in carol.events, "ringdownd called carol and she answered")
        frags = [n for n in bob.notifies if "SIP/2.0" in n]
        check(any(n.startswith("SIP/2.0 200") for n in frags),
              "bob got NOTIFY message/sipfrag with the 200 of the transfer: %r"
              % [n[:20] for n in frags])
        check("bye" in bob.events, "bob (the transferor) was released by BYE")
        check("reinvite" in alice.events, "alice was re-INVITEd towards carol")
        if args.media:
            # Blind transfer keeps alice on the call's bridge.
            m = re.search(r"m=audio (\d+)", alice.last_reinvite)
            check(m is not None and port + 40 <= int(m.group(1)) < port + 50,
                  "alice stays on the call's bridge (port %s)" % (m.group(1) if m else "?"))

        # alice hangs up: carol gets the BYE.
        bye = in_dialog_as_caller(alice, ok, "BYE", 2)
        alice.sock.sendto(bye.encode(), (HOST, port))
        collect(phones, lambda got: "bye" in carol.events, "carol gets alice's BYE")
        check(True, "alice's BYE reached carol")
        check(node.terminate() == 0, "node stops cleanly")
        cdr = re.findall(r"CDR (\d+) call xfer@test (\w+) (\d+)", node.log_text())
        check(len(cdr) == 1 and cdr[0][1] == "transferred",
              "the call's CDR records the transfer: %r" % cdr)

    # Attended transfer (RFC 5589 §7): alice calls bob, bob consults carol
    # on a second call, then REFERs alice to carol with Replaces naming the
    # consultation; ringdownd joins alice and carol and releases bob.
    with Node(args.ringdownd, write_files(tmp), tmp, port) as node:
        for p in phones:
            p.events, p.notifies, p.last_response = [], [], ""
        bob.answer, carol.answer = True, True
        alice.sock.sendto(invite_from(alice, "sip:bob@%s" % REALM, "att1@test", "a2").encode(),
                          (HOST, port))
        collect(phones, lambda got: answered_invite(alice), "call 1 (alice to bob) answered")
        ok1 = alice.last_response
        alice.sock.sendto(ack_for(alice, ok1, re.search(r"<([^>]+)>", header(ok1, "Contact")
                                                            ).group(1), 1).encode(), (HOST, port))
        bob_call1 = bob.invite
        bob.answer = False
        bob.sock.sendto(invite_from(bob, "sip:carol@%s" % REALM, "att2@test", "b2").encode(),
                        (HOST, port))
        collect(phones, lambda got: answered_invite(bob), "call 2 (bob to carol) answered")
        ok2 = bob.last_response
        bob.sock.sendto(ack_for(bob, ok2, re.search(r"<([^>]+)>", header(ok2, "Contact")
                                                        ).group(1), 1).encode(), (HOST, port))
        to_tag = re.search(r";tag=([^;>\s]+)", header(ok2, "To")).group(1)
        replaces = "att2%%40test%%3Bto-tag%%3D%s%%3Bfrom-tag%%3Db2" % to_tag
        bob.invite = bob_call1  # REFER goes in call 1's dialog
        refer, _ = request_in_dialog(bob, "REFER", cseq=2)
        refer = refer.replace("Content-Length: 0", "Refer-To: <sip:carol@%s?Replaces=%s>\r\n"
                              "Referred-By: <sip:bob@%s>\r\nContent-Length: 0"
                              % (REALM, replaces, REALM))
        bob.sock.sendto(refer.encode(), (HOST, port))
        collect(phones, lambda got: ("bob", 202) in got, "attended REFER accepted")
        check(True, "bob's REFER with Replaces accepted with 202")
        collect(phones, lambda got: bob.events.count("bye") >= 2 and "reinvite" in alice.events
                and "reinvite" in carol.events, "alice and carol joined, bob released", 15)
        check(True, "alice and carol re-INVITEd to each other, bob released from both calls")
        if args.media:
            # Attended transfer joins two calls, each with its own bridge:
            # alice and carol are given each other's own media address.
            for d in (alice, carol):
                m = re.search(r"m=audio (\d+)", d.last_reinvite)
                check(m is not None and int(m.group(1)) == 7000,
                      "%s talks to the other party directly (port %s)"
                      % (d.user, m.group(1) if m else "?"))
        # Alice and carol now talk through the two linked calls: alice's
        # hold and resume (re-INVITEs in call 1) reach carol in call 2 and
        # carol's 200 comes back (before the link they got 491).
        target1 = re.search(r"<([^>]+)>", header(ok1, "Contact")).group(1)
        for cseq, direction in ((2, "sendonly"), (3, "sendrecv")):
            offer = SDP.replace("o=d 1 1", "o=d 1 %d" % cseq) + "a=%s\r\n" % direction
            seen = carol.events.count("reinvite")
            alice.last_response = ""
            alice.sock.sendto(in_dialog_as_caller(
                alice, ok1, "INVITE", cseq, "Contact: <sip:alice@%s:%d>\r\n"
                "Content-Type: application/sdp\r\n" % (HOST, alice.port), offer).encode(),
                (HOST, port))
            collect(phones, lambda got: answered_invite(alice) or any(
                u == "alice" and s >= 300 for u, s in got), "alice's %s re-INVITE answered"
                % direction)
            check(answered_invite(alice) and header(alice.last_response, "CSeq") ==
                  "%d INVITE" % cseq, "alice's %s re-INVITE relayed and answered 200 (%r)"
                  % (direction, alice.last_response[:20]))
            check(carol.events.count("reinvite") == seen + 1 and
                  "a=%s" % direction in carol.last_reinvite,
                  "carol got alice's %s offer through the linked calls" % direction)
            alice.sock.sendto(ack_for(alice, alice.last_response, target1, cseq).encode(),
                              (HOST, port))
        bye = in_dialog_as_caller(alice, ok1, "BYE", 4)
        alice.sock.sendto(bye.encode(), (HOST, port))
        collect(phones, lambda got: "bye" in carol.events, "carol gets alice's BYE")
        check(True, "alice's BYE reached carol: they were talking")
        check(node.terminate() == 0, "node stops cleanly")
        kinds = re.findall(r"CDR \d+ call (att\d@test) (\w+) (\d+)", node.log_text())
        check(("att1@test", "transferred", "200") in kinds,
              "call 1's CDR records the transfer: %r" % kinds)
    for p in phones:
        p.close()
