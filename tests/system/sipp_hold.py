"""Hold and resume on lines in SIPp scenarios against a live ringdownd
(issue 3): d1 and d2 hold a shared line and a line whose hold is private;
both register and watch the line (line_subscriber.xml with -set hold 1).
A caller calls the line, d1 answers (dialog_answer_uas.xml), d2 is
CANCELled; d1 puts the call on hold (dialog_reinvite_uac.xml,
a=sendonly): the caller is re-INVITEd with it and every watcher sees the
line HELD by NOTIFY; d1 resumes (a=sendrecv): the caller is re-INVITEd
again and the watchers see it BUSY again; d1 hangs up: IDLE. On the
private line, d2 asking to take the held call (INVITE with Replaces,
line_refused_uac.xml) is refused with 403 while it is held."""

from sip_common import Node, check, floor_provisioning, node_config, parse_args, workdir
from sipp_scenario import SippSet, all_marked, dialog_id, in_dialog

args = parse_args()
port = args.port
REALM = "floor.test"
SHARED = "sip:desk@%s" % REALM
PRIVATE = "sip:private@%s" % REALM
DEVICES = ("d1", "d2")
WATCH, APPEARANCE, CALLER, PICKER = port + 1, port + 3, port + 5, port + 6


def reinvite(sipp, user, dialog, cseq, direction, state, caller, watchers):
    """d1 re-INVITEs its call with a=`direction`: the caller is re-INVITEd
    alike and every watcher sees the line `state` (a line_subscriber
    marker)."""
    what = {"sendonly": "holds", "sendrecv": "resumes"}[direction]
    sipp.start("d1-%s-%s" % (what, user), "dialog_reinvite_uac.xml", APPEARANCE,
               *in_dialog(dialog, cseq), "-set", "direction", direction).finished(
        "%s: d1 %s (re-INVITE a=%s, 200, ACK)" % (user, what, direction))
    caller.marker(r"(?m)^reinvite %s$" % direction, "the caller re-INVITEd a=" + direction)
    check(True, "%s: the caller is re-INVITEd with a=%s" % (user, direction))
    all_marked(watchers, r"(?m)^%s$" % state,
               "%s: every watcher sees the line %s by NOTIFY" % (user, state.upper()))


def hold_and_resume(node, sipp, line, private):
    """A call to `line` answered by d1, held, resumed and hung up, with
    d1 and d2 watching; on a `private` line d2's retrieval is refused."""
    user = line.split(":")[1].split("@")[0]
    watchers = [sipp.start("watch-%s-%s" % (user, d), "line_subscriber.xml", WATCH + i,
                           *sipp.device(d), "-set", "line", line, "-set", "hold", "1")
                for i, d in enumerate(DEVICES)]
    all_marked(watchers, r"subscribed", "%s: every watcher sees the line idle" % user)
    d1 = sipp.start("d1-" + user, "dialog_answer_uas.xml", APPEARANCE).listening()
    d2 = sipp.start("d2-" + user, "uas_cancel.xml", APPEARANCE + 1).listening()
    caller = sipp.start("caller-" + user, "line_caller_uac.xml", CALLER, "-s", user)
    d1.finished("%s: d1 answered the call" % user)
    d2.finished("%s: d2 rang and was CANCELled" % user)
    all_marked(watchers, r"busy call-id=", "%s: every watcher sees the line BUSY" % user)

    dialog = d1.dialog()
    reinvite(sipp, user, dialog, 1, "sendonly", "held", caller, watchers)

    if private:
        replaces = "Replaces: " + dialog_id(caller.dialog())
        sipp.start("d2-retrieve-" + user, "line_refused_uac.xml", PICKER, *sipp.device("d2"),
                   "-set", "line", line, "-set", "header", replaces).finished(
            "%s: d2 may not take d1's private hold (INVITE with Replaces: 403)" % user)
        check("Private hold: only the holder may retrieve" in node.log_text(),
              "%s: refused because the hold is private" % user)

    reinvite(sipp, user, dialog, 2, "sendrecv", "resumed", caller, watchers)

    sipp.start("d1-bye-" + user, "dialog_bye_uac.xml", APPEARANCE,
               *in_dialog(dialog, 3)).finished("%s: d1 hangs up" % user)
    caller.finished("%s: the caller got the BYE" % user)
    for w in watchers:
        w.finished("%s sees the line IDLE, then unsubscribes" % w.name)


with workdir() as tmp:
    prov = floor_provisioning(tmp, REALM, {
        SHARED: "appearances = 2\n",
        PRIVATE: 'appearances = 1\nprivate = true\nhold = "private"\n'},
        {d: [SHARED, PRIVATE] for d in DEVICES})
    with Node(args.ringdownd, ["--config", node_config(tmp, port), "--provisioning", prov],
              tmp, port) as node, SippSet(tmp, args.scenarios, port, REALM) as sipp:
        for i, d in enumerate(DEVICES):
            sipp.register(d, WATCH + i, APPEARANCE + i)
        hold_and_resume(node, sipp, SHARED, private=False)
        hold_and_resume(node, sipp, PRIVATE, private=True)
