#!/usr/bin/env python3
"""The peer for the runtime-loop benchmark: the Runtime API loop of a custom
runtime written in Python (http.client, one kept-alive connection), serving
the same echo handler."""
import http.client
import os

api = os.environ["AWS_LAMBDA_RUNTIME_API"]
left = int(os.environ.get("SPARTA_LAMBDA_MAX_INVOCATIONS", "0")) or -1
conn = http.client.HTTPConnection(api)
while left != 0:
    conn.request("GET", "/2018-06-01/runtime/invocation/next")
    r = conn.getresponse()
    event = r.read()
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    conn.request("POST", f"/2018-06-01/runtime/invocation/{rid}/response", body=event,
                 headers={"Content-Type": "application/json"})
    conn.getresponse().read()
    left -= 1
