#!/usr/bin/python3
"""A real SMTP server on loopback for fiscpos's tests (Debian's python3-aiosmtpd).

It stores every message it accepts as DIR/N.eml (the bytes as received) and prints
"smtp listening on PORT" once it listens. Options:
  --starttls CERT KEY   offer STARTTLS with this certificate and require it before MAIL
  --tls CERT KEY        implicit TLS from the first byte (port 465 style)
  --user NAME --password SECRET   require AUTH (PLAIN or LOGIN), only over TLS
  --refuse CODE         answer every RCPT TO with CODE (e.g. 550, 450)
  --drop                store the message, then close the connection without answering it
"""
import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--starttls", nargs=2)
    parser.add_argument("--tls", nargs=2)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--refuse", type=int)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    class Store:
        count = 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if args.refuse:
                return f"{args.refuse} recipient refused by the test server"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            Store.count += 1
            path = os.path.join(args.dir, f"{Store.count}.eml")
            with open(path + ".part", "wb") as out:
                out.write(envelope.original_content or envelope.content)
            os.rename(path + ".part", path)
            if args.drop:
                server.transport.close()
            return f"250 OK queued as {Store.count}"

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              auth_data.login.decode() == args.user and
              auth_data.password.decode() == args.password)
        # handled=False: the server answers 235 or 535 itself.
        return AuthResult(success=ok, handled=False)

    def context(pair):
        made = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        made.load_cert_chain(pair[0], pair[1])
        return made

    options = {"hostname": "smtp.test", "decode_data": False}
    if args.starttls:
        options.update(tls_context=context(args.starttls), require_starttls=True)
    if args.user:
        options.update(authenticator=authenticate, auth_required=True,
                       auth_require_tls=True)

    async def serve():
        server = await asyncio.get_running_loop().create_server(
            lambda: SMTP(Store(), **options), "127.0.0.1", 0,
            ssl=context(args.tls) if args.tls else None)
        print(f"smtp listening on {server.sockets[0].getsockname()[1]}", flush=True)
        await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
