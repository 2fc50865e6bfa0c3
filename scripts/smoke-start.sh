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
  # the start printed the demo users; one of them signs in and reads the rounds, which answer 401 without a session
  grep -q 'suzhou .*demo2026' "$log" || { cat "$log"; echo "the demo users were not printed"; exit 1; }
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/rounds")" = 401 ] || { echo "rounds answered without a session"; exit 1; }
  curl -fsS -c "$dir/cookies" -H 'content-type: application/json' -d '{"username":"suzhou","password":"demo2026"}' \
    "http://127.0.0.1:$port/api/auth/login" >/dev/null || { cat "$log"; echo "the demo user could not sign in"; exit 1; }
  curl -fsS -b "$dir/cookies" "http://127.0.0.1:$port/api/rounds" | grep -q '苏州' || { echo "the signed-in user read no rounds"; exit 1; }
  kill -INT -- -$pid
  for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
  if kill -0 $pid 2>/dev/null; then echo "npm start did not stop on SIGINT"; exit 1; fi
  # the server removes its lock file as its last step, which on a busy machine can come a moment after npm start exits
  for _ in $(seq 1 30); do [ -f "$dir/pgdata/postmaster.pid" ] || break; sleep 0.5; done
  if [ -f "$dir/pgdata/postmaster.pid" ]; then echo "embedded PostgreSQL still running 15 s after stop"; exit 1; fi
}
start_once first
start_once second
