#!/usr/bin/env bash
# Loads LoopBack 4's todo example, Backplane's examples/todo (memory and
# SQLite) and raw echo twins with wrk, in one run on 127.0.0.1, and prints a
# Markdown table: throughput, p50/p99 latency, idle and loaded RSS, cold
# start (process start to first 200), and ratios against LoopBack.
#
#   ./bench/todo.sh                 # DURATION=10s CONNS=50 THREADS=2 by default
#
# Needs: wrk (apt-get install wrk), node/npm (for LoopBack, from the npm
# registry), Go. Every server listens on 127.0.0.1 and is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

now_ms() { date +%s%3N; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# wait_ready URL START_MS → prints cold-start milliseconds
wait_ready() {
  for _ in $(seq 1 3000); do
    if curl -fsS -o /dev/null "$1/todos" 2>/dev/null; then echo $(( $(now_ms) - $2 )); return 0; fi
    sleep 0.005
  done
  echo "server at $1 did not become ready" >&2; return 1
}

seed() { for t in one two; do curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"title\":\"$t\"}" "$1/todos"; done; }

# load NAME URL PID COLD → appends rows to $WORK/rows
load() {
  local name=$1 url=$2 pid=$3 cold=$4
  seed "$url"
  local idle; idle=$(rss_mib "$pid")
  for scen in "find:GET /todos" "get:GET /todos/1" "create:POST /todos"; do
    local key=${scen%%:*} args=()
    case $key in
      find) args=("$url/todos") ;;
      get) args=("$url/todos/1") ;;
      create) args=(-s "$ROOT/bench/post-todo.lua" "$url/todos") ;;
    esac
    local out; out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${args[@]}")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "$name|$key|$rps|$p50|$p99|$idle|$(rss_mib "$pid")|$cold" >>"$WORK/rows"
  done
}

# --- LoopBack 4 (memory) ------------------------------------------------------
# start-todo.sh installs @loopback/example-todo@6.0.0 from the npm registry
# into LB4_DIR (a temporary directory unless set) and starts it; after the
# install, the server is restarted to time a real cold start.
LB_SH=${LB_SH:-$ROOT/../shared/loopback-reference/start-todo.sh}
LB_DIR=${LB4_DIR:-$WORK/lb4}
PORT=3917 SEED=0 LB4_DIR=$LB_DIR "$LB_SH" >/dev/null
kill "$(cat "$LB_DIR/server.pid")"; sleep 1
rm -f "$LB_DIR/run/data/db.json"
t0=$(now_ms)
(cd "$LB_DIR/run" && PORT=3917 exec node "$LB_DIR/start.js" >"$WORK/lb.log" 2>&1) & LB_PID=$!; PIDS+=("$LB_PID")
LB_COLD=$(wait_ready http://127.0.0.1:3917 "$t0")
load loopback-memory http://127.0.0.1:3917 "$LB_PID" "$LB_COLD"
kill "$LB_PID"; wait "$LB_PID" 2>/dev/null || true

# --- raw echo twins -----------------------------------------------------------
go build -o "$WORK/todotwin" ./bench/todotwin
for store in memory sqlite; do
  t0=$(now_ms)
  "$WORK/todotwin" -addr 127.0.0.1:3918 -store $store -db "$WORK/twin.db" & pid=$!; PIDS+=("$pid")
  cold=$(wait_ready http://127.0.0.1:3918 "$t0")
  load "echo-twin-$store" http://127.0.0.1:3918 "$pid" "$cold"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

# --- Backplane examples/todo --------------------------------------------------
if [ -d examples/todo ]; then
  go build -o "$WORK/todo" ./examples/todo/cmd/todo
  for ds in memory sqlite; do
    t0=$(now_ms)
    ( cd "$WORK" && exec "$WORK/todo" serve --set rest.port=3919 --set datasources.db.connector=$ds --set datasources.db.file="$WORK/bp.db" ) & pid=$!; PIDS+=("$pid")
    cold=$(wait_ready http://127.0.0.1:3919 "$t0")
    load "backplane-$ds" http://127.0.0.1:3919 "$pid" "$cold"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
fi

# --- report -------------------------------------------------------------------
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| server | scenario | req/s | p50 | p99 | idle RSS MiB | loaded RSS MiB | cold start ms | × LoopBack req/s |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -F'|' '
  $1=="loopback-memory" { base[$2]=$3 }
  { rows[NR]=$0 }
  END {
    for (i=1; i<=NR; i++) { split(rows[i], f, "|");
      ratio = (base[f[2]] > 0) ? sprintf("%.1f", f[3]/base[f[2]]) : "-";
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], ratio } }' "$WORK/rows"
