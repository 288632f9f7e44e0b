"""A three-party conference across two zones (media issue), with three
baresip phones: alice (london, 440 Hz) starts room "huddle" by calling
sip:conf-huddle@floor.test, so the room runs in london; bob (london,
1000 Hz) joins the same bridge; carol (new-york, 700 Hz) joins through a
conference bridge of her own zone that the node links to london's as one
leg. Each party must hear the two others and not itself: carol hears 440
and 1000 Hz (across the link), alice hears 1000 and 700, bob 440 and 700.
When carol's phone dies without a BYE, her part hangs her call up after
the media timeout and unlinks, and alice still hears bob; when the last
party leaves the room ends. Every call leaves an answered CDR. The admin
API shows each node's parts of the room (home, parties, links), answers
404 for a room it does not run, and an operator's DELETE of bob's party
hangs bob up (his phone gets BYE) while alice stays. GET /v1/metrics
shows the media flowing and the live calls, then no leg, no bridge and
the CDRs written once the room is over.

With --cluster the zones are two nodes (node-1 london on 127.0.0.11,
node-2 new-york on 127.0.0.12): carol's call and her zone's part are on
node-2, the room's registry and home part are found across the cluster,
and the two bridges are linked across the nodes (SRTP, a key each way:
carol hearing alice and bob shows both keys at work)."""

import json
import os
import re
import time
import urllib.error
import urllib.request

import cluster_common as cc
from baresip_common import REALM, Phones, grow, newest_audio, power, stop_all, wait_for
from sip_common import Node, check, parse_args, workdir

args = parse_args()
port = args.port
ROOM = "sip:conf-huddle@%s" % REALM
TONE = {"alice": 440, "bob": 1000, "carol": 700}  # Hz, ausine
USERS = ("alice", "bob", "carol")
# In a cluster alice and bob go through node-1 (london), carol through node-2.
phones = Phones(port, TONE, users=USERS, zone_of={"carol": "new-york"},
                proxy_of={"alice": ("127.0.0.11", port), "bob": ("127.0.0.11", port),
                          "carol": ("127.0.0.12", port)} if args.cluster else None)


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


def admin(address, path, method="GET"):
    """(status, JSON body) of an admin API call to the node at `address`."""
    req = urllib.request.Request("http://%s%s" % (address, path), method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def part_of(address, zone):
    """The room's part in `zone` as the admin API of the node at `address`
    shows it (None when it shows none)."""
    status, body = admin(address, "/v1/conferences")
    check(status == 200, "GET /v1/conferences answers 200 (got %d)" % status)
    parts = [c for c in body["conferences"] if c["room"] == "huddle" and c["zone"] == zone]
    return parts[0] if parts else None


def metrics(address):
    """GET /v1/metrics of the node at `address`."""
    status, body = admin(address, "/v1/metrics")
    check(status == 200, "GET /v1/metrics answers 200 (got %d)" % status)
    return body


def check_metrics_live(address):
    """london's counters while the room runs with alice, bob and carol's
    link: media flows through its bridges, the calls are live."""
    m = metrics(address)
    media = m.get("media", {})
    check(media.get("packets_in", 0) > 0 and media.get("packets_out", 0) > 0 and
          media.get("bridges", 0) >= 1 and media.get("legs", 0) >= 3 and
          m["calls"]["live"] >= 2 and m["sip"]["messages_in"]["udp"] > 0 and
          m["gateway"]["dispatched"] > 0 and media.get("malformed_rtp") == 0,
          "GET /v1/metrics shows the room's media and calls: %r" % m)
    # The same readings for a Prometheus scraper.
    with urllib.request.urlopen("http://%s/metrics" % address, timeout=5) as r:
        ctype, text = r.headers.get("Content-Type", ""), r.read().decode()
    samples = dict(re.findall(r'(?m)^(ringdown_\w+\{[^}]*\}) (\d+)$', text))
    node = 'node="%s"' % m["node"]
    packets = int(samples.get("ringdown_media_packets_in_total{%s}" % node, "0"))
    udp = int(samples.get('ringdown_sip_messages_in_total{%s,transport="udp"}' % node, "0"))
    check(ctype.startswith("text/plain; version=0.0.4") and
          "# TYPE ringdown_media_packets_in_total counter" in text and
          "# TYPE ringdown_media_legs gauge" in text and
          packets >= m["media"]["packets_in"] and udp >= m["sip"]["messages_in"]["udp"] and
          int(samples.get("ringdown_media_legs{%s}" % node, "0")) >= 3,
          "GET /metrics gives the same counters in Prometheus' text format "
          "(%s; packets in %d, SIP over UDP in %d)" % (ctype, packets, udp))
    return m


def wait_metrics_idle(address, before, calls):
    """Once the room is over, london's metrics settle: no leg, no live
    call, `calls` more CDRs written, the packet counters grown since
    `before` (polled until then, at most 10 s)."""
    end = time.monotonic() + 10
    while True:
        m = metrics(address)
        idle = (m["media"]["legs"] == 0 and m["media"]["bridges"] == 0 and
                m["calls"]["live"] == 0 and
                m["cdr"]["written"] >= before["cdr"]["written"] + calls and
                m["media"]["packets_in"] > before["media"]["packets_in"])
        if idle or time.monotonic() > end:
            break
        time.sleep(0.1)
    check(idle, "GET /v1/metrics after the room: no leg, no bridge, no live call, "
          "%d more CDRs written: %r" % (calls, m))


def check_admin(admin_of):
    """Each node's admin API shows the parts of the room it runs."""
    london = part_of(admin_of["london"], "london")
    check(london is not None and london["home"] and
          sorted(p["from"] for p in london["parties"]) ==
          ["sip:alice@%s" % REALM, "sip:bob@%s" % REALM] and
          len(london["links"]) == 1 and london["links"][0].startswith("new-york/"),
          "the admin API shows london's part: the home, alice and bob, new-york linked: %r"
          % london)
    status, body = admin(admin_of["new-york"], "/v1/conferences/huddle")
    ny = [c for c in body.get("conferences", []) if c["zone"] == "new-york"]
    check(status == 200 and len(ny) == 1 and not ny[0]["home"] and
          [p["from"] for p in ny[0]["parties"]] == ["sip:carol@%s" % REALM],
          "the admin API shows new-york's part: carol, not the home: %d %r" % (status, ny))
    status, body = admin(admin_of["london"], "/v1/conferences/nosuch")
    check(status == 404 and "nosuch" in body.get("error", ""),
          "a room the node does not run is 404 with a JSON error: %d %r" % (status, body))
    return london


def run(tmp, procs, log_of, admin_of, nodes_stop):
    """The conference; `log_of[zone]` is the log of the node serving the
    zone's phones, `admin_of[zone]` its admin API address."""
    london, new_york = log_of["london"], log_of["new-york"]
    logs = phones.logs
    phones.command("alice", "dial", ROOM)
    wait_for(logs["alice"], r"Call established", "alice is answered by the room")
    wait_for(london, r"conference huddle: started in zone london",
             "the room runs in alice's zone (london)")
    phones.command("bob", "dial", ROOM)
    wait_for(logs["bob"], r"Call established", "bob is answered by the room")
    phones.command("carol", "dial", ROOM)
    wait_for(logs["carol"], r"Call established", "carol is answered by the room")
    wait_for(new_york, r"conference huddle: part new-york/\S+ joins the home part london/",
             "carol sits in new-york's part of the room")
    wait_for(london, r"conference huddle: part new-york/\S+ linked as leg \d+ \(\S+, SRTP\)",
             "london's bridge takes new-york's as one SRTP leg")
    wait_for(new_york, r"conference huddle: part new-york/\S+ linked to the home part at "
             r"\S+ \(SRTP\)", "new-york's bridge sends to london's over SRTP")
    for user in USERS:
        grow(os.path.join(tmp, user), 1.5)
    for user in USERS:
        check_hears(tmp, user)
    home = check_admin(admin_of)
    live = check_metrics_live(admin_of["london"])

    # Carol's phone dies without a BYE: after the media timeout her part
    # hangs her call up, unlinks from london, and the room goes on.
    procs[USERS.index("carol")].kill()
    procs[USERS.index("carol")].wait()
    wait_for(new_york, r"no RTP in conference huddle for the media timeout: hanging up",
             "carol's silent seat is hung up after the media timeout")
    wait_for(london, r"conference huddle: part new-york/\S+ unlinked",
             "carol's call ends: new-york's part unlinks from london's")
    grow(os.path.join(tmp, "alice"), 1.0)
    p = spectrum(tmp, "alice")
    check(p["bob"] > 1000.0, "alice still hears bob once carol is gone (power %.0f)" % p["bob"])
    # An operator removes bob from the room (admin API): his phone gets BYE.
    bob_call = [p["call_id"] for p in home["parties"] if p["from"].startswith("sip:bob@")][0]
    status, _ = admin(admin_of["london"], "/v1/conferences/huddle/parties/nobody", "DELETE")
    check(status == 404, "removing a party the room does not have is 404 (got %d)" % status)
    status, body = admin(admin_of["london"], "/v1/conferences/huddle/parties/%s" % bob_call,
                         "DELETE")
    check(status == 202 and body.get("call_id") == bob_call,
          "an operator removes bob from the room: 202 (got %d %r)" % (status, body))
    wait_for(logs["bob"], r"(terminated|closed)", "bob's phone is hung up by the node")
    wait_for(london, r"Call-ID %s: left conference huddle" % bob_call,
             "bob's seat is freed")
    check(True, "bob's phone got BYE and his seat is freed")
    left = part_of(admin_of["london"], "london")
    check(left is not None and [p["from"] for p in left["parties"]] ==
          ["sip:alice@%s" % REALM], "the admin API shows alice alone in the room: %r" % left)
    phones.command("alice", "hangup")
    wait_for(london, r"conference huddle: part london/\S+: last party left, part ends",
             "the room ends with its last party")
    for user in USERS:
        wait_for(log_of[phones.zone_of.get(user, "london")],
                 r"ended answered 200 sip:%s@%s -> %s billable" % (user, REALM, ROOM),
                 "%s's call leaves an answered CDR" % user)
    # alice's and bob's calls end on london's node after `live`; carol's
    # too when one node serves both zones.
    wait_metrics_idle(admin_of["london"], live, 2 if args.cluster else 3)
    nodes_stop()


def media_timeout(conf, seconds=3):
    """A short media timeout in the node configuration `conf` ([media] is
    its last table)."""
    with open(conf, "a") as f:
        f.write("timeout_s = %d\n" % seconds)


procs = []
with workdir() as tmp:
    try:
        if not args.cluster:
            node_args = phones.node_args(tmp, media=True)
            media_timeout(node_args[1])
            with open(node_args[1], "a") as f:
                f.write('[admin]\nlisten = "127.0.0.1:%d"\n' % port)  # TCP; SIP is UDP
            with Node(args.ringdownd, node_args, tmp, port) as node:
                phones.start(tmp, procs)
                here = "127.0.0.1:%d" % port
                run(tmp, procs, {"london": node.log_path, "new-york": node.log_path},
                    {"london": here, "new-york": here},
                    lambda: check(node.terminate() == 0, "node stops cleanly"))
        else:
            prov = phones.write_provisioning(tmp)
            n1 = cc.ClusterNode(args.ringdownd, tmp, 1, "127.0.0.11", port, port + 50, [],
                                zone="london", probe_interval_ms=200, probe_timeout_ms=100,
                                provisioning=prov, media=(port + 40, port + 49))
            n2 = cc.ClusterNode(args.ringdownd, tmp, 2, "127.0.0.12", port, port + 50,
                                [n1.cluster_address], zone="new-york", probe_interval_ms=200,
                                probe_timeout_ms=100, provisioning=prov,
                                media=(port + 40, port + 49))
            for n in (n1, n2):
                media_timeout(n.conf)
            try:
                for n in (n1, n2):
                    n.start()
                for n in (n1, n2):
                    n.wait_ready()
                n1.wait_event(n2.id, "joined", 10)
                n2.wait_event(n1.id, "joined", 10)
                check(True, "two nodes, london and new-york, see each other")
                phones.start(tmp, procs)

                def stop_nodes():
                    for n in (n1, n2):
                        check(n.terminate() == 0, "%s stops cleanly" % n.id)
                run(tmp, procs, {"london": n1.log_path, "new-york": n2.log_path},
                    {"london": "%s:%d" % (n1.host, port), "new-york": "%s:%d" % (n2.host, port)},
                    stop_nodes)
            finally:
                for n in (n1, n2):
                    n.stop()
    finally:
        stop_all(procs)
