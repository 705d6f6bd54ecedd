#!/bin/bash
# Throughput of one route under two settings of the server (environment variables), on the
# demo's content: alternating runs of wrk -t2 -c32 -d5s (AB_RUNS, default 3); prints requests/s per run and
# the ratio of the medians, B over A. Build first: cargo build --release -p bao-server.
# usage: tests/bench/ab.sh PATH 'NAME=VALUE …' 'NAME=VALUE …'
#   tests/bench/ab.sh '/api/v1/changes?limit=20' BAO_API_RATE=0 BAO_API_RATE=100000000
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/target/release/multibao-embed
DB=$(mktemp -d)/db.sqlite3
(cd "$ROOT/demo" && "$BIN" --db "$DB" sync --sources sources.toml > /dev/null 2>&1)
run() {
  env $1 RUST_LOG=warn "$BIN" --db "$DB" serve --listen 127.0.0.1:8731 --sync-interval 0 > /dev/null 2>&1 &
  local pid=$!
  sleep 1.5
  wrk -t2 -c32 -d5s "http://127.0.0.1:8731$2" | awk '/Requests\/sec/{print $2}'
  kill "$pid"
  wait "$pid" 2> /dev/null || true
}
a=()
b=()
for _ in $(seq "${AB_RUNS:-3}"); do
  a+=("$(run "$2" "$1")")
  b+=("$(run "$3" "$1")")
  echo "A ${a[-1]}  B ${b[-1]}"
done
python3 -c 'import statistics, sys; a, b = (statistics.median(map(float, x.split())) for x in sys.argv[1:]); print(f"medians: A {a:.0f}, B {b:.0f} req/s; B/A {b / a:.2f}")' "${a[*]}" "${b[*]}"
