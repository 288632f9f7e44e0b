"""(a) SIPp sends OPTIONS over UDP and over TCP; ringdownd answers 200 with
Allow, Accept, Supported, Server and a To-tag (checked by the scenario)."""

import os
import subprocess

from sip_common import HOST, Node, check, listen_args, parse_args, workdir

args = parse_args()
port = args.port
with workdir() as tmp:
    specs = ["udp:%s:%d" % (HOST, port), "tcp:%s:%d" % (HOST, port)]
    with Node(args.ringdownd, listen_args(specs, tmp), tmp, port):
        for transport, client_port in (("u1", port + 1), ("t1", port + 2)):
            cmd = ["sipp", "%s:%d" % (HOST, port), "-sf",
                   os.path.join(args.scenarios, "options.xml"), "-m", "3", "-t", transport,
                   "-i", HOST, "-p", str(client_port), "-nostdin", "-timeout", "10s",
                   "-timeout_error", "-trace_err", "-error_file",
                   os.path.join(tmp, "sipp_%s_errors.log" % transport)]
            result = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, timeout=60)
            if result.returncode != 0:
                print(result.stdout.decode(errors="replace")[-3000:])
                err = os.path.join(tmp, "sipp_%s_errors.log" % transport)
                if os.path.exists(err):
                    print(open(err).read()[-3000:])
            check(result.returncode == 0,
                  "sipp OPTIONS over %s exits 0 (got %d)" % (transport, result.returncode))
