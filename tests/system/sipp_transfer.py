"""Blind and attended transfer in SIPp scenarios against a live ringdownd
(issue 3, RFC 3515, RFC 5589): a caller (line_caller_uac.xml) calls bob,
who answers (dialog_answer_uas.xml) and REFERs the call
(transfer_refer_uac.xml): 202, NOTIFYs of message/sipfrag up to the 200,
then bob is released by BYE. Blind: the node calls carol, who answers,
and the caller is re-INVITEd towards her. Attended: bob first consults
carol on a call of his own, then REFERs with Replaces naming it; the
caller and carol are re-INVITEd to each other and bob's consultation is
ended by BYE. Then carol hangs up (dialog_bye_uac.xml) and the caller
gets the BYE; each CDR records the transfer."""

import re
from urllib.parse import quote

from sip_common import Node, check, floor_provisioning, node_config, parse_args, workdir
from sipp_scenario import SippSet, dialog_id, in_dialog

args = parse_args()
port = args.port
REALM = "floor.test"
CALLER, BOB, CAROL, CONSULT = port + 1, port + 2, port + 3, port + 4
CAROL_URI = "sip:carol@%s" % REALM


def transfer(sipp, name, attended):
    bob = sipp.start("bob-" + name, "dialog_answer_uas.xml", BOB).listening()
    carol = sipp.start("carol-" + name, "dialog_answer_uas.xml", CAROL).listening()
    caller = sipp.start("caller-" + name, "line_caller_uac.xml", CALLER, "-s", "bob")
    bob.finished("%s: bob answered the caller" % name)
    refer_to = CAROL_URI
    if attended:
        consult = sipp.start("consult-" + name, "line_caller_uac.xml", CONSULT, "-s", "carol")
        carol.finished("%s: carol answered bob's consultation" % name)
        consult.marker(r"answered", "bob's consultation answered")
        refer_to += "?Replaces=" + quote(dialog_id(consult.dialog()), safe="")
        carol_next = sipp.start("carol-reinvite-" + name, "dialog_serve_uas.xml",
                                CAROL).listening()
    sipp.start("bob-refer-" + name, "transfer_refer_uac.xml", BOB, *in_dialog(bob.dialog(), 1),
               "-set", "refer_to", refer_to).finished(
        "%s: bob's REFER accepted (202), NOTIFY sipfrag up to 200, bob released by BYE" % name)
    if attended:
        consult.finished("%s: bob's consultation with carol ended by BYE" % name)
        carol_next.finished("%s: carol re-INVITEd towards the caller" % name)
    else:
        carol.finished("%s: the node called carol and she answered" % name)
    caller.marker(r"(?m)^reinvite", "the caller re-INVITEd towards carol")
    check(True, "%s: the caller is re-INVITEd towards carol" % name)
    sipp.start("carol-bye-" + name, "dialog_bye_uac.xml", CAROL,
               *in_dialog(carol.dialog(), 1)).finished("%s: carol hangs up" % name)
    caller.finished("%s: carol's BYE reaches the caller: they were talking" % name)
    return caller.dialog()["call-id"]


with workdir() as tmp:
    prov = floor_provisioning(tmp, REALM, {}, {"bob": [], "carol": []})
    with Node(args.ringdownd, ["--config", node_config(tmp, port), "--provisioning", prov],
              tmp, port) as node, SippSet(tmp, args.scenarios, port, REALM) as sipp:
        sipp.register("bob", BOB, BOB)
        sipp.register("carol", CAROL, CAROL)
        calls = [transfer(sipp, "blind", attended=False),
                 transfer(sipp, "attended", attended=True)]
        check(node.terminate() == 0, "node stops cleanly")
        for call_id in calls:
            cdr = re.findall(r"CDR \d+ call %s (\w+) (\d+)" % re.escape(call_id),
                             node.log_text())
            check(cdr == [("transferred", "200")],
                  "the CDR of %s records the transfer: %r" % (call_id, cdr))
