"""A UDP registration client for the system tests: REGISTER with MD5
digest (RFC 7616 / RFC 2617 qop=auth) for one resource, optionally on
behalf of a contact elsewhere (a SIPp UAS playing the phone)."""

import hashlib
import re

from sip_common import HOST, check, status_of, udp_recv, udp_socket


class Phone:
    def __init__(self, user, password, realm, node_port, node_host=HOST):
        self.user, self.password, self.realm = user, password, realm
        self.node_port = node_port
        self.node_host = node_host
        self.sock = udp_socket()
        self.port = self.sock.getsockname()[1]
        self.call_id = "reg-%s-%d@test" % (user, self.port)
        self.cseq = 0

    def register(self, expires=600, contact=True, extra="", auth=None, contact_uri=None):
        self.cseq += 1
        aor = "sip:%s@%s" % (self.user, self.realm)
        msg = ("REGISTER sip:%s SIP/2.0\r\n"
               "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%d;rport\r\n"
               "Max-Forwards: 70\r\nFrom: <%s>;tag=f%d\r\nTo: <%s>\r\n"
               "Call-ID: %s\r\nCSeq: %d REGISTER\r\n" % (
                   self.realm, HOST, self.port, self.user, self.cseq, aor, self.port, aor,
                   self.call_id, self.cseq))
        if contact:
            target = contact_uri or "sip:%s@%s:%d" % (self.user, HOST, self.port)
            msg += "Contact: <%s>\r\nExpires: %d\r\n" % (target, expires)
        if auth:
            msg += "Authorization: %s\r\n" % auth
        msg += extra + "Content-Length: 0\r\n\r\n"
        self.sock.sendto(msg.encode(), (self.node_host, self.node_port))
        return udp_recv(self.sock, 5.0)

    def digest(self, challenge, nc=1):
        nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
        uri = "sip:%s" % self.realm
        ha1 = hashlib.md5(("%s:%s:%s" % (self.user, self.realm, self.password)).encode()
                          ).hexdigest()
        ha2 = hashlib.md5(("REGISTER:%s" % uri).encode()).hexdigest()
        cnonce, ncs = "c0ffee", "%08x" % nc
        resp = hashlib.md5(("%s:%s:%s:%s:auth:%s" % (ha1, nonce, ncs, cnonce, ha2)).encode()
                           ).hexdigest()
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
                'algorithm=MD5, qop=auth, nc=%s, cnonce="%s"' % (
                    self.user, self.realm, nonce, uri, resp, ncs, cnonce))

    def register_with_auth(self, expires=600, contact=True, extra="", contact_uri=None):
        first = self.register(expires, contact, extra, contact_uri=contact_uri)
        check(status_of(first) == 401, "%s challenged with 401" % self.user)
        challenge = re.search(r"\r\nWWW-Authenticate: ([^\r]+)", first).group(1)
        check("algorithm=MD5" in challenge, "challenge offers MD5 as configured")
        return self.register(expires, contact, extra, auth=self.digest(challenge),
                             contact_uri=contact_uri)

    def close(self):
        self.sock.close()


def contacts(response):
    return re.findall(r"\r\n(?:Contact|m): ([^\r]+)", response or "")
