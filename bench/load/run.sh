#!/bin/sh
# Load test in the production shape of the README: gunicorn with 4 workers on 127.0.0.1,
# PostgreSQL, Redis rate-limit storage; locust headless with 50 users for a bounded time.
#
#   bench/load/run.sh [DATABASE_URL] [DURATION]     e.g. bench/load/run.sh postgresql://postgres@127.0.0.1:5432/h_proof 2m
#
# The database's schema is DROPPED first: give it a scratch database. Results (CSV) go to
# $OUT (default /tmp/welfare-load). Needs the bench extra: pip install -e '.[bench]'.
set -eu
cd "$(dirname "$0")/../.."
DB=${1:-postgresql://postgres@127.0.0.1:5432/welfare_load}
DURATION=${2:-2m}
OUT=${OUT:-/tmp/welfare-load}
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
rm -rf "$OUT" && mkdir -p "$OUT/data"
psql "$DB" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null

export WELFARE_DATA_DIR="$OUT/data"
export WELFARE_SQLALCHEMY_DATABASE_URI="$DB"
export WELFARE_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/5"
export WELFARE_RATELIMIT_KEY_PREFIX="welfare-load-$$"
export WELFARE_WORKERS=4
# Every simulated user comes from 127.0.0.1, so the per-address search limit (120/min, meant
# for one resident) would answer 429 to the crowd; the limits are otherwise as in production.
export WELFARE_SEARCH_RATE_LIMIT="100000 per minute"
# Plain HTTP on 127.0.0.1 here; in production nginx terminates TLS and the cookie stays Secure.
export WELFARE_SESSION_COOKIE_SECURE=false
export WELFARE_BABEL_DEFAULT_LOCALE=sl

"$PY" bench/load/prepare.py "$OUT/plan.json"
"$BIN/flask" --app welfare catalog reindex  # the demo load leaves the index to the first search otherwise
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN/gunicorn" -w 4 -b "127.0.0.1:$PORT" --error-logfile "$OUT/gunicorn.log" 'welfare:create_app()' &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break
  sleep 1
done
LOAD_PLAN="$OUT/plan.json" "$BIN/locust" -f bench/load/locustfile.py --headless -u 50 -r 10 \
  -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary || true
echo "results: $OUT/load_stats.csv; server errors logged:"
grep -c "Unhandled error" "$OUT/gunicorn.log" || true
