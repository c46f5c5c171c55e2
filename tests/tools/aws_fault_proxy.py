#!/usr/bin/env python3
"""A fault-injecting loopback proxy for the AWS client tests.

It listens on 127.0.0.1:PORT. Each request is matched against a list of
rules, in order; the first rule that matches and still has uses left
decides the answer. With no matching rule the request is forwarded to
--upstream (moto), or answered 404 when there is none.

Rules (POST a JSON array to /__proxy/rules; it also resets the counters):
  match:   "action" (Action= of a Query form body, or the X-Amz-Target
           suffix), "method", "path" (prefix), "query" (substring)
  "times": how many requests the rule answers (default: all of them)
  answer:  {"status": 503, "headers": {...}, "body": "..."}  canned
           {"kind": "reset"}                 close the connection with RST
           {"kind": "hang", "seconds": 5}    answer nothing for a while
           {"kind": "forward"}               pass through to --upstream
GET /__proxy/stats gives {"requests": n, "actions": {action: n}} and
GET /__proxy/requests the last 100 requests (method, path, action, headers).

It stops by itself after --idle seconds without a request, when the
process --parent is gone, or after 10 minutes in any case.
"""
import argparse
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"rules": [], "requests": 0, "actions": {}, "log": [], "last": time.time()}
ARGS = None


def action_of(handler, body):
    target = handler.headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    query = urllib.parse.urlsplit(handler.path).query
    for source in (body.decode("utf-8", "replace"), query):
        params = urllib.parse.parse_qs(source)
        if "Action" in params:
            return params["Action"][0]
    return ""


def pick_rule(method, path, action):
    with LOCK:
        for rule in STATE["rules"]:
            if rule.get("times", -1) == 0:
                continue
            if "action" in rule and rule["action"] != action:
                continue
            if "method" in rule and rule["method"] != method:
                continue
            if "path" in rule and not urllib.parse.urlsplit(path).path.startswith(rule["path"]):
                continue
            if "query" in rule and rule["query"] not in path:
                continue
            if rule.get("times", -1) > 0:
                rule["times"] -= 1
            return rule
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the tests read /__proxy/stats
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        STATE["last"] = time.time()
        if self.path.startswith("/__proxy/"):
            return self.control(body)
        action = action_of(self, body)
        with LOCK:
            STATE["requests"] += 1
            STATE["actions"][action] = STATE["actions"].get(action, 0) + 1
            STATE["log"].append({"method": self.command, "path": self.path, "action": action,
                                 "headers": dict(self.headers.items())})
            del STATE["log"][:-100]
        rule = pick_rule(self.command, self.path, action)
        kind = (rule or {}).get("kind", "canned" if rule else "forward")
        if kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if kind == "hang":
            time.sleep(min(float(rule.get("seconds", 5)), 30))
            self.close_connection = True
            return
        if kind == "forward":
            return self.forward(body)
        self.answer(rule.get("status", 200), rule.get("headers", {}), rule.get("body", ""))

    def answer(self, status, headers, body):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("x-amzn-RequestId", "proxy-request-id")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def forward(self, body):
        if not ARGS.upstream:
            return self.answer(404, {}, "<Error><Code>NoRule</Code><Message>no rule and no upstream"
                                        "</Message></Error>")
        up = urllib.parse.urlsplit(ARGS.upstream)
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    def control(self, body):
        what = self.path[len("/__proxy/"):]
        if what == "rules" and self.command == "POST":
            rules = json.loads(body or b"[]")
            with LOCK:
                STATE["rules"] = rules
                STATE["requests"] = 0
                STATE["actions"] = {}
                STATE["log"] = []
            return self.answer(200, {}, "{}")
        if what == "stats":
            with LOCK:
                out = {"requests": STATE["requests"], "actions": STATE["actions"]}
            return self.answer(200, {"Content-Type": "application/json"}, json.dumps(out))
        if what == "requests":
            with LOCK:
                out = list(STATE["log"])
            return self.answer(200, {"Content-Type": "application/json"}, json.dumps(out))
        return self.answer(404, {}, "unknown control path")

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = handle_any


def watchdog(server, started):
    while True:
        time.sleep(0.5)
        gone = ARGS.parent and not os.path.exists("/proc/%d" % ARGS.parent)
        idle = time.time() - STATE["last"] > ARGS.idle
        if gone or idle or time.time() - started > 600:
            server.shutdown()
            return


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", default="")
    p.add_argument("--idle", type=float, default=60)
    p.add_argument("--parent", type=int, default=0)
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=watchdog, args=(server, time.time()), daemon=True).start()
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
