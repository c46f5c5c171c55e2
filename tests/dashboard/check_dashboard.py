#!/usr/bin/env python3
"""Checks the CloudWatch dashboard in a sparta template, as CloudWatch would
after CloudFormation resolved its Fn::Sub:

    check_dashboard.py TEMPLATE STACK FUNCTIONS METRICS_PER_FUNCTION

- the body is valid JSON once ${AWS::Region}, ${AWS::StackName},
  ${AWS::StackId} and ${LogicalId} are substituted;
- it follows the dashboard body syntax: 0..500 widgets, x 0..23,
  width 1..24, x + width <= 24, height 1..1000, y >= 0, known types;
- no two widgets overlap;
- one summary, one logs widget, and one row of metric widgets per function;
- DashboardName resolves within CloudWatch's limits.
Prints every problem and exits 1 when there is one."""
import json
import re
import sys

REGION = "us-east-1"
ACCOUNT = "123456789012"


def substitute(text, stack, names):
    def repl(m):
        var = m.group(1)
        if var.startswith("!"):
            return "${" + var[1:] + "}"
        if var == "AWS::Region":
            return REGION
        if var == "AWS::StackName":
            return stack
        if var == "AWS::StackId":
            return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{stack}/0000"
        if var == "AWS::AccountId":
            return ACCOUNT
        if var in names:
            return names[var]
        raise ValueError(f"unresolvable ${{{var}}}")
    return re.sub(r"\$\{([^}]*)\}", repl, text)


def main():
    path, stack, functions, per_row = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    template = json.load(open(path))
    resources = template["Resources"]
    # A Ref to a function resolves to its physical name.
    names = {k: f"{stack}-{k}-PHYSICAL" for k, r in resources.items()}
    problems = []
    boards = [r for r in resources.values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    if len(boards) != 1:
        print(f"expected one dashboard, found {len(boards)}")
        return 1
    props = boards[0]["Properties"]
    name = props.get("DashboardName")
    if isinstance(name, dict):
        name = substitute(name["Fn::Sub"], stack, names)
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,255}", name or ""):
        problems.append(f"DashboardName {name!r} is outside CloudWatch's limits")
    body_sub = props["DashboardBody"]["Fn::Sub"]
    try:
        body = json.loads(substitute(body_sub, stack, names))
    except ValueError as e:
        print(f"the body is not valid JSON after substitution: {e}")
        return 1
    widgets = body.get("widgets")
    if not isinstance(widgets, list) or len(widgets) > 500:
        print("widgets must be a list of at most 500")
        return 1
    for i, w in enumerate(widgets):
        x, y, wd, ht = w.get("x"), w.get("y"), w.get("width"), w.get("height")
        if w.get("type") not in ("metric", "text", "log", "alarm"):
            problems.append(f"widget {i}: type {w.get('type')!r}")
        if not all(isinstance(v, int) for v in (x, y, wd, ht)):
            problems.append(f"widget {i}: x, y, width and height must be integers")
            continue
        if not (0 <= x <= 23 and 1 <= wd <= 24 and x + wd <= 24 and y >= 0 and 1 <= ht <= 1000):
            problems.append(f"widget {i}: ({x},{y}) {wd}x{ht} is off the 24-column grid")
        p = w.get("properties")
        if not isinstance(p, dict):
            problems.append(f"widget {i}: no properties")
        elif w["type"] == "text" and not isinstance(p.get("markdown"), str):
            problems.append(f"widget {i}: a text widget needs markdown")
        elif w["type"] == "metric":
            if p.get("region") != REGION or not p.get("metrics") or not isinstance(p.get("period"), int):
                problems.append(f"widget {i}: a metric widget needs region, period and metrics")
            for m in p.get("metrics", []):
                if m[:3] != ["AWS/Lambda", m[1], "FunctionName"] or not isinstance(m[-1], dict):
                    problems.append(f"widget {i}: bad metric line {m}")
    # Overlap: sort by row, compare rectangles (n is at most 500).
    rects = [(w["x"], w["y"], w["width"], w["height"], i) for i, w in enumerate(widgets)
             if all(isinstance(w.get(k), int) for k in ("x", "y", "width", "height"))]
    for a in range(len(rects)):
        ax, ay, aw, ah, ai = rects[a]
        for b in range(a + 1, len(rects)):
            bx, by, bw, bh, bi = rects[b]
            if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                problems.append(f"widgets {ai} and {bi} overlap")
    texts = [w for w in widgets if w.get("type") == "text"]
    metrics = [w for w in widgets if w.get("type") == "metric"]
    if len(texts) != 2:
        problems.append(f"expected a summary and a logs widget, found {len(texts)} text widgets")
    if len(metrics) != functions * per_row:
        problems.append(f"expected {functions * per_row} metric widgets, found {len(metrics)}")
    rows = {}
    for w in metrics:
        rows.setdefault(w["y"], []).append(w)
    if len(rows) != functions:
        problems.append(f"expected {functions} rows of metric widgets, found {len(rows)}")
    for y, row in rows.items():
        if sum(w["width"] for w in row) != 24 and per_row <= 24:
            problems.append(f"row at y={y} does not fill the 24 columns")
        if len({w["properties"]["metrics"][0][3] for w in row}) != 1:
            problems.append(f"row at y={y} mixes functions")
    if texts and f"**{functions}** Lambda function" not in texts[0]["properties"]["markdown"]:
        problems.append("the summary does not give the function count")
    if texts and len(texts) > 1 and texts[1]["properties"]["markdown"].count("log-group/$252Faws$252Flambda$252F") != functions:
        problems.append("the logs widget lacks a link per function log group")
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
