#!/usr/bin/env python3
"""A loopback proxy that records what sparta sends to AWS.

    recording_proxy.py --port PORT --upstream http://localhost:MOTO --log FILE --parent PID

Every request is forwarded to --upstream unchanged and appended to --log
as one JSON line: {"method", "path", "action", "body"} (the body as text;
Query API bodies are form-encoded). GET /__recorder/ping answers 200.
Stops when the --parent process is gone, or after 10 minutes."""
import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ARGS = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, headers, data):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__recorder/ping":
            return self.reply(200, [], b"pong")
        text = body.decode("utf-8", "replace")
        action = (urllib.parse.parse_qs(text).get("Action") or [""])[0]
        with LOCK, open(ARGS.log, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "action": action, "body": text}) + "\n")
        up = urllib.parse.urlsplit(ARGS.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.reply(resp.status, resp.getheaders(), data)
        conn.close()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_any


def watchdog(server):
    started = time.time()
    while True:
        time.sleep(0.5)
        if not os.path.exists("/proc/%d" % ARGS.parent) or time.time() - started > 600:
            server.shutdown()
            return


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--parent", type=int, required=True)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=watchdog, args=(server,), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
