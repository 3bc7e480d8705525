#!/usr/bin/env bash
# Loads the hello example (examples/hello) and its raw-echo twin
# (bench/hellotwin) with wrk, in one run on 127.0.0.1, and prints a
# Markdown table: requests per second, p50 and p99 latency, and the
# ratio Backplane / raw echo for each scenario:
#
#   ping    GET /ping
#   create  POST /notes {"title":"x","priority":3}   (validated body)
#
#   ./bench/hello.sh                 # DURATION=10s CONNS=50 THREADS=2 WARMUP=2s
#   DURATION=5s ./bench/hello.sh
#
# Needs: wrk (apt-get install wrk), curl, Go. Both servers listen on
# 127.0.0.1 and are stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
BP_PORT=${BP_PORT:-3933}
RAW_PORT=${RAW_PORT:-3934}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

cat >"$WORK/post-note.lua" <<'LUA'
-- wrk script: create a note with a body that passes validation.
wrk.method = "POST"
wrk.body = '{"title":"x","priority":3}'
wrk.headers["Content-Type"] = "application/json"
LUA

go build -o "$WORK/hello" ./examples/hello/cmd/hello
go build -o "$WORK/hellotwin" ./bench/hellotwin

wait_ready() {
  for _ in $(seq 1 2000); do
    curl -fsS -o /dev/null "$1/ping" 2>/dev/null && return 0
    sleep 0.005
  done
  echo "server at $1 did not become ready" >&2; return 1
}

# Both servers must answer the same way before they are compared: a
# valid note is created (200), an invalid one is refused (422).
check() {
  local url=$1 code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"title":"x","priority":3}' "$url/notes")
  [ "$code" = 200 ] || { echo "$url: POST /notes (valid) answered $code" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"title":"x","priority":9}' "$url/notes")
  [ "$code" = 422 ] || { echo "$url: POST /notes (priority 9) answered $code, want 422" >&2; exit 1; }
}

( cd "$WORK" && exec "$WORK/hello" serve --set rest.host=127.0.0.1 --set rest.port="$BP_PORT" >"$WORK/hello.log" 2>&1 ) & PIDS+=("$!")
"$WORK/hellotwin" -addr "127.0.0.1:$RAW_PORT" >"$WORK/twin.log" 2>&1 & PIDS+=("$!")
BP=http://127.0.0.1:$BP_PORT
RAW=http://127.0.0.1:$RAW_PORT
wait_ready "$BP"; wait_ready "$RAW"
check "$BP"; check "$RAW"

# run NAME SCENARIO URL → appends "name|scenario|rps|p50|p99" to rows
run() {
  local name=$1 scen=$2 url=$3 args=()
  case $scen in
    ping) args=("$url/ping") ;;
    create) args=(-s "$WORK/post-note.lua" "$url/notes") ;;
  esac
  wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "${args[@]}" >/dev/null
  local out; out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${args[@]}")
  if grep -q 'Non-2xx' <<<"$out"; then echo "$name $scen: non-2xx responses:" >&2; echo "$out" >&2; exit 1; fi
  echo "$name|$scen|$(awk '/Requests\/sec/ {print $2}' <<<"$out")|$(awk '$1=="50%" {print $2}' <<<"$out")|$(awk '$1=="99%" {print $2}' <<<"$out")" >>"$WORK/rows"
}

for scen in ping create; do
  run backplane "$scen" "$BP"
  run raw-echo "$scen" "$RAW"
done

echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (warm-up $WARMUP), $(nproc) cores, $(go env GOVERSION), $(date -u +%Y-%m-%d)"
echo
echo "| scenario | server | req/s | p50 | p99 | Backplane / raw echo (req/s) |"
echo "|---|---|---|---|---|---|"
awk -F'|' '
  { rows[NR]=$0; if ($1=="raw-echo") raw[$2]=$3; if ($1=="backplane") bp[$2]=$3 }
  END {
    for (i=1; i<=NR; i++) { split(rows[i], f, "|");
      ratio = (f[1]=="backplane" && raw[f[2]] > 0) ? sprintf("%.2f", bp[f[2]]/raw[f[2]]) : "";
      printf "| %s | %s | %s | %s | %s | %s |\n", f[2], f[1], f[3], f[4], f[5], ratio } }' "$WORK/rows"
