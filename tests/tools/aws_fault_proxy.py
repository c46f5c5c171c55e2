#!/usr/bin/env python3
"""A fault-injecting loopback proxy for the AWS client tests.

It listens on 127.0.0.1:PORT. Each request is matched against a list of
rules, in order; the first rule that matches and still has uses left
decides the answer. With no matching rule the request is forwarded to
--upstream (moto), or answered 404 when there is none.

Rules (POST a JSON array to /__proxy/rules; it also resets the counters):
  match:   "action" (Action= of a Query form body, or the X-Amz-Target
           suffix), "operation" (the action, or for S3 the operation the
           method, path and query name: HeadBucket, HeadObject, PutObject,
           CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
           AbortMultipartUpload, GetObject, ...), "service" (the SigV4
           credential scope's service: "s3", "cloudformation"), "method",
           "path" (prefix), "query" (substring), "body_contains" (substring
           of a Query form body as sent, still URL-encoded; never matches
           other bodies, which are read after the rule is chosen), "after"
           (an operation: the rule applies only once a request for it has
           been seen)
  "times": how many requests the rule answers (default: all of them)
  "each":  how many requests of each operation the rule answers
           (throttle the first N of every kind with one rule)
  answer:  {"status": 503, "headers": {...}, "body": "..."}  canned
           {"kind": "reset"}                 close the connection with RST
           {"kind": "reset", "after_bytes": N}  read N bytes of the request
                                             body, then RST (mid-upload)
           {"kind": "hang", "seconds": 5}    answer nothing for a while
           {"kind": "delay", "seconds": 2}   wait, then forward
           {"kind": "truncate", "bytes": N}  forward (or answer "status" and
                                             "body" when given), announce the
                                             whole Content-Length, send N
                                             bytes of the body (default
                                             half), close
           {"kind": "forward"}               pass through to --upstream
GET /__proxy/stats gives {"requests": n, "actions": {action: n},
"operations": {operation: n}, "faults": n (requests a rule of any kind but
"forward" answered)} and GET /__proxy/requests the last 100 requests
(method, path, action, headers, operation, service, and "form": the
decoded fields of a Query form body, each value cut to 200 characters).

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
STATE = {"rules": [], "requests": 0, "actions": {}, "operations": {}, "faults": 0, "log": [],
         "last": time.time()}
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


def service_of(handler):
    auth = handler.headers.get("Authorization") or ""
    marker = "Credential="
    if marker in auth:
        scope = auth.split(marker, 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[3]
    return ""


def s3_operation(method, path):
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    has_key = len(parts.path.strip("/").split("/", 1)) > 1
    if method == "HEAD":
        return "HeadObject" if has_key else "HeadBucket"
    if method == "PUT":
        if "partNumber" in query and "uploadId" in query:
            return "UploadPart"
        return "PutObject" if has_key else "CreateBucket"
    if method == "POST":
        if "uploads" in query:
            return "CreateMultipartUpload"
        if "uploadId" in query:
            return "CompleteMultipartUpload"
        return "PostObject"
    if method == "DELETE":
        if "uploadId" in query:
            return "AbortMultipartUpload"
        return "DeleteObject" if has_key else "DeleteBucket"
    if method == "GET":
        if "uploads" in query:
            return "ListMultipartUploads"
        if "versioning" in query:
            return "GetBucketVersioning"
        if has_key:
            return "GetObject"
        return "ListObjectsV2" if "list-type" in query else "ListObjects"
    return method


def pick_rule(method, path, action, operation="", service="", body=b""):
    with LOCK:
        for rule in STATE["rules"]:
            if rule.get("times", -1) == 0:
                continue
            if "body_contains" in rule and rule["body_contains"].encode() not in body:
                continue
            if "action" in rule and rule["action"] != action:
                continue
            if "operation" in rule and rule["operation"] != operation:
                continue
            if "service" in rule and rule["service"] != service:
                continue
            if "method" in rule and rule["method"] != method:
                continue
            if "path" in rule and not urllib.parse.urlsplit(path).path.startswith(rule["path"]):
                continue
            if "query" in rule and rule["query"] not in path:
                continue
            if "after" in rule:
                before = STATE["operations"].get(rule["after"], 0) - (1 if operation == rule["after"] else 0)
                if before <= 0:
                    continue
            if "each" in rule:
                used = rule.setdefault("_used", {})
                if used.get(operation, 0) >= rule["each"]:
                    continue
                used[operation] = used.get(operation, 0) + 1
            if rule.get("times", -1) > 0:
                rule["times"] -= 1
            if rule.get("kind", "canned") != "forward":
                STATE["faults"] += 1
            return rule
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the tests read /__proxy/stats
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        STATE["last"] = time.time()
        if self.path.startswith("/__proxy/"):
            return self.control(self.rfile.read(length) if length else b"")
        # A Query API names its action in the (small) form body; other bodies
        # (S3 uploads) are read after the rule is known, so a rule can reset
        # the connection part way through one.
        form = "x-www-form-urlencoded" in (self.headers.get("Content-Type") or "")
        body = self.rfile.read(length) if length and form else b""
        pending = length if length and not form else 0
        action = action_of(self, body)
        service = service_of(self)
        operation = action or (s3_operation(self.command, self.path) if service in ("s3", "") else "")
        fields = {}
        if form:
            for k, v in urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
                fields.setdefault(k, v[:200])
        with LOCK:
            STATE["requests"] += 1
            STATE["actions"][action] = STATE["actions"].get(action, 0) + 1
            STATE["operations"][operation] = STATE["operations"].get(operation, 0) + 1
            STATE["log"].append({"method": self.command, "path": self.path, "action": action,
                                 "headers": dict(self.headers.items()), "operation": operation,
                                 "service": service, "form": fields})
            del STATE["log"][:-100]
        rule = pick_rule(self.command, self.path, action, operation, service, body if form else b"")
        kind = (rule or {}).get("kind", "canned" if rule else "forward")
        if kind == "reset":
            if pending:
                take = rule.get("after_bytes")
                self.rfile.read(pending if take is None else min(int(take), pending))
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if pending:
            body = self.rfile.read(pending)
        if kind == "hang":
            time.sleep(min(float(rule.get("seconds", 5)), 30))
            self.close_connection = True
            return
        if kind == "delay":
            time.sleep(min(float(rule.get("seconds", 1)), 30))
            return self.forward(body)
        if kind == "truncate":
            if "status" in rule or "body" in rule:
                return self.answer(rule.get("status", 200), rule.get("headers", {}), rule.get("body", ""),
                                   cut=rule.get("bytes"))
            return self.forward(body, cut=rule.get("bytes"))
        if kind == "forward":
            return self.forward(body)
        self.answer(rule.get("status", 200), rule.get("headers", {}), rule.get("body", ""))

    def send_body(self, data, cut):
        """Sends data, or (cut is not False) only part of it and closes the connection."""
        if self.command == "HEAD":
            return
        if cut is False:
            self.wfile.write(data)
            return
        n = len(data) // 2 if cut is None else max(0, min(int(cut), len(data) - 1))
        self.wfile.write(data[:n])
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def answer(self, status, headers, body, cut=False):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("x-amzn-RequestId", "proxy-request-id")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.send_body(data, cut)

    def forward(self, body, cut=False):
        if not ARGS.upstream:
            return self.answer(404, {}, "<Error><Code>NoRule</Code><Message>no rule and no upstream"
                                        "</Message></Error>", cut=cut)
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
        self.send_body(data, cut)
        conn.close()

    def control(self, body):
        what = self.path[len("/__proxy/"):]
        if what == "rules" and self.command == "POST":
            rules = json.loads(body or b"[]")
            with LOCK:
                STATE["rules"] = rules
                STATE["requests"] = 0
                STATE["actions"] = {}
                STATE["operations"] = {}
                STATE["faults"] = 0
                STATE["log"] = []
            return self.answer(200, {}, "{}")
        if what == "stats":
            with LOCK:
                out = {"requests": STATE["requests"], "actions": STATE["actions"],
                       "operations": STATE["operations"], "faults": STATE["faults"]}
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
