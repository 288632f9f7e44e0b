"""A three-party conference across two zones (media issue), with three
baresip phones: alice (london, 440 Hz) starts room "huddle" by calling
sip:conf-huddle@floor.test, so the room runs in london; bob (london,
1000 Hz) joins the same bridge; carol (new-york, 700 Hz) joins through a
conference bridge of her own zone that the node links to london's as one
leg. Each party must hear the two others and not itself: carol hears 440
and 1000 Hz (across the link), alice hears 1000 and 700, bob 440 and 700.
When carol leaves, new-york's part unlinks; when the last party leaves the
room ends. Every call leaves an answered CDR."""

import os

from baresip_common import REALM, Phones, grow, newest_audio, power, stop_all, wait_for
from sip_common import Node, check, parse_args, workdir

args = parse_args()
port = args.port
ROOM = "sip:conf-huddle@%s" % REALM
TONE = {"alice": 440, "bob": 1000, "carol": 700}  # Hz, ausine
USERS = ("alice", "bob", "carol")
phones = Phones(port, TONE, users=USERS, zone_of={"carol": "new-york"})


def spectrum(tmp, user, seconds=1.0):
    """Power of each party's tone in the user's newest `seconds` of audio."""
    rate, samples = newest_audio(os.path.join(tmp, user), seconds)
    return {who: power(samples, rate, hz) for who, hz in TONE.items()}


def check_hears(tmp, user):
    p = spectrum(tmp, user)
    others = [who for who in USERS if who != user]
    # Each of the others stands 10 dB over the listener's own tone (N-1:
    # nobody hears itself), and well over silence.
    for who in others:
        check(p[who] > 10 * p[user] and p[who] > 1000.0,
              "%s hears %s's %d Hz (power %.0f; its own %d Hz: %.0f)"
              % (user, who, TONE[who], p[who], TONE[user], p[user]))


procs = []
with workdir() as tmp:
    try:
        with Node(args.ringdownd, phones.node_args(tmp, media=True), tmp, port) as node:
            phones.start(tmp, procs)
            logs = phones.logs
            phones.command("alice", "dial", ROOM)
            wait_for(logs["alice"], r"Call established", "alice is answered by the room")
            wait_for(node.log_path, r"conference huddle: started in zone london",
                     "the room runs in alice's zone (london)")
            phones.command("bob", "dial", ROOM)
            wait_for(logs["bob"], r"Call established", "bob is answered by the room")
            phones.command("carol", "dial", ROOM)
            wait_for(logs["carol"], r"Call established", "carol is answered by the room")
            wait_for(node.log_path, r"conference huddle: zone new-york joins the conference "
                     r"of another zone", "carol sits in new-york's part of the room")
            wait_for(node.log_path, r"conference huddle: zone new-york linked as leg \d+",
                     "london's bridge takes new-york's as one leg")
            wait_for(node.log_path, r"conference huddle: zone new-york linked to the home part",
                     "new-york's bridge sends to london's")
            for user in USERS:
                grow(os.path.join(tmp, user), 1.5)
            for user in USERS:
                check_hears(tmp, user)

            phones.command("carol", "hangup")
            wait_for(node.log_path, r"conference huddle: zone new-york unlinked",
                     "carol leaves: new-york's part unlinks from london's")
            phones.command("bob", "hangup")
            phones.command("alice", "hangup")
            wait_for(node.log_path, r"conference huddle: zone london: last party left, "
                     r"part ends", "the room ends with its last party")
            for user in USERS:
                wait_for(node.log_path, r"ended answered 200 sip:%s@%s -> %s billable"
                         % (user, REALM, ROOM), "%s's call leaves an answered CDR" % user)
            check(node.terminate() == 0, "node stops cleanly")
    finally:
        stop_all(procs)
