"""(b) TLS: a throw-away self-signed certificate; an OPTIONS over TLS 1.2+
gets 200; a TLS 1.1 client is refused."""

import os
import re
import select
import socket
import ssl
import subprocess
import time

from sip_common import (HOST, Node, check, parse_args, read_message, request, status_of,
                        workdir)

args = parse_args()
port = args.port
tls_port = port + 1
with workdir() as tmp:
    cert = os.path.join(tmp, "cert.pem")
    key = os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    config = os.path.join(tmp, "ringdownd.toml")
    with open(config, "w") as f:
        f.write('[node]\nid = "tls-test"\ndata_dir = "%s"\n'
                '[sip]\nlisten = ["udp:%s:%d", "tls:%s:%d"]\n'
                '[sip.tls]\ncertificate = "%s"\nprivate_key = "%s"\n'
                '[transport]\ntls_handshake_timeout_ms = 500\n'
                '[log]\nlevel = "debug"\n' % (os.path.join(tmp, "data"), HOST, port, HOST,
                                              tls_port, cert, key))
    with Node(args.ringdownd, ["--config", config], tmp, port) as node:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_verify_locations(cert)
        with socket.create_connection((HOST, tls_port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=HOST) as tls:
                check(tls.version() in ("TLSv1.2", "TLSv1.3"),
                      "TLS handshake with %s" % tls.version())
                lp = tls.getsockname()[1]
                tls.sendall(request("OPTIONS", tls_port, lp, transport="TLS").encode())
                reply = read_message(lambda: tls.recv(4096))
                check(status_of(reply) == 200, "OPTIONS over TLS answered 200")
                check(re.search(r"\r\nAllow:[^\r]*OPTIONS", reply) is not None, "200 over TLS carries Allow")
                # RFC 5626 keep-alive on the same connection.
                tls.sendall(b"\r\n\r\n")
                check(tls.recv(16) == b"\r\n", "CRLFCRLF ping answered with CRLF")

        # The same with openssl s_client, as an independent client. It keeps
        # the connection open after stdin ends, so read with a deadline and
        # stop it by PID.
        s_client = subprocess.Popen(
            ["openssl", "s_client", "-connect", "%s:%d" % (HOST, tls_port), "-quiet",
             "-tls1_2"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            s_client.stdin.write(request("OPTIONS", tls_port, 5999, transport="TLS").encode())
            s_client.stdin.flush()
            got = b""
            end = time.monotonic() + 20
            while b"SIP/2.0 200" not in got and time.monotonic() < end:
                ready, _, _ = select.select([s_client.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(s_client.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    got += chunk
        finally:
            s_client.kill()
            s_client.wait()
        check(b"SIP/2.0 200" in got, "openssl s_client -tls1_2 gets 200")

        # A TLS 1.1 client (security level lowered so the client really offers
        # TLS 1.1) must be refused by the server's TLS 1.2 minimum.
        old = subprocess.run(
            ["openssl", "s_client", "-connect", "%s:%d" % (HOST, tls_port), "-tls1_1",
             "-cipher", "DEFAULT@SECLEVEL=0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            timeout=30)
        out = old.stdout.decode(errors="replace")
        check(old.returncode != 0, "openssl s_client -tls1_1 fails (exit %d)" % old.returncode)
        check("New, TLSv1.1" not in out, "no TLS 1.1 session negotiated")
        # A client that connects and never starts the handshake is dropped
        # after tls_handshake_timeout_ms (500 ms here).
        with socket.create_connection((HOST, tls_port), timeout=5) as silent:
            silent.settimeout(5)
            try:
                dropped = silent.recv(100) == b""
            except (ConnectionResetError, socket.timeout) as e:
                dropped = isinstance(e, ConnectionResetError)
            check(dropped, "silent client closed after the handshake timeout")
        check(re.search(r"TLS handshake with \S+ timed out", node.log_text()) is not None,
              "server logged the handshake timeout")
        check(node.alive(), "ringdownd still running")
        check(re.search(r"TLS handshake with \S+ failed", node.log_text()) is not None,
              "server logged the refused handshake")
