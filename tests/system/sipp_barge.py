"""Barge in SIPp scenarios against a live ringdownd with the media bridge
(issue 3): d1 holds a shared line that allows barging, d2 a private line,
d3 both. A caller calls each line; d1 and d2 answer
(dialog_answer_uas.xml). d3 watches the shared line (line_subscriber.xml
with -set barge 1) and learns its call from the BUSY NOTIFY. d3's barge
into the private line's call (INVITE with Join, RFC 3911,
line_refused_uac.xml) is refused with 403; its barge into the shared
line's call (line_join_uac.xml) is answered 200 by the call's bridge,
both parties are told by INFO (line_caller_uac.xml,
dialog_serve_uas.xml), the watcher sees the joined dialog; d3 leaves and
the call goes on until d1 hangs up."""

from sip_common import Node, check, floor_provisioning, node_config, parse_args, workdir
from sipp_scenario import SippSet, dialog_id, in_dialog

args = parse_args()
port = args.port
REALM = "floor.test"
SHARED = "sip:desk@%s" % REALM
PRIVATE = "sip:private@%s" % REALM
D1, D2, WATCH, CALLER, BARGER = port + 1, port + 2, port + 3, port + 4, port + 6


def join(call):
    return "Join: " + dialog_id(call)


with workdir() as tmp:
    prov = floor_provisioning(tmp, REALM, {
        SHARED: "appearances = 2\nbarge_allowed = true\n",
        PRIVATE: "appearances = 1\nprivate = true\nbarge_allowed = false\n"},
        {"d1": [SHARED], "d2": [PRIVATE], "d3": [SHARED, PRIVATE]})
    with Node(args.ringdownd, ["--config", node_config(tmp, port, media=True),
                               "--provisioning", prov], tmp, port) as node, \
            SippSet(tmp, args.scenarios, port, REALM) as sipp:
        sipp.register("d1", WATCH, D1)
        sipp.register("d2", WATCH, D2)
        watch = sipp.start("watch-d3", "line_subscriber.xml", WATCH, *sipp.device("d3"),
                           "-set", "line", SHARED, "-set", "barge", "1")
        watch.marker(r"subscribed", "d3's first NOTIFY shows the shared line idle")
        d1 = sipp.start("d1", "dialog_answer_uas.xml", D1).listening()
        d2 = sipp.start("d2", "dialog_answer_uas.xml", D2).listening()
        shared_caller = sipp.start("caller-desk", "line_caller_uac.xml", CALLER, "-s", "desk")
        private_caller = sipp.start("caller-private", "line_caller_uac.xml", CALLER + 1,
                                    "-s", "private")
        d1.finished("d1 answered the shared line's call")
        d2.finished("d2 answered the private line's call")
        busy = watch.marker(r"busy call-id=(\S+)", "d3 sees the shared line BUSY").group(1)
        shared_call = shared_caller.dialog()
        check(busy == shared_call["call-id"],
              "d3 sees the shared line BUSY by NOTIFY, naming its call %s" % busy)

        sipp.start("d3-barge-private", "line_refused_uac.xml", BARGER, *sipp.device("d3"),
                   "-set", "line", PRIVATE, "-set", "header",
                   join(private_caller.dialog())).finished(
            "d3's barge into the private line's call is refused (Join: 403)")
        check("Barge not allowed on this line" in node.log_text(),
              "refused because the line does not allow barging")

        d1_info = sipp.start("d1-info", "dialog_serve_uas.xml", D1).listening()
        barger = sipp.start("d3-barge", "line_join_uac.xml", BARGER, *sipp.device("d3"),
                            "-set", "line", SHARED, "-set", "header", join(shared_call))
        barger.finished("d3 barges into the shared line's call (Join: 200, ACK), then leaves "
                        "(BYE)")
        media = int(barger.marker(r"entered m=audio (\d+)", "the barge answered").group(1))
        check(port + 40 <= media < port + 50,
              "d3 was answered by the call's media bridge (port %d)" % media)
        d1_info.finished("d1 is told of the barge by INFO")
        shared_caller.marker(r"(?m)^info$", "the caller is told of the barge by INFO")
        check(True, "the caller is told of the barge by INFO")
        watch.marker(r"(?m)^joined$", "d3 sees the joined dialog")
        check(True, "the watcher sees the barger's dialog joined to the call (sa:joined-dialog)")

        watch.marker(r"(?m)^left$", "the line shows the call without d3 once it left")
        check(True, "the watcher sees the call go on without the barger once it left")
        sipp.start("d1-bye", "dialog_bye_uac.xml", D1,
                   *in_dialog(d1.dialog(), 1)).finished("d1 hangs up after the barger left")
        shared_caller.finished("the shared line's caller got the BYE")
        watch.finished("d3 sees the shared line IDLE, then unsubscribes")
        sipp.start("d2-bye", "dialog_bye_uac.xml", D2,
                   *in_dialog(d2.dialog(), 1)).finished("d2 hangs up")
        private_caller.finished("the private line's caller got the BYE")
