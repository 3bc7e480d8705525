#!/usr/bin/env bash
# What an application built on Backplane costs before it serves anything:
# binary sizes and linked packages of examples/hello and examples/todo,
# and for examples/todo on SQLite its cold start (process start to the
# first 200 from GET /todos, on a new database, so the schema migration is
# included) and its idle RSS after seeding (two todos created and read
# back, then one second idle, as bench/todo.sh measures it), split into
# anonymous and file-backed pages.
#
#   ./bench/footprint.sh                          # this tree
#   ./bench/footprint.sh before=../old after=.    # several trees, one run
#
# Each argument is LABEL=DIR, a source tree of this module (a git
# worktree of another commit, for instance). Binaries are built with the
# Go in PATH, as `go build` does by default. The starts are interleaved:
# round after round, each tree's binary is started in turn (the order
# rotates each round), ROUNDS times (5 by default), so that other work on
# the machine weighs on every tree alike; the figures are the medians.
# Needs Go and curl. Every server is stopped at exit.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-5}
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "footprint.sh: $*" >&2; }

[ $# -gt 0 ] || set -- "this=."
LABELS=()
declare -A DIRS
for arg in "$@"; do
  label=${arg%%=*}; dir=${arg#*=}
  [ "$label" != "$arg" ] || { label=$(basename "$(cd "$dir" && pwd)"); }
  DIRS[$label]=$(cd "$dir" && pwd)
  LABELS+=("$label")
done

go build -o "$WORK/waitready" ./bench/waitready

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# nonstd DIR PKG counts the packages PKG links that are not in the
# standard library; issue DIR PKG counts `go list -deps` lines with a dot
# (which also counts the standard library's vendored golang.org/x
# packages); modules DIR PKG counts the modules other than this one.
nonstd() { (cd "$1" && go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$2" | grep -c .); }
dotted() { (cd "$1" && go list -deps "$2" | grep -c '\.'); }
modules() { (cd "$1" && go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}' "$2" | sort -u | grep -c .) || true; }

declare -A SIZE
for l in "${LABELS[@]}"; do
  d=${DIRS[$l]}
  log "$l: building $d"
  for ex in hello todo; do
    (cd "$d" && go build -o "$WORK/$l-$ex" "./examples/$ex/cmd/$ex")
    SIZE[$l-$ex]=$(stat -c %s "$WORK/$l-$ex")
    echo "$l|$ex|${SIZE[$l-$ex]}|$(nonstd "$d" "./examples/$ex/cmd/$ex")|$(dotted "$d" "./examples/$ex/cmd/$ex")|$(modules "$d" "./examples/$ex/cmd/$ex")" >>"$WORK/sizes"
  done
done

free_port() {
  local p lo
  read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % (lo - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no free port" >&2; return 1
}
field() { awk -v k="$2:" '$1 == k { print $2; exit }' "$1"; }

# run LABEL starts LABEL's todo on a new SQLite database (the example's
# default, todo.db in its working directory), times the first 200, seeds,
# idles a second and appends "label|cold ms|VmRSS|RssAnon|RssFile KiB"
# to runs.
run() {
  local l=$1 dir=$WORK/run-$1 port url t0 t1 body id
  rm -rf "$dir"; mkdir -p "$dir"; sync
  port=$(free_port); url=http://127.0.0.1:$port
  t0=$EPOCHREALTIME
  (cd "$dir" && exec "$WORK/$l-todo" serve --set rest.host=127.0.0.1 --set "rest.port=$port") >"$dir/log" 2>&1 &
  PID=$!
  t1=$("$WORK/waitready" -timeout 60s -pid "$PID" "$url/todos") || { cat "$dir/log" >&2; exit 1; }
  for t in one two; do
    body=$(curl -sS -f -H 'Content-Type: application/json' -d "{\"title\":\"$t\"}" "$url/todos")
    [ -n "${id:-}" ] || id=$(sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p' <<<"$body")
  done
  curl -sS -f -o /dev/null "$url/todos/$id"
  curl -sS -f -o /dev/null "$url/todos"
  sleep 1
  echo "$l|$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')|$(field "/proc/$PID/status" VmRSS)|$(field "/proc/$PID/status" RssAnon)|$(field "/proc/$PID/status" RssFile)" >>"$WORK/runs"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

n=${#LABELS[@]}
for r in $(seq 0 $((ROUNDS - 1))); do
  for i in $(seq 0 $((n - 1))); do
    l=${LABELS[$(((i + r) % n))]}
    run "$l"
  done
  log "round $((r + 1)) of $ROUNDS done"
done

echo "$(nproc) cores, $(go env GOVERSION), $(date -u '+%Y-%m-%d %H:%M UTC'), medians of $ROUNDS interleaved starts"
echo
echo "| tree | example | binary bytes | binary MB | non-std packages | \`go list -deps\` lines with a dot | modules |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F'|' '{ printf "| %s | %s | %d | %.1f | %s | %s | %s |\n", $1, $2, $3, $3 / 1e6, $4, $5, $6 }' "$WORK/sizes"
echo
echo "| tree | todo cold start ms | idle RSS MiB | anonymous MiB | file-backed MiB | cold starts ms | idle RSS MiB each |"
echo "|---|---:|---:|---:|---:|---|---|"
for l in "${LABELS[@]}"; do
  cold=$(awk -F'|' -v l="$l" '$1 == l { print $2 }' "$WORK/runs" | median)
  rss=$(awk -F'|' -v l="$l" '$1 == l { print $3 }' "$WORK/runs" | median)
  anon=$(awk -F'|' -v l="$l" '$1 == l { print $4 }' "$WORK/runs" | median)
  file=$(awk -F'|' -v l="$l" '$1 == l { print $5 }' "$WORK/runs" | median)
  colds=$(awk -F'|' -v l="$l" '$1 == l { printf "%s%s", s, $2; s = " " }' "$WORK/runs")
  rsss=$(awk -F'|' -v l="$l" '$1 == l { printf "%s%.1f", s, $3 / 1024; s = " " }' "$WORK/runs")
  awk -v l="$l" -v c="$cold" -v r="$rss" -v a="$anon" -v f="$file" -v cs="$colds" -v rs="$rsss" \
    'BEGIN { printf "| %s | %.1f | %.1f | %.1f | %.1f | %s | %s |\n", l, c, r / 1024, a / 1024, f / 1024, cs, rs }'
done
