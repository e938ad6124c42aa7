#!/usr/bin/env bash
# `dossier serve` under load: it listens on 127.0.0.1 only, and 1,000 concurrent connections
# from wrk are served without a socket error or a failed response while saves make it rebuild.
#
#     bash .ci/serve-load.sh [DOSSIER]        # DOSSIER defaults to .build/debug/dossier
#
# Needs wrk (Debian: apt-get install wrk), ss (iproute2) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
dossier=$(realpath "${1:-.build/debug/dossier}")
tmp=$(mktemp -d)
serve=""
saver=""
cleanup() {
  for process in $saver $serve; do kill "$process" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

connections=1000
# wrk and the server each need a descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((connections + 200)) ] \
  || { echo "FAIL: ulimit -n is $(ulimit -n), too few descriptors for $connections connections"; exit 1; }

"$dossier" new "$tmp/site" > /dev/null
article="$tmp/site/content/articles/beispiel.md"
original=$(cat "$article")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$dossier" serve --site "$tmp/site" --port "$port" 2> "$tmp/serve.err" &
serve=$!
for _ in $(seq 1 200); do grep -q "serving" "$tmp/serve.err" && break; sleep 0.1; done
grep -q "serving http://127.0.0.1:$port/" "$tmp/serve.err" || { cat "$tmp/serve.err"; echo "FAIL: serve did not start"; exit 1; }

echo "== listens on 127.0.0.1 only"
ss -Hltn "sport = :$port" | tee "$tmp/listening"
[ -s "$tmp/listening" ] || fail "nothing listens on port $port"
! awk '{ print $4 }' "$tmp/listening" | grep -vqx "127.0.0.1:$port" || fail "serve listens beyond 127.0.0.1"

echo "== $connections connections for 15 s while saves make it rebuild"
# wrk counts a request unanswered for 2 s as a timeout, a socket error.
(
  for round in $(seq 1 12); do
    sleep 1
    printf '%s\n\nFassung %s.\n' "$original" "$round" > "$article"
  done
) &
saver=$!
wrk -c "$connections" -t 2 -d 15s --latency "http://127.0.0.1:$port/articles/beispiel/index.html" > "$tmp/wrk.log"
wait "$saver" || true
saver=""
sleep 1
cat "$tmp/wrk.log"
rebuilds=$(grep -c "built .* pages" "$tmp/serve.err" || true)
echo "serve built the site $rebuilds times"
[ "$rebuilds" -ge 3 ] || { cat "$tmp/serve.err"; fail "the saves made no rebuilds during the load"; }
! grep -q "Socket errors" "$tmp/wrk.log" || fail "socket errors under load"
! grep -q "Non-2xx or 3xx responses" "$tmp/wrk.log" || fail "failed responses under load"
requests=$(awk '/requests in/ { print $1 }' "$tmp/wrk.log")
[ "${requests:-0}" -ge "$connections" ] || fail "only ${requests:-0} requests were served"
python3 -c "import urllib.request, sys; sys.exit(0 if b'Fassung 12.' in urllib.request.urlopen('http://127.0.0.1:$port/articles/beispiel/index.html').read() else 1)" \
  || fail "the last save is not served"
kill -0 "$serve" 2>/dev/null || fail "serve is gone"

if [ "$failures" -gt 0 ]; then echo "serve under load: $failures failures"; exit 1; fi
echo "serve under load: all checks passed"
