#!/usr/bin/env bash
# Starts the product as a user would (npm start, embedded database in a fresh folder), waits for /api/health,
# then stops it with Ctrl-C and checks that the embedded server stopped too. Prints the seconds each start took.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
chmod 755 "$dir"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
log="$dir/app.log"
trap 'kill -INT $pid 2>/dev/null || true; rm -rf "$dir"' EXIT

start_once() {
  local t0=$(date +%s.%N)
  env -u DATABASE_URL -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD \
    EMBEDDED_PG_DIR="$dir/pgdata" PORT="$port" LOG_LEVEL=warn setsid npm start >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if body=$(curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null); then break; fi
    if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "npm start exited early"; exit 1; fi
    sleep 0.5
  done
  echo "$body" | grep -q '"status":"ok","database":"ok"' || { cat "$log"; echo "health not ok: ${body:-none}"; exit 1; }
  echo "$1 start: $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}") s  $body"
  curl -fsS "http://127.0.0.1:$port/" | grep -q '医疗服务价格改革分析平台' || { echo "web app not served"; exit 1; }
  kill -INT -- -$pid
  for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
  if kill -0 $pid 2>/dev/null; then echo "npm start did not stop on SIGINT"; exit 1; fi
  if [ -f "$dir/pgdata/postmaster.pid" ]; then echo "embedded PostgreSQL still running after stop"; exit 1; fi
}
start_once first
start_once second
