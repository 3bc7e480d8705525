#!/usr/bin/env bash
# Install (once) and start LoopBack 4's todo-jwt example on 127.0.0.1:$PORT
# (default 3918), with its in-memory datasource, to check Backplane's
# todo-jwt contract against LoopBack itself:
#
#   ./scripts/loopback-todo-jwt/start-todo-jwt.sh
#   BACKPLANE_LOOPBACK_JWT_URL=http://127.0.0.1:3918 go test -tags loopback ./examples/todo-jwt -run LoopBack -v
#   kill "$(cat /tmp/lb4-jwt/server.pid)"
#
# The example is not published on npm; start.js assembles it from
# @loopback/example-todo and the authentication packages of the same
# LoopBack release (one copy of @loopback/core).
#   LB4JWT_DIR  install/run directory (default /tmp/lb4-jwt)
set -euo pipefail
DIR=${LB4JWT_DIR:-/tmp/lb4-jwt}
PORT=${PORT:-3918}
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$DIR"
cd "$DIR"
if [ ! -d node_modules/@loopback/authentication-jwt ]; then
  [ -f package.json ] || npm init -y >/dev/null
  npm install --no-audit --no-fund @loopback/example-todo@6.0.0 \
    @loopback/authentication-jwt@0.12.5 @loopback/authentication@9.0.10 @loopback/security@0.8.10
fi
cp "$HERE/start.js" "$DIR/start.js"
# the memory datasource persists to ./data/db.json: start empty
mkdir -p "$DIR/run/data"
rm -f "$DIR/run/data/db.json"
cd "$DIR/run"
PORT=$PORT nohup node "$DIR/start.js" >"$DIR/server.log" 2>&1 &
echo $! >"$DIR/server.pid"
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/openapi.json" >/dev/null 2>&1; then
    echo "LoopBack todo-jwt listening on http://127.0.0.1:$PORT (pid $(cat "$DIR/server.pid"))"
    exit 0
  fi
  sleep 0.5
done
echo "server did not start; see $DIR/server.log" >&2
exit 1
