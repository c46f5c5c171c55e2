#!/usr/bin/env bash
# The main job: builds everything, then provisions the example service
# (contrib/examples/hello) and its CI/CD pipeline. Without real AWS credentials it
# starts moto_server on 127.0.0.1 and deploys there, checking what landed
# with the aws CLI. With credentials (env, AWS_PROFILE or ~/.aws), it deploys
# to your account: set SPARTA_DEMO_BUCKET to a versioned bucket you own.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
contrib/scripts/deps.sh

step "build"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j"$jobs"
sparta="$root/build/release/bin/sparta"
export SPARTA_PLUGIN_PATH="$root/build/release/plugins"

example="$root/contrib/examples/hello"
mkdir -p "$example/build"
cp "$root/build/release/contrib/functions/hello/function/bootstrap" "$example/build/bootstrap"

moto_pid=""
cleanup() { [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null; true; }
trap cleanup EXIT

real_aws=0
if [ -n "${AWS_ACCESS_KEY_ID:-}" ] || [ -n "${AWS_PROFILE:-}" ] || [ -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" ]; then
  real_aws=1
fi
bucket=${SPARTA_DEMO_BUCKET:-hello-sparta-artifacts}
if [ "$real_aws" = 0 ] || [ -n "${SPARTA_DEMO_LOCAL:-}" ]; then
  step "no AWS configured: starting moto_server on 127.0.0.1"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" >"$root/build/moto-demo.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 150); do
    curl -fs "http://127.0.0.1:$port/moto-api/data.json" >/dev/null 2>&1 && break
    sleep 0.1
  done
  export AWS_ENDPOINT_URL="http://localhost:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
         AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  unset AWS_PROFILE AWS_SESSION_TOKEN
  aws s3api create-bucket --bucket "$bucket" >/dev/null
  aws s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
fi

cd "$example"
step "sparta validate"
"$sparta" validate --s3Bucket "$bucket"

step "sparta provision (the service stack)"
"$sparta" provision --s3Bucket "$bucket" --pollInterval 200 --tag owner=demo

step "sparta provision again: nothing changed"
"$sparta" provision --s3Bucket "$bucket" --pollInterval 200 --tag owner=demo

step "sparta status"
"$sparta" status --redact

step "sparta dashboard"
"$sparta" dashboard

step "sparta describe (a picture of the service)"
"$sparta" describe --out "$example/.sparta/hello.html"

step "sparta provision --codePipelinePackage (what the pipeline's build runs)"
"$sparta" provision --s3Bucket "$bucket" --codePipelinePackage pipeline.zip
unzip -l "$example/.sparta/pipeline.zip"

if "$sparta" help provisionPipeline >/dev/null 2>&1; then
  step "sparta provisionPipeline (the service's own CI/CD pipeline stack)"
  "$sparta" provisionPipeline --pipeline ci --repo https://github.com/example/hello/tree/main \
    --connectionArn arn:aws:codeconnections:us-east-1:123456789012:connection/demo --s3Bucket "$bucket"
fi

step "what landed (aws CLI)"
aws cloudformation describe-stacks --query 'Stacks[].[StackName,StackStatus]' --output table
aws lambda list-functions --query 'Functions[].[FunctionName,Runtime,Handler]' --output table
aws s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output table
if aws cloudwatch list-dashboards --query 'DashboardEntries[].DashboardName' --output text 2>/dev/null | grep -q .; then
  aws cloudwatch list-dashboards --query 'DashboardEntries[].DashboardName' --output table
fi
step "demo complete: templates and archives are in $example/.sparta"
