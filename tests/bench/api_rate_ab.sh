#!/bin/bash
# Build first: cargo build --release -p bao-server. Three alternating runs of wrk -t2 -c32 -d5s.
# A/B: the API rate on computed answers (uncached /api/v1/changes), 0 (off) against on but never reached.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/target/release/multibao-embed
D=$(mktemp -d)
cd "$ROOT/demo" && $BIN --db $D/db.sqlite3 sync --sources sources.toml > /dev/null 2>&1
run() { # $1 rate
  BAO_API_RATE=$1 RUST_LOG=warn $BIN --db $D/db.sqlite3 serve --listen 127.0.0.1:8731 --sync-interval 0 > /dev/null 2>&1 &
  pid=$!; sleep 1.5
  wrk -t2 -c32 -d5s "http://127.0.0.1:8731/api/v1/changes?limit=20" | awk '/Requests\/sec/{print $2}'
  kill $pid; wait $pid 2>/dev/null || true
}
for i in 1 2 3; do echo "off $(run 0)  on $(run 100000000)"; done
