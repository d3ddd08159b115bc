#!/usr/bin/env python3
"""A real SMTP server for the issuer's tests, from the aiosmtpd package.

Listens on 127.0.0.1 on a free port and prints `READY <port>`, then one JSON
line per accepted message: {"auth": user or null, "tls": bool,
"recipients": [...], "data": "..."}. Stops when its standard input closes
(the test that started it is gone).

Options: --user U --password P (AUTH PLAIN/LOGIN required), --cert C --key K
(STARTTLS offered, or required with --require-tls; implicit TLS with
--implicit-tls). Exits with status 3 and says so when aiosmtpd is missing.
"""

import argparse
import json
import socket
import ssl
import sys
import threading

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:
    print("aiosmtpd missing: install Debian's python3-aiosmtpd (./test does) or `pip install --user aiosmtpd`",
          file=sys.stderr, flush=True)
    sys.exit(3)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        auth = session.auth_data.decode() if isinstance(session.auth_data, bytes) else session.auth_data
        print(json.dumps({
            "auth": auth,
            "tls": session.ssl is not None
                   or server.transport.get_extra_info("ssl_object") is not None,
            "recipients": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", "replace"),
        }), flush=True)
        return "250 queued"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--require-tls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, data):
        ok = (args.user is not None
              and data.login.decode() == args.user
              and data.password.decode() == args.password)
        # handled=False: aiosmtpd then answers a refusal itself (535); its
        # default (True) would leave the client waiting for an answer.
        return AuthResult(success=ok, handled=False, auth_data=args.user if ok else None)

    kwargs = {
        "auth_required": args.user is not None,
        # With implicit TLS aiosmtpd does not see the session as secured
        # and would hide AUTH: the socket itself is TLS there.
        "auth_require_tls": args.require_tls and not args.implicit_tls,
        "authenticator": authenticator,
    }
    if context is not None and not args.implicit_tls:
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = args.require_tls
    if args.implicit_tls:
        kwargs["ssl_context"] = context

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print(f"READY {port}", flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
