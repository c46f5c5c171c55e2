#!/usr/bin/env bash
# Runs every test: installs dependencies, builds (release and ASan+UBSan),
# runs the CUnit suites (they start their own moto_server on loopback), runs
# the unit suites under valgrind, checks the installed SDK out of tree, and
# smoke-runs the fuzzers and benchmarks.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
contrib/scripts/deps.sh

step "release build (-Wall -Wextra -Werror)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j"$jobs"

step "tests (release)"
ctest --test-dir build/release --output-on-failure -j"$jobs" --timeout 600

step "sanitizer build (ASan + UBSan)"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DSPARTA_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$jobs"

step "tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs" --timeout 900

if [ -x contrib/scripts/valgrind.sh ]; then
  step "unit suites under valgrind memcheck"
  contrib/scripts/valgrind.sh build/release
fi

if [ -x contrib/scripts/install-check.sh ]; then
  step "installed SDK, out of tree (pkg-config and find_package)"
  contrib/scripts/install-check.sh build/release
fi

if [ -x contrib/scripts/fuzz.sh ]; then
  step "fuzzers (bounded)"
  contrib/scripts/fuzz.sh
fi

if [ -x bench/run ]; then
  step "benchmark smoke"
  bench/run --smoke
fi

step "all tests passed"
