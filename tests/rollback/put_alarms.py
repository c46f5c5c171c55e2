#!/usr/bin/env python3
"""Hands `sparta alarms` output to CloudWatch and reads it back:

    put_alarms.py ENDPOINT ALARMS_JSON

Every element of MetricAlarms goes to PutMetricAlarm exactly as written
(botocore validates it against the same model `aws cloudwatch
put-metric-alarm --cli-input-json` uses; the suite also runs that command
on one alarm); then DescribeAlarms must give each alarm back with the same
settings. Prints "put N alarms" or the differences (exit 1)."""
import json
import sys

import boto3

FIELDS = ["AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "Period", "EvaluationPeriods",
          "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "AlarmActions", "OKActions"]


def main():
    endpoint, path = sys.argv[1], sys.argv[2]
    cw = boto3.client("cloudwatch", endpoint_url=endpoint, region_name="us-east-1")
    wanted = json.load(open(path))["MetricAlarms"]
    for alarm in wanted:
        cw.put_metric_alarm(**alarm)
    got = {a["AlarmName"]: a for a in cw.describe_alarms(AlarmNames=[a["AlarmName"] for a in wanted])["MetricAlarms"]}
    problems = []
    for alarm in wanted:
        back = got.get(alarm["AlarmName"])
        if not back:
            problems.append(f"{alarm['AlarmName']}: not found by describe-alarms")
            continue
        for field in FIELDS:
            if field in alarm and back.get(field) != alarm[field]:
                problems.append(f"{alarm['AlarmName']}.{field}: put {alarm[field]!r}, got {back.get(field)!r}")
    for p in problems:
        print(p)
    if not problems:
        print(f"put {len(wanted)} alarms")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
