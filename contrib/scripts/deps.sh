#!/usr/bin/env bash
# Installs what building and testing sparta needs on Debian: the -dev packages
# of our libraries (libgraphviz-dev: `sparta describe` lays out with libgvc),
# CMake, a C compiler, zip tools, and headless Chromium for describe's browser
# test. Skips apt when all are there.
set -euo pipefail

packages=(build-essential cmake pkg-config clang libjson-c-dev zlib1g-dev libzip-dev libconfig-dev
          libcurl4-openssl-dev libssl-dev libxml2-dev libcunit1-dev zip unzip valgrind time
          libgraphviz-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The local AWS endpoint and the template linter come with the machine image
# (PyPI is not reachable here); say so clearly when they are missing.
for tool in moto_server cfn-lint aws; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "deps: '$tool' is missing. Install moto[server], cfn-lint and awscli (pip install 'moto[server]' cfn-lint awscli)." >&2
    exit 1
  fi
done
