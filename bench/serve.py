#!/usr/bin/env python3
"""A loopback HTTP server for `make bench` that answers every request with one file, the same
bytes for every client measured: bench/serve.py XMLFILE JSONFILE. format=1 in the request
(query or form body) picks the JSON file. Prints "port N" once it listens. With
BENCH_FIRST_BYTE set to a file, appends the wall-clock time (seconds since the epoch) at which
each answer's first byte goes to the socket, so a client's figure can be taken from there."""
import http.server
import os
import socketserver
import sys
import time

FILES = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, body):
        data = FILES["json" if "format=1" in (self.path + body) else "xml"]
        self.send_response(200)
        self.send_header("Content-Type", "text/xml" if data[:1] == b"<" else "application/json")
        self.send_header("Content-Length", str(len(data)))
        log = os.environ.get("BENCH_FIRST_BYTE")
        if log:
            with open(log, "a") as f:
                f.write("%.6f\n" % time.time())
        self.end_headers()  # the status line and headers: the answer's first bytes
        self.wfile.write(data)

    def do_GET(self):
        self.answer("")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.answer(self.rfile.read(n).decode("latin-1"))

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    with open(sys.argv[1], "rb") as f:
        FILES["xml"] = f.read()
    with open(sys.argv[2], "rb") as f:
        FILES["json"] = f.read()
    srv = Server(("127.0.0.1", 0), Handler)
    print("port %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


main()
