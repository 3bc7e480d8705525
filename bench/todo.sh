#!/usr/bin/env bash
# The todo API against LoopBack, in one run on 127.0.0.1 with wrk:
#
#   loopback          @loopback/example-todo@6.0.0 from the npm registry
#                     (bench/loopback-todo.sh installs it into a temporary
#                     directory), its memory datasource
#   twin-memory       bench/todotwin: the same routes by hand on echo, a map
#   backplane-memory  examples/todo, datasources.db.connector=memory,
#                     persisted to todo.json (LoopBack's memory connector
#                     persists to its data/db.json too)
#   backplane-memory-nofile  examples/todo on the memory connector with no
#                     file (datasources.db.file=), as the memory twin
#   twin-sqlite       bench/todotwin: echo + database/sql on SQLite
#   backplane-sqlite  examples/todo, datasources.db.connector=sqlite
#
# Each is loaded with the LoopBack benchmark's scenarios (find: GET /todos
# with 2 todos seeded; create: POST /todos {"title":"Finish this","desc":
# "Finish running this benchmark."}) plus get: GET /todos/{id}. The script
# prints throughput, p50/p99 latency, idle RSS (after seeding), loaded RSS
# (peak during each scenario), cold start (process start to the first 200
# from GET /todos, the median of COLD_RUNS starts, each on a new database
# so that SQLite's schema migration is included), and the ratios against
# the targets: Backplane >= 25x LoopBack's throughput, p99 <= 1/10 of
# LoopBack's, idle RSS <= 1/8, cold start <= 1/20; Backplane >= 0.9x the
# memory twin and >= 0.8x the SQLite twin.
#
#   ./bench/todo.sh      # DURATION=10s WARMUP=2s THREADS=1 CONNS=32 COLD_RUNS=5
#
# Every scenario is warmed up for WARMUP, then measured for DURATION; a
# run with a non-2xx answer or a socket error fails. Servers and wrk share
# the machine's cores (THREADS=1 leaves a core to the server on a 2-core
# machine). LB4_DIR=dir reuses a LoopBack install; OUT=dir keeps the wrk
# outputs and server logs. Needs Go and curl; wrk and node/npm are
# installed with apt-get when missing. Every server is stopped at exit.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
THREADS=${THREADS:-1}
CONNS=${CONNS:-32}
COLD_RUNS=${COLD_RUNS:-5}
WORK=$(mktemp -d)
LB_DIR=${LB4_DIR:-$WORK/lb4}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${OUT:-}" ]; then mkdir -p "$OUT" && cp "$WORK"/*.log "$WORK"/*.wrk "$WORK/rows" "$OUT"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v wrk >/dev/null; then
  echo "todo.sh: installing wrk" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi

log() { echo "todo.sh: $*" >&2; }

# free_port prints a port of 127.0.0.1 nothing listens on, below the
# ephemeral range (where a client's socket may hold a port nobody listens
# on).
free_port() {
  local p lo
  read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % (lo - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no free port" >&2; return 1
}

kib() { local k v _; while read -r k v _; do [ "$k" = "$2:" ] && { echo "$v"; return; }; done <"/proc/$1/status"; echo 0; }

# start NAME URL DIR CMD... starts a server from DIR (logging to
# NAME.log) and waits for GET URL/todos to answer 200; sets PID and COLD
# (milliseconds from the fork to that answer).
start() {
  local name=$1 url=$2 dir=$3; shift 3
  local t0=$EPOCHREALTIME t1
  ( cd "$dir" && exec "$@" ) >>"$WORK/$name.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
  t1=$("$WORK/waitready" -timeout 120s -pid "$PID" "$url/todos") || { cat "$WORK/$name.log" >&2; exit 1; }
  COLD=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# bench NAME RESET CMD... : COLD_RUNS cold starts (RESET runs before each
# to give the server a new, empty database), then the scenarios on the
# last one.
bench() {
  local name=$1 reset=$2; shift 2
  local port url colds=() i
  port=$(free_port); url=http://127.0.0.1:$port
  mkdir -p "$WORK/$name"
  sync
  for i in $(seq 1 "$COLD_RUNS"); do
    (cd "$WORK/$name" && eval "$reset")
    start "$name" "$url" "$WORK/$name" "${@//@PORT@/$port}"
    colds+=("$COLD")
    [ "$i" = "$COLD_RUNS" ] || stop "$PID"
  done
  local cold; cold=$(printf '%s\n' "${colds[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  log "$name: cold starts ${colds[*]} ms (median $cold)"
  load "$name" "$url" "$PID" "$cold"
  stop "$PID"
  # Delete the database now: its dirty pages are dropped rather than
  # written back while the next server runs.
  du -sh "$WORK/$name" | awk -v n="$name" '{ print "todo.sh: " n ": data left " $1 }' >&2
  rm -rf "${WORK:?}/$name"
}

# load NAME URL PID COLD seeds two todos, checks the answers, and runs
# the scenarios; appends "name|scenario|req/s|p50|p99|idle KiB|loaded
# KiB|cold ms" to rows.
load() {
  local name=$1 url=$2 pid=$3 cold=$4 id body code
  for t in one two; do
    body=$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' -d "{\"title\":\"$t\"}" "$url/todos")
    code=${body##*$'\n'}; body=${body%$'\n'*}
    [ "$code" = 200 ] || { log "$name: seeding POST /todos answered $code: $body"; exit 1; }
    [ -n "${id:-}" ] || id=$(sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p' <<<"$body")
  done
  [ -n "$id" ] || { log "$name: no id in $body"; exit 1; }
  code=$(curl -s -o "$WORK/check" -w '%{http_code}' "$url/todos/$id")
  [ "$code" = 200 ] && grep -q '"title":"one"' "$WORK/check" || { log "$name: GET /todos/$id answered $code: $(cat "$WORK/check")"; exit 1; }
  code=$(curl -s -o "$WORK/check" -w '%{http_code}' "$url/todos")
  [ "$code" = 200 ] && [ "$(grep -o '"id"' "$WORK/check" | wc -l)" = 2 ] || { log "$name: GET /todos answered $code: $(cat "$WORK/check")"; exit 1; }
  sleep 1
  local idle; idle=$(kib "$pid" VmRSS)
  for scen in find get create; do
    local args=()
    case $scen in
      find) args=("$url/todos") ;;
      get) args=("$url/todos/$id") ;;
      create) args=(-s "$ROOT/bench/post-todo.lua" "$url/todos") ;;
    esac
    log "$name: $scen"
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "${args[@]}" >"$WORK/$name-$scen-warmup.wrk"
    # The peak RSS (VmHWM) is reset so that it covers this scenario only.
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
    local out; out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${args[@]}")
    echo "$out" >"$WORK/$name-$scen.wrk"
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then log "$name $scen: failed requests:"; echo "$out" >&2; exit 1; fi
    local loaded; loaded=$(kib "$pid" VmHWM)
    echo "$name|$scen|$(awk '/Requests\/sec/ {print $2}' <<<"$out")|$(awk '$1=="50%" {print $2}' <<<"$out")|$(awk '$1=="99%" {print $2}' <<<"$out")|$idle|$loaded|$cold" >>"$WORK/rows"
  done
}

log "building"
go build -o "$WORK/waitready" ./bench/waitready
go build -o "$WORK/todotwin" ./bench/todotwin
go build -o "$WORK/todo" ./examples/todo/cmd/todo

# --- LoopBack 4 (memory) ------------------------------------------------------
log "installing @loopback/example-todo@6.0.0 into $LB_DIR"
"$ROOT/bench/loopback-todo.sh" install "$LB_DIR"
LB_DIR=$(cd "$LB_DIR" && pwd)
# The example persists its memory datasource to ./data/db.json: each start
# gets an empty data/.
bench loopback 'rm -rf data && mkdir data' env PORT=@PORT@ node "$LB_DIR/start.js"

# --- raw echo twins and Backplane ---------------------------------------------
bench twin-memory : "$WORK/todotwin" -addr 127.0.0.1:@PORT@ -store memory
bench backplane-memory 'rm -f todo.json todo.json.*' "$WORK/todo" serve --set rest.host=127.0.0.1 --set rest.port=@PORT@ --set datasources.db.connector=memory --set datasources.db.file=todo.json
bench backplane-memory-nofile : "$WORK/todo" serve --set rest.host=127.0.0.1 --set rest.port=@PORT@ --set datasources.db.connector=memory --set datasources.db.file=
bench twin-sqlite 'rm -f twin.db twin.db-wal twin.db-shm' "$WORK/todotwin" -addr 127.0.0.1:@PORT@ -store sqlite -db twin.db
bench backplane-sqlite 'rm -f todo.db todo.db-wal todo.db-shm' "$WORK/todo" serve --set rest.host=127.0.0.1 --set rest.port=@PORT@ --set datasources.db.connector=sqlite --set datasources.db.file=todo.db

# --- report -------------------------------------------------------------------
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (warm-up $WARMUP), $(nproc) cores, $(go env GOVERSION), node $(node --version), $(date -u +%Y-%m-%d)"
echo
echo "| server | scenario | req/s | p50 | p99 | idle RSS MiB | loaded RSS MiB | cold start ms |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
awk -F'|' '{ printf "| %s | %s | %.0f | %s | %s | %.1f | %.1f | %s |\n", $1, $2, $3, $4, $5, $6/1024, $7/1024, $8 }' "$WORK/rows"
echo
echo "| Backplane | scenario | req/s × LoopBack (≥ 25) | p99 ÷ LoopBack (≤ 0.10) | req/s × twin (≥ 0.9 memory, ≥ 0.8 SQLite) |"
echo "|---|---|---:|---:|---:|"
awk -F'|' '
  function us(s) { if (s ~ /us$/) return s + 0; if (s ~ /ms$/) return (s + 0) * 1e3; if (s ~ /s$/) return (s + 0) * 1e6; if (s ~ /m$/) return (s + 0) * 6e7; return s + 0 }
  function mark(ok) { return ok ? "✓" : "✗" }
  { rps[$1, $2] = $3; p99[$1, $2] = us($5); idle[$1] = $6; cold[$1] = $8; loaded[$1] = ($7 > loaded[$1]) ? $7 : loaded[$1] }
  END {
    n = split("memory memory-nofile sqlite", ds, " "); m = split("find get create", sc, " ")
    for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) {
      b = "backplane-" ds[i]; s = sc[j]; min = (ds[i] == "sqlite") ? 0.8 : 0.9; twin = (ds[i] == "sqlite") ? "twin-sqlite" : "twin-memory"
      x = rps[b, s] / rps["loopback", s]; p = p99[b, s] / p99["loopback", s]; t = rps[b, s] / rps[twin, s]
      printf "| %s | %s | %.1f %s | %.3f %s | %.2f %s |\n", ds[i], s, x, mark(x >= 25), p, mark(p <= 0.1), t, mark(t >= min)
    }
    print ""
    print "| server | idle RSS ÷ LoopBack (≤ 0.125) | peak loaded RSS ÷ LoopBack | cold start ÷ LoopBack (≤ 0.05) |"
    print "|---|---:|---:|---:|"
    k = split("twin-memory backplane-memory backplane-memory-nofile twin-sqlite backplane-sqlite", sv, " ")
    for (i = 1; i <= k; i++) {
      r = idle[sv[i]] / idle["loopback"]; l = loaded[sv[i]] / loaded["loopback"]; c = cold[sv[i]] / cold["loopback"]
      printf "| %s | %.3f %s | %.3f | %.3f %s |\n", sv[i], r, mark(r <= 0.125), l, c, mark(c <= 0.05)
    }
  }' "$WORK/rows"
