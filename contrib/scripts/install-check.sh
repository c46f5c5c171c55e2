#!/usr/bin/env bash
# Installs a build to a temporary prefix, then builds contrib/'s third-party
# plugin and embedding tool out of tree (with find_package and with
# pkg-config), loads the plugin through a sparta.cfg, runs its command, and
# finds its resource in the template.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
work=$(mktemp -d /tmp/sparta-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "install-check: FAILED: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib* | head -1)
for f in bin/sparta include/sparta/sparta.h include/sparta/plugin.h include/sparta/text.h; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
ls "$libdir"/libsparta.so* "$libdir"/libsparta.a >/dev/null || fail "libsparta (shared and static) not installed"
[ -f "$libdir/pkgconfig/sparta.pc" ] && [ -f "$libdir/pkgconfig/sparta-plugin.pc" ] || fail "pkg-config files missing"
[ -f "$libdir/cmake/Sparta/SpartaConfig.cmake" ] || fail "CMake package missing"
ls "$libdir"/sparta/plugins/*.so >/dev/null 2>&1 || fail "core plugins not installed under lib/sparta/plugins"

# find_package(Sparta)
cmake -S "$root/contrib/plugins/topic" -B "$work/topic-cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/topic-cmake" >/dev/null
cmake -S "$root/contrib/embed" -B "$work/embed-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_RPATH="$libdir" >/dev/null
cmake --build "$work/embed-cmake" >/dev/null
# pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
mkdir -p "$work/topic-pc" "$work/embed-pc"
make -s -C "$root/contrib/plugins/topic" -f Makefile topic.so OUT="$work/topic-pc" >/dev/null
mv "$root/contrib/plugins/topic/topic.so" "$work/topic-pc/"
make -s -C "$root/contrib/embed" -f Makefile sparta-synth >/dev/null
mv "$root/contrib/embed/sparta-synth" "$work/embed-pc/"
# sparta/text.h stands alone: it compiles warning-free from the prefix.
cat > "$work/text.c" <<'C'
#include <sparta/text.h>
int main(void) {
    sparta_text t = {0};
    sparta_text_json_string(&t, "a\"b");
    char *s = sparta_text_take(&t);
    int ok = s && strcmp(s, "\"a\\\"b\"") == 0;
    free(s);
    return ok ? 0 : 1;
}
C
cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags sparta-plugin) "$work/text.c" -o "$work/text" &&
  "$work/text" || fail "sparta/text.h did not compile or work from the installed prefix"

for variant in topic-cmake topic-pc; do
  svc=$work/svc-$variant
  mkdir -p "$svc"
  chmod 755 "$work/$variant"
  cat > "$svc/sparta.cfg" <<CFG
service = { name = "installed"; };
plugins = { path = [ "$work/$variant" ]; enabled = [ "topic" ]; };
topic = { name = "alerts"; };
CFG
  out=$("$prefix/bin/sparta" --config "$svc/sparta.cfg" topicInfo --arn)
  [ "$out" = "topic installed-alerts (arn requested)" ] || fail "$variant: topicInfo printed '$out'"
  "$prefix/bin/sparta" --config "$svc/sparta.cfg" --outputDir "$svc/out" provision --noop >/dev/null
  grep -q '"NotificationTopic"' "$svc/out/installed.template.json" || fail "$variant: resource missing from template"
  for tool in "$work/embed-cmake/sparta-synth" "$work/embed-pc/sparta-synth"; do
    "$tool" "$svc/sparta.cfg" | grep -q '"TopicName": "installed-alerts"' || fail "$tool did not synthesize the topic"
    "$tool" "$svc/sparta.cfg" -- topicInfo | grep -q "topic installed-alerts" || fail "$tool could not run a command"
  done
done
echo "install-check: 5 checks passed, 0 failed"
