#!/usr/bin/env python3
"""Checks the pipeline suite runs on what sparta wrote.

  policy TEMPLATE             no IAM role statement allows "*" or "service:*"
  stages TEMPLATE             prints "stage: action[provider mode] ..." per stage
  structure TEMPLATE          the artifact bucket, its policy and the roles' trust
  package ZIP ENV=K:V,...     the package holds exactly the expected files/values
  api TEMPLATE STACK OUTDIR   resolves the Pipeline and BuildProject resources
                              against the stack in moto and writes the API's
                              create-pipeline / create-project input JSON
"""
import json
import os
import re
import sys
import zipfile


def load(path):
    with open(path) as f:
        return json.load(f)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def actions_of(statement):
    actions = statement.get("Action", [])
    return [actions] if isinstance(actions, str) else actions


def cmd_policy(template_path):
    t = load(template_path)
    roles = 0
    for rid, r in t["Resources"].items():
        if r["Type"] != "AWS::IAM::Role":
            continue
        roles += 1
        for policy in r["Properties"].get("Policies", []):
            for s in policy["PolicyDocument"]["Statement"]:
                if "NotAction" in s:
                    fail("%s: NotAction in %s" % (rid, s.get("Sid")))
                for a in actions_of(s):
                    if a == "*" or a.endswith(":*"):
                        fail("%s: statement %s allows %s" % (rid, s.get("Sid"), a))
                if s.get("Effect") != "Allow":
                    fail("%s: statement %s is not Allow" % (rid, s.get("Sid")))
    print("ok: %d roles, no wildcard actions" % roles)


def cmd_stages(template_path):
    t = load(template_path)
    for stage in t["Resources"]["Pipeline"]["Properties"]["Stages"]:
        parts = []
        for a in stage["Actions"]:
            c = a.get("Configuration", {})
            mode = c.get("ActionMode", "")
            parts.append("%s[%s%s]" % (a["Name"], a["ActionTypeId"]["Provider"], " " + mode if mode else ""))
        print("%s: %s" % (stage["Name"], " ".join(parts)))


def cmd_structure(template_path):
    t = load(template_path)
    res = t["Resources"]
    b = res["ArtifactBucket"]
    assert b["DeletionPolicy"] == "Retain" and b["UpdateReplacePolicy"] == "Retain", "bucket not retained"
    p = b["Properties"]
    assert p["VersioningConfiguration"]["Status"] == "Enabled", "bucket not versioned"
    sse = p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert sse["SSEAlgorithm"] in ("AES256", "aws:kms"), "bucket not encrypted"
    assert all(p["PublicAccessBlockConfiguration"].values()), "bucket not private"
    deny = res["ArtifactBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert deny["Effect"] == "Deny" and deny["Condition"]["Bool"]["aws:SecureTransport"] == "false", "not TLS only"
    trust = {}
    for rid, r in res.items():
        if r["Type"] == "AWS::IAM::Role":
            s = r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
            assert isinstance(s["Principal"]["Service"], str), rid + ": principal must be a string"
            trust[rid] = s["Principal"]["Service"]
    assert trust["PipelineRole"] == "codepipeline.amazonaws.com"
    assert trust["BuildRole"] == "codebuild.amazonaws.com"
    assert trust["DeployRole"] == "cloudformation.amazonaws.com"
    text = json.dumps(t)
    assert '"Action": "*"' not in text
    print("ok: " + ", ".join("%s=%s" % kv for kv in sorted(trust.items())))


def cmd_package(zip_path, *expectations):
    """expectations: ENV=PARAM:VALUE,PARAM:VALUE (one per environment)"""
    z = zipfile.ZipFile(zip_path)
    names = sorted(z.namelist())
    want = sorted(["cloudformation.json"] + ["%s.json" % e.split("=")[0] for e in expectations])
    if names != want:
        fail("package holds %s, expected %s" % (names, want))
    template = json.loads(z.read("cloudformation.json"))
    params = set(template.get("Parameters", {}))
    for e in expectations:
        env, pairs = e.split("=", 1)
        doc = json.loads(z.read(env + ".json"))
        unknown = set(doc) - {"Parameters", "Tags", "StackPolicy"}
        if unknown:
            fail("%s.json has %s" % (env, unknown))
        if set(doc["Parameters"]) != params:
            fail("%s.json parameters %s, template has %s" % (env, sorted(doc["Parameters"]), sorted(params)))
        for pair in filter(None, pairs.split(",")):
            k, v = pair.split(":", 1)
            if doc["Parameters"].get(k) != v:
                fail("%s.json: %s is %r, expected %r" % (env, k, doc["Parameters"].get(k), v))
    print("ok: " + " ".join(names))


# ---- the API's view of the generated definitions -----------------------------

# CloudFormation property names the APIs spell differently.
API_NAMES = {"BuildSpec": "buildspec"}


def lower_first(key):
    return API_NAMES.get(key, key[0].lower() + key[1:])


def camel(value, keep_keys=False):
    if isinstance(value, dict):
        return {(k if keep_keys else lower_first(k)): camel(v, k == "Configuration") for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


class Resolver:
    def __init__(self, template, stack):
        import boto3
        self.template = template
        region = os.environ.get("AWS_REGION", "us-east-1")
        self.cfn = boto3.client("cloudformation", region_name=region)
        self.iam = boto3.client("iam", region_name=region)
        resources = self.cfn.describe_stack_resources(StackName=stack)["StackResources"]
        # moto lists the resources it skips without a logical ID
        self.physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources
                         if "LogicalResourceId" in r}
        self.pseudo = {"AWS::Region": os.environ.get("AWS_REGION", "us-east-1"), "AWS::AccountId": "123456789012",
                       "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": stack}

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        if name not in self.physical or not self.physical[name]:
            fail("Ref %s: no physical resource in the stack" % name)
        return self.physical[name]

    def get_att(self, name, attribute):
        kind = self.template["Resources"][name]["Type"]
        if kind == "AWS::IAM::Role" and attribute == "Arn":
            return self.iam.get_role(RoleName=self.ref(name))["Role"]["Arn"]
        if kind == "AWS::S3::Bucket" and attribute == "Arn":
            return "arn:aws:s3:::" + self.ref(name)
        fail("GetAtt %s.%s is not supported here" % (name, attribute))

    def sub(self, text):
        def one(m):
            name = m.group(1)
            if "." in name and name not in self.pseudo:
                return self.get_att(*name.split(".", 1))
            return self.ref(name)
        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def resolve(self, v):
        if isinstance(v, dict):
            if len(v) == 1:
                (k, arg), = v.items()
                if k == "Ref":
                    return self.ref(arg)
                if k == "Fn::GetAtt":
                    return self.get_att(*(arg if isinstance(arg, list) else arg.split(".", 1)))
                if k == "Fn::Sub":
                    return self.sub(arg)
            return {k: self.resolve(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        return v


def cmd_api(template_path, stack, outdir):
    t = load(template_path)
    r = Resolver(t, stack)
    pipeline = r.resolve(t["Resources"]["Pipeline"]["Properties"])
    pipeline.pop("RestartExecutionOnUpdate", None)
    with open(os.path.join(outdir, "pipeline.json"), "w") as f:
        json.dump({"pipeline": camel(pipeline)}, f, indent=1)
    project = camel(r.resolve(t["Resources"]["BuildProject"]["Properties"]))
    # moto wants a location even for CODEPIPELINE sources and artifacts, which
    # AWS ignores there ("CodePipeline ignores it"): give it one.
    for part in ("source", "artifacts"):
        if project[part]["type"] == "CODEPIPELINE":
            project[part].setdefault("location", "codepipeline")
    with open(os.path.join(outdir, "project.json"), "w") as f:
        json.dump(project, f, indent=1)
    print("ok: pipeline.json project.json")


def main(argv):
    commands = {"policy": cmd_policy, "stages": cmd_stages, "structure": cmd_structure, "package": cmd_package,
                "api": cmd_api}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        commands[argv[1]](*argv[2:])
    except AssertionError as e:
        fail(str(e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
