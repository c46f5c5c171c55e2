#!/usr/bin/env python3
"""Writes the README's sparta.cfg examples (the plugin groups) into one sparta.cfg,
so a test can check that what the README shows is accepted as written."""
import re
import sys

readme, out = sys.argv[1], sys.argv[2]
text = open(readme).read()
blocks = re.findall(r"```\n((?:lambda|dashboard|rollback|codebuild) = \{.*?)```", text, re.S)
if len(blocks) < 4:
    sys.exit(f"expected the lambda, dashboard, rollback and codebuild/codepipeline examples, found {len(blocks)}")
config = ('service = { name = "hello"; s3Bucket = "example-artifacts"; };\n'
          'plugins = { enabled = [ "lambda", "dashboard", "rollback", "codebuild", "codepipeline" ]; };\n'
          + "\n".join(blocks))
# The example names a function it does not define.
config = config.replace('dependsOn = [ "other-function" ];', "")
open(out, "w").write(config)
