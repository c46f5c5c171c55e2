#!/usr/bin/env python3
"""Signs one request with botocore's own signer, a second reference for our
SigV4 code. Reads JSON on stdin: method, url, headers {name: value}, body,
service, region, access_key, secret_key, token (optional), timestamp
("20150830T123600Z"). Prints JSON: authorization, headers (as botocore would send them)."""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    spec = json.load(sys.stdin)
    when = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: when  # freeze the clock
    creds = Credentials(spec["access_key"], spec["secret_key"], spec.get("token"))
    cls = botocore.auth.S3SigV4Auth if spec["service"] == "s3" else botocore.auth.SigV4Auth
    signer = cls(creds, spec["service"], spec["region"])
    req = AWSRequest(method=spec["method"], url=spec["url"], headers=spec.get("headers", {}),
                     data=spec.get("body", "").encode())
    signer.add_auth(req)
    print(json.dumps({
        "authorization": req.headers["Authorization"],
        "headers": {k: v for k, v in req.headers.items()},
    }))


if __name__ == "__main__":
    main()
