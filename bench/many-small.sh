#!/usr/bin/env bash
# Benchmark: 2000 files of 64 KiB from nginx on loopback, 16 at once: the downloader CLI (-j 16) against
# `aria2c -j16 -i list` and `xargs -P 16 curl`, in the same run, alternating the order each round.
#   bench/many-small.sh [ROUNDS]   (default 5)
# Output folders are fresh each run and removed only at the end, so no run pays for another's deletions.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}
COUNT=2000
bench_install
mkdir -p "$WORK/www/small"
if [ "$(find "$WORK/www/small" -name '*.bin' | wc -l)" -ne $COUNT ]; then
  for i in $(seq 1 $COUNT); do head -c 65536 /dev/urandom > "$WORK/www/small/f$i.bin"; done
fi
bench_nginx
bench_cli
list="$WORK/small-list.txt"
for i in $(seq 1 $COUNT); do echo "http://127.0.0.1:$PORT/small/f$i.bin"; done > "$list"

results="$WORK/many-small.tsv"
: > "$results"
runs="$WORK/runs"
rm -rf "$runs"
mkdir -p "$runs"
check() { # folder
  local n
  n=$(find "$1" -maxdepth 1 -name 'f*.bin' | wc -l)
  [ "$n" -eq $COUNT ] || { echo "bench: $1 holds $n files, expected $COUNT" >&2; exit 1; }
  cmp -s "$1/f$COUNT.bin" "$WORK/www/small/f$COUNT.bin" || { echo "bench: wrong bytes in $1" >&2; exit 1; }
}
one() { # tool round
  local dir="$runs/$1-$2"
  mkdir -p "$dir"
  sync
  case $1 in
    downloader) time_run downloader "$results" "$CLI" -i "$list" -d "$dir" -j 16 -q ;;
    aria2c) time_run aria2c "$results" aria2c -q -j16 -i "$list" -d "$dir" ;;
    curl) time_run curl "$results" sh -c "cd '$dir' && xargs -P 16 -n 50 curl -s --remote-name-all < '$list'" ;;
  esac
  check "$dir"
}
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  case $((r % 3)) in
    1) order="downloader aria2c curl" ;;
    2) order="aria2c curl downloader" ;;
    0) order="curl downloader aria2c" ;;
  esac
  for tool in $order; do one "$tool" "$r"; done
done
rm -rf "$runs"

python3 - "$results" <<'PY'
import statistics, sys, collections
data = collections.defaultdict(list)
for line in open(sys.argv[1]):
    tool, secs, rss = line.split()
    data[tool].append((float(secs), int(rss)))
base = statistics.median(s for s, _ in data["aria2c"])
print("| 2000 × 64 KiB, 16 at once | runs | median s | files/s | peak RSS MiB | time vs aria2c |")
print("|---|---|---|---|---|---|")
for tool in ("downloader", "aria2c", "curl"):
    med = statistics.median(s for s, _ in data[tool])
    rss = max(r for _, r in data[tool]) / 1024
    print(f"| {tool} | {len(data[tool])} | {med:.2f} | {2000/med:.0f} | {rss:.0f} | {med/base:.2f}x |")
PY
