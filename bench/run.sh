#!/usr/bin/env bash
# Benchmark: the downloader CLI against aria2c, side by side in the same run, on nginx over loopback.
#   bench/run.sh [ROUNDS]      (default 3; each round runs both tools on both files, alternating)
# Prints a Markdown table of medians, MiB/s, peak RSS and time as a ratio to aria2c.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}
bench_install

make_file() { # name size-in-MiB
  [ -f "$WORK/www/$1" ] && [ "$(stat -c %s "$WORK/www/$1")" -eq $(($2 * 1024 * 1024)) ] && return
  head -c $(($2 * 1024 * 1024)) /dev/urandom > "$WORK/www/$1"
}
make_file big.bin 1024
make_file medium.bin 256
bench_nginx
bench_cli

results="$WORK/results.tsv"
: > "$results"
run() { # tool case url
  local tool=$1 case=$2 url=$3 out="$WORK/out/$2.bin"
  rm -f "$out" "$out".*
  local cmd
  if [ "$tool" = downloader ]; then
    cmd="$CLI $url -o $out -x 16 -q"
  else
    cmd="aria2c -q -x16 -s16 -k1M --file-allocation=none --allow-overwrite=true -d $WORK/out -o $case.bin $url"
  fi
  sync
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" $cmd
  read -r secs rss < "$WORK/time.txt"
  cmp -s "$out" "$WORK/www/$(basename "$url")" || { echo "bench: $tool produced wrong bytes for $case" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\n' "$case" "$tool" "$secs" "$rss" >> "$results"
  echo "  $case $tool ${secs}s rss ${rss}KiB" >&2
  rm -f "$out"
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  # Alternate who goes first, so neither tool always gets the warmer cache.
  if [ $((r % 2)) -eq 1 ]; then order="downloader aria2c"; else order="aria2c downloader"; fi
  for tool in $order; do run "$tool" "1GiB-unthrottled" "http://127.0.0.1:$PORT/big.bin"; done
  for tool in $order; do run "$tool" "256MiB-4MiBps-per-conn" "http://127.0.0.1:$PORT/throttled/medium.bin"; done
done

python3 - "$results" <<'PY'
import statistics, sys, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
data = collections.defaultdict(lambda: collections.defaultdict(list))
for case, tool, secs, rss in rows:
    data[case][tool].append((float(secs), int(rss)))
size = {"1GiB-unthrottled": 1024, "256MiB-4MiBps-per-conn": 256}
print("| case | tool | runs | median s | MiB/s | peak RSS MiB | time vs aria2c |")
print("|---|---|---|---|---|---|---|")
for case in data:
    base = statistics.median(s for s, _ in data[case]["aria2c"])
    for tool in ("downloader", "aria2c"):
        runs = data[case][tool]
        med = statistics.median(s for s, _ in runs)
        rss = max(r for _, r in runs) / 1024
        print(f"| {case} | {tool} | {len(runs)} | {med:.2f} | {size[case]/med:.0f} | {rss:.0f} | {med/base:.2f}x |")
PY
