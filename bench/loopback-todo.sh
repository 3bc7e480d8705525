#!/usr/bin/env bash
# Installs LoopBack 4's todo example, @loopback/example-todo@6.0.0, from
# the npm registry into a directory, and optionally starts it on
# 127.0.0.1 with its memory datasource (empty). The LoopBack side of
# bench/todo.sh; also handy to see what LoopBack answers to a request.
#
#   bench/loopback-todo.sh install DIR          # npm install into DIR (once)
#   bench/loopback-todo.sh start DIR [PORT]     # install if needed, then run in the foreground
#
# DIR gets node_modules/, start.js (bench/loopback-todo/start.js) and
# run/data/ (the working directory: the example's memory connector
# persists to ./data/db.json, and answers 500 to every POST without it).
# Needs node and npm (apt-get install nodejs npm when missing).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=6.0.0

install() {
  local dir=$1
  if ! command -v npm >/dev/null; then
    echo "loopback-todo: installing node and npm" >&2
    local sudo=; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
  fi
  mkdir -p "$dir"
  if [ ! -f "$dir/node_modules/@loopback/example-todo/package.json" ] ||
     ! grep -q "\"version\": \"$VERSION\"" "$dir/node_modules/@loopback/example-todo/package.json"; then
    [ -f "$dir/package.json" ] || echo '{"name":"lb4-todo-bench","private":true}' >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error \
      --registry=https://registry.npmjs.org/ "@loopback/example-todo@$VERSION" >&2)
  fi
  cp "$HERE/loopback-todo/start.js" "$dir/start.js"
  mkdir -p "$dir/run/data"
  rm -f "$dir/run/data/db.json"
}

DIR=${2:-}
if [ -n "$DIR" ]; then mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd); fi
case ${1:-} in
  install) install "${DIR:?DIR}" ;;
  start)
    install "${DIR:?DIR}"
    cd "$DIR/run"
    PORT=${3:-3000} exec node "$DIR/start.js" ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
