"""A shared line in SIPp scenarios against a live ringdownd (issue 3):
three devices hold the line; each registers (device_register.xml) with
its Contact on a SIPp appearance and watches the line
(line_subscriber.xml, RFC 4235 / RFC 7463). A SIPp caller
(line_caller_uac.xml) calls the line URI: all three appearances ring, d1
answers and seizes it (dialog_answer_uas.xml), d2 and d3 are CANCELled
(uas_cancel.xml). Every subscriber must see the line BUSY by NOTIFY,
naming the caller's call; then d1 hangs up (dialog_bye_uac.xml) and every
subscriber must see it IDLE. Each SIPp scenario fails by itself when a
message it expects does not come."""

from sip_common import Node, check, floor_provisioning, node_config, parse_args, workdir
from sipp_scenario import SippSet, all_marked, in_dialog

args = parse_args()
port = args.port
REALM = "floor.test"
LINE = "sip:desk@%s" % REALM
DEVICES = ("d1", "d2", "d3")
WATCH, APPEARANCE, CALLER = port + 1, port + 4, port + 7  # + device index

with workdir() as tmp:
    prov = floor_provisioning(tmp, REALM, {LINE: "appearances = 2\n"},
                              {d: [LINE] for d in DEVICES})
    with Node(args.ringdownd, ["--config", node_config(tmp, port), "--provisioning", prov],
              tmp, port), SippSet(tmp, args.scenarios, port, REALM) as sipp:
        for i, d in enumerate(DEVICES):
            sipp.register(d, WATCH + i, APPEARANCE + i)
        d1 = sipp.start("d1", "dialog_answer_uas.xml", APPEARANCE).listening()
        ringing = [sipp.start(d, "uas_cancel.xml", APPEARANCE + i).listening()
                   for i, d in enumerate(DEVICES) if i > 0]
        watchers = [sipp.start("watch-" + d, "line_subscriber.xml", WATCH + i, *sipp.device(d),
                               "-set", "line", LINE) for i, d in enumerate(DEVICES)]
        all_marked(watchers, r"subscribed",
                   "d1, d2 and d3 subscribed; the first NOTIFY shows the line idle")

        caller = sipp.start("caller", "line_caller_uac.xml", CALLER, "-s", "desk")
        d1.finished("the line rang d1, d1 answered and seized it")
        for r in ringing:
            r.finished("%s rang and was CANCELled (200, 487, ACK)" % r.name)
        caller.marker(r"answered", "the caller's call answered")
        call_id = caller.dialog()["call-id"]
        for w in watchers:
            m = w.marker(r"busy call-id=(\S+)", "%s sees the line BUSY" % w.name)
            check(m.group(1) == call_id, "%s sees the line BUSY by NOTIFY, the caller's call %s"
                  % (w.name, m.group(1)))

        sipp.start("d1-bye", "dialog_bye_uac.xml", APPEARANCE,
                   *in_dialog(d1.dialog(), 1)).finished("d1 hangs up (BYE, 200)")
        caller.finished("the caller got d1's BYE")
        for w in watchers:
            w.finished("%s sees the line IDLE by NOTIFY, then unsubscribes" % w.name)
