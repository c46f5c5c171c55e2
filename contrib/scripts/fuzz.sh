#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, SPARTA_FUZZ=ON) and runs
# each for a bounded time: first every saved crash input in
# tests/fuzz/regressions/<target>/ (each must now pass), then a fuzzing run
# from a scratch copy of the seed corpus tests/fuzz/corpus/<target>/.
#
# usage: contrib/scripts/fuzz.sh [TARGET...]      (default: every target)
#   TARGET is the name after fuzz_: config, graph, lambda_runtime, ...
# environment:
#   FUZZ_SECONDS    seconds of fuzzing per target (default 45; 0 = only
#                   replay the regressions and the seed corpus)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (10)
#   FUZZ_BUILD_DIR  build directory (default <repo>/build/fuzz)
#   FUZZ_JOBS       parallel build jobs (default 2)
#   FUZZ_KEEP       directory to keep the grown corpora in (default: dropped)
#   FUZZ_CC         the compiler (default clang; CC is ignored, it may name gcc)
# Exit status: 0 nothing found; 1 a finding (target and input printed, the
# input copied to <build>/findings/<target>/); 2 the tools or build failed.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fuzz_src="$root/tests/fuzz"
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
seconds=${FUZZ_SECONDS:-45}
hang=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-2}
cc=${FUZZ_CC:-clang}

say() { printf 'fuzz: %s\n' "$*"; }
die() { printf 'fuzz: %s\n' "$*" >&2; exit 2; }

case $seconds in ''|*[!0-9]*) die "FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" ;; esac
case $hang in ''|*[!0-9]*|0) die "FUZZ_TIMEOUT must be a positive number of seconds, not '$hang'" ;; esac

# ---- tools -----------------------------------------------------------------
command -v cmake >/dev/null || die "cmake not found; install it (apt-get install cmake)"
cc_path=$(command -v "$cc") || die "'$cc' not found: the fuzzers need clang with libFuzzer (apt-get install clang), or set FUZZ_CC"
"$cc_path" --version 2>/dev/null | grep -qi clang ||
    die "'$cc' is not clang: libFuzzer (-fsanitize=fuzzer) is a clang feature; set FUZZ_CC=clang"
probe=$(mktemp -d) || die "mktemp failed"
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/probe.c"
if ! "$cc_path" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>"$probe/err"; then
    sed 's/^/  /' "$probe/err" >&2
    rm -rf "$probe"
    die "$cc cannot link -fsanitize=fuzzer,address,undefined: the libFuzzer/sanitizer runtime is missing (Debian: install the clang package matching $("$cc_path" --version | head -1))"
fi
rm -rf "$probe"

# ---- targets ---------------------------------------------------------------
all=()
for f in "$fuzz_src"/fuzz_*.c; do
    [ -e "$f" ] || continue
    n=${f##*/fuzz_}
    all+=("${n%.c}")
done
[ ${#all[@]} -gt 0 ] || die "no fuzz targets in $fuzz_src"
if [ $# -gt 0 ]; then
    targets=("$@")
    for t in "${targets[@]}"; do
        [ -f "$fuzz_src/fuzz_$t.c" ] || die "unknown target '$t' (targets: ${all[*]})"
    done
else
    targets=("${all[@]}")
fi

# ---- build -----------------------------------------------------------------
started=$(date +%s)
say "building ${#targets[@]} target(s) with $cc_path into $build"
mkdir -p "$build" || die "cannot create $build"
if ! CC="$cc_path" cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc_path" -DSPARTA_FUZZ=ON -DSPARTA_TESTS=OFF \
        -DSPARTA_BENCH=OFF -DSPARTA_PLUGINS=none -DCMAKE_BUILD_TYPE=Debug >"$build/fuzz-configure.log" 2>&1; then
    tail -30 "$build/fuzz-configure.log" >&2
    die "configuring failed (full log: $build/fuzz-configure.log)"
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
if ! cmake --build "$build" -j "$jobs" --target "${build_targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    grep -E 'error|Error' "$build/fuzz-build.log" | head -30 >&2
    die "building failed (full log: $build/fuzz-build.log)"
fi
say "built in $(($(date +%s) - started)) s"

# ---- run -------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/sparta-fuzz.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tmp"
findings=0
summary=()

# Saves the crashing input and prints what happened.
report() { # target input log what
    local t=$1 input=$2 log=$3 what=$4 keep="$build/findings/$1"
    mkdir -p "$keep"
    cp "$input" "$keep/" 2>/dev/null
    printf '\nfuzz: FINDING in target %s (%s)\nfuzz:   input: %s\nfuzz:   kept:  %s/%s\n' "$t" "$what" \
        "$input" "$keep" "$(basename "$input")"
    grep -a -E -A25 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehavior|libFuzzer)|runtime error|FUZZ_CHECK|SUMMARY' \
        "$log" | grep -a -v '^    #[0-9]* 0x[0-9a-f]* in fuzzer::' | head -40 | LC_ALL=C tr -c '[:print:]\n\t' '?' |
        sed 's/^/    /'
    printf 'fuzz:   reproduce: %s %s\n\n' "$build/tests/fuzz/fuzz_$t" "$keep/$(basename "$input")"
}

for t in "${targets[@]}"; do
    bin="$build/tests/fuzz/fuzz_$t"
    [ -x "$bin" ] || die "$bin was not built"
    t0=$(date +%s)
    result=ok
    dict=()
    [ -f "$fuzz_src/$t.dict" ] && dict=(-dict="$fuzz_src/$t.dict")

    # 1. every saved crash input must pass now
    replayed=0
    if [ -d "$fuzz_src/regressions/$t" ]; then
        for input in "$fuzz_src/regressions/$t"/*; do
            [ -f "$input" ] || continue
            replayed=$((replayed + 1))
            log="$work/$t.regression.log"
            if ! TMPDIR="$work/tmp" "$bin" -timeout="$hang" -rss_limit_mb=2048 "$input" >"$log" 2>&1; then
                report "$t" "$input" "$log" "regression input fails again"
                result=REGRESSION
                findings=$((findings + 1))
            fi
        done
    fi

    # 2. fuzz from a scratch copy of the seeds
    corpus="$work/corpus/$t"
    artifacts="$work/artifacts/$t/"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "$fuzz_src/corpus/$t" ]; then cp "$fuzz_src/corpus/$t"/* "$corpus/" 2>/dev/null; fi
    log="$work/$t.log"
    execs=0
    if [ "$result" = ok ]; then
        if [ "$seconds" -eq 0 ]; then
            set -- "$corpus"/*
            if [ -e "$1" ]; then
                TMPDIR="$work/tmp" "$bin" -timeout="$hang" -rss_limit_mb=2048 -artifact_prefix="$artifacts" "$@" >"$log" 2>&1
                rc=$?
            else
                rc=0
            fi
            set --
        else
            TMPDIR="$work/tmp" "$bin" ${dict[@]+"${dict[@]}"} -max_total_time="$seconds" -timeout="$hang" -rss_limit_mb=2048 \
                -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" >"$log" 2>&1
            rc=$?
            execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        fi
        if [ "$rc" -ne 0 ]; then
            input=$(ls -t "$artifacts" 2>/dev/null | head -1)
            if [ -n "$input" ]; then
                report "$t" "$artifacts$input" "$log" "exit status $rc"
            else
                printf '\nfuzz: FINDING in target %s: exit status %s and no saved input\n' "$t" "$rc"
                tail -30 "$log" | sed 's/^/    /'
            fi
            result=FOUND
            findings=$((findings + 1))
        fi
    fi
    if [ -n "${FUZZ_KEEP:-}" ]; then
        mkdir -p "$FUZZ_KEEP/$t" && cp "$corpus"/* "$FUZZ_KEEP/$t/" 2>/dev/null
    fi
    units=$(find "$corpus" -type f | wc -l)
    summary+=("$(printf '%-16s %-10s %4ss %10s execs %6s corpus %3s regressions' "$t" "$result" \
        "$(($(date +%s) - t0))" "${execs:-0}" "$units" "$replayed")")
    say "$(printf '%-16s %s' "$t" "$result")"
done

printf '\n'
say "summary (fuzzing ${seconds}s per target, total $(($(date +%s) - started))s):"
for line in "${summary[@]}"; do printf '  %s\n' "$line"; done
if [ "$findings" -gt 0 ]; then
    say "$findings finding(s); inputs kept in $build/findings/. Add each (after the fix) to tests/fuzz/regressions/<target>/."
    exit 1
fi
say "no findings"
exit 0
