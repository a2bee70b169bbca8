#!/usr/bin/env python3
"""`python3 bench/sendfile-server.py FILE`: serves FILE over HTTP/1.1 on 127.0.0.1 at any path,
with sendfile(2), so the server costs the benchmarked client's cores almost nothing, as S3 does
for a runner. Prints the port on its first line; Range (206), If-Range, ETag and HEAD like S3's
GET of an object. Stops when its standard input closes (the benchmark ends)."""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = sys.argv[1]
SIZE = os.stat(PATH).st_size
ETAG = f'"{os.stat(PATH).st_mtime_ns:x}-{SIZE:x}"'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.reply(send_body=False)

    def do_GET(self):
        self.reply(send_body=True)

    def reply(self, send_body):
        start, end = 0, SIZE - 1
        wanted = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        ranged = wanted is not None and wanted.startswith("bytes=") and if_range in (None, ETAG)
        if ranged:
            first, _, last = wanted[6:].partition("-")
            start = int(first)
            end = int(last) if last else SIZE - 1
            if start >= SIZE:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{SIZE}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(206 if ranged else 200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", ETAG)
        self.send_header("Content-Length", str(end - start + 1))
        if ranged:
            self.send_header("Content-Range", f"bytes {start}-{end}/{SIZE}")
        self.end_headers()
        if send_body:
            self.wfile.flush()
            with open(PATH, "rb") as file:
                self.connection.sendfile(file, start, end - start + 1)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
