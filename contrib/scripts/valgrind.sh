#!/usr/bin/env bash
# Runs the CUnit unit suites of a build under valgrind memcheck and fails on
# any memory error or any "definitely lost" bytes.
#
# usage: contrib/scripts/valgrind.sh BUILD_DIR [SUITE...]
#   BUILD_DIR  a normal (not sanitizer) build with the suites, e.g.
#              cmake -S . -B build-vg -DCMAKE_BUILD_TYPE=Debug && cmake --build build-vg
#   SUITE      suite names (config, graph, ...); default: every unit suite
#              found under BUILD_DIR/tests except the integration ones below
# environment:
#   VALGRIND_TIMEOUT  seconds per suite (default 900)
#   VALGRIND_SKIP     more suite names to skip (space separated)
#   VALGRIND_LOGS     where the memcheck logs go (default BUILD_DIR/valgrind)
#
# Skipped by name, because they start moto_server or fault-injecting proxies
# and spend their time waiting on them (valgrind only slows the waits and
# the retries' timeouts down): aws_moto, aws_faults, faults, deploy,
# pipeline, dashboard, rollback. Child processes (the sparta CLI the cli and describe
# suites run, the fake Runtime API and bootstrap the lambda_runtime suite
# forks) are not traced: the suite process itself is what is checked.
#
# Exit status: 0 clean; 1 a suite failed, had memory errors or leaked
# definitely; 2 usage or missing tools.
set -u -o pipefail

die() { printf 'valgrind: %s\n' "$*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: $0 BUILD_DIR [SUITE...]"
build=$(cd "$1" 2>/dev/null && pwd) || die "no build directory '$1'"
shift
[ -d "$build/tests" ] || die "$build has no tests/ (configure with -DSPARTA_TESTS=ON and build)"
command -v valgrind >/dev/null || die "valgrind not found; install it (apt-get install valgrind)"
if grep -qs 'SPARTA_SANITIZE:BOOL=ON\|SPARTA_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    die "$build is a sanitizer build; valgrind needs a build without -fsanitize"
fi

timeout_s=${VALGRIND_TIMEOUT:-900}
logs=${VALGRIND_LOGS:-$build/valgrind}
# lambda_runtime runs each runtime in a forked child of the suite, and valgrind
# ends every such child with its error exit code when the child leaves memory
# behind at _exit: the suite cannot tell that from a failure. ASan + UBSan cover it.
skip=" aws_moto aws_faults faults deploy pipeline dashboard rollback lambda_runtime ${VALGRIND_SKIP:-} "
mkdir -p "$logs" || die "cannot create $logs"

# Leaks inside third-party libraries (none of sparta's memory: the callers
# free what they own), kept narrow, each with its reason.
supp="$logs/sparta.supp"
cat >"$supp" <<'EOF'
{
   libconfig-1.5-scanner-loses-its-string-on-a-syntax-error
   Memcheck:Leak
   match-leak-kinds: definite
   ...
   fun:libconfig_yylex
}
{
   graphviz-2.42-dot-mincross-loses-virtual-edges-of-clusters
   Memcheck:Leak
   match-leak-kinds: definite
   ...
   fun:new_virtual_edge
   ...
   fun:dot_layout
}
{
   graphviz-2.42-pango-text-measurement-keeps-layouts-and-font-lists
   Memcheck:Leak
   match-leak-kinds: definite
   ...
   fun:textspan_size
}
{
   fontconfig-caches-filled-on-pango-font-thread
   Memcheck:Leak
   match-leak-kinds: definite
   ...
   obj:*/libfontconfig.so*
   ...
   fun:start_thread
}
EOF

# suite name -> executable: tests/test_<name>, or tests/<name>/test_<name>
declare -A path_of=()
while IFS= read -r exe; do
    name=${exe##*/test_}
    path_of[$name]=$exe
done < <(find "$build/tests" -maxdepth 2 -type f -perm -u+x -name 'test_*' | sort)
[ ${#path_of[@]} -gt 0 ] || die "no test_* executables under $build/tests"

if [ $# -gt 0 ]; then
    suites=("$@")
    for s in "${suites[@]}"; do [ -n "${path_of[$s]:-}" ] || die "no suite '$s' in $build/tests"; done
else
    suites=()
    for s in $(printf '%s\n' "${!path_of[@]}" | sort); do
        case "$skip" in *" $s "*) continue ;; esac
        # helpers built beside the suites, not suites (no CUnit main)
        case "$s" in lambda_hello_bootstrap) continue ;; esac
        suites+=("$s")
    done
fi

failed=0
rows=()
started=$(date +%s)
for s in "${suites[@]}"; do
    exe=${path_of[$s]}
    log="$logs/$s.log"
    out="$logs/$s.out"
    rm -f "$log"
    t0=$(date +%s)
    # The suites run from the build directory with the in-tree plugins, as ctest runs them.
    (cd "$build" && SPARTA_PLUGIN_PATH="$build/plugins" SPARTA_BIN="$build/bin/sparta" \
        timeout "$timeout_s" valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --error-exitcode=99 --child-silent-after-fork=yes --num-callers=30 \
        --suppressions="$supp" --log-file="$log" "$exe") >"$out" 2>&1
    rc=$?
    secs=$(($(date +%s) - t0))
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
    status=ok
    if [ "$rc" -eq 124 ]; then
        status="TIMEOUT"
    elif [ "$rc" -eq 99 ] || [ "${errors:-0}" != 0 ] || [ "${lost:-0}" != 0 ]; then
        status="MEMCHECK"
    elif [ "$rc" -ne 0 ]; then
        status="FAILED(rc=$rc)"
    fi
    # A failed CUnit assertion (a _FATAL one returns before the test's frees)
    if grep -q '\.\.\.FAILED' "$out" && [ "$status" = MEMCHECK ]; then status="MEMCHECK+FAILED"; fi
    rows+=("$(printf '%-16s %-14s %4ss  errors %-4s definitely lost %-8s' "$s" "$status" "$secs" "${errors:-?}" "${lost:-0}")")
    if [ "$status" != ok ]; then
        failed=$((failed + 1))
        printf '\nvalgrind: suite %s: %s (log %s, output %s)\n' "$s" "$status" "$log" "$out"
        case "$status" in MEMCHECK*) grep -a -A2 '\.\.\.FAILED' "$out" | head -12 | sed 's/^/    /' ;; esac
        if [ "${status#MEMCHECK}" != "$status" ]; then
            # the first errors and leak records, with their stacks
            awk '/^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|Argument)|definitely lost in/ {p=1; n=0}
                 p {print; if (/^==[0-9]+== $/ && ++n >= 1) p=0}' "$log" | head -80 | sed 's/^/    /'
        else
            tail -20 "$out" | sed 's/^/    /'
        fi
    fi
done

printf '\nvalgrind: memcheck on %s (%ss total)\n' "$build" "$(($(date +%s) - started))"
for r in "${rows[@]}"; do printf '  %s\n' "$r"; done
if [ "$failed" -gt 0 ]; then
    printf 'valgrind: %d suite(s) failed\n' "$failed"
    exit 1
fi
printf 'valgrind: all clean\n'
exit 0
