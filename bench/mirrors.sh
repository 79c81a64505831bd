#!/usr/bin/env bash
# Benchmark: one file from two mirrors. A 256 MiB file served by two nginx server blocks (127.0.0.1 and 127.0.0.2,
# the same port, so two hosts), each holding every connection to 4 MiB/s (limit_rate 4m), fetched with 8 connections
# in all by the CLI (the URL plus --mirror) and by aria2c given both URLs on its command line (-s8 -x4: 8 connections,
# at most 4 per server), alternately in the same run. The ideal is 256 MiB over 8 connections of 4 MiB/s: 8 s.
# Reports seconds, the ratio downloader/aria2c of the medians, and the bytes each mirror gave the CLI.
#   BENCH_WORK=... BENCH_PORT=... bench/mirrors.sh [ROUNDS]   (default 3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}
command -v aria2c >/dev/null || { echo "bench: aria2c is needed (apt-get install aria2)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install nginx)" >&2; exit 1; }
SIZE_MIB=256
file="$WORK/www/mirror-${SIZE_MIB}m.bin"
[ -f "$file" ] || head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$file"

conf="$WORK/nginx-mirrors.conf"
cat > "$conf" <<CONF
worker_processes 2;
pid $WORK/nginx-mirrors.pid;
error_log $WORK/logs/mirrors-error.log;
events { worker_connections 1024; }
http {
  log_format sent '\$body_bytes_sent';
  sendfile on;
  tcp_nopush on;
  server { listen 127.0.0.1:$PORT; root $WORK/www; limit_rate 4m; access_log $WORK/logs/mirror-a.log sent; }
  server { listen 127.0.0.2:$PORT; root $WORK/www; limit_rate 4m; access_log $WORK/logs/mirror-b.log sent; }
}
CONF
nginx -c "$conf" -s stop >/dev/null 2>&1 || true
sleep 0.2
nginx -c "$conf"
trap 'nginx -c "$conf" -s stop >/dev/null 2>&1 || true' EXIT
bench_cli

a="http://127.0.0.1:$PORT/$(basename "$file")"
b="http://127.0.0.2:$PORT/$(basename "$file")"
results="$WORK/mirrors.tsv"
printf 'round\ttool\tseconds\tidentical\tsent_by_a\tsent_by_b\tcli_bytes_from_a\tcli_bytes_from_b\tcli_dropped\n' > "$results"

run_tool() { # run_tool TOOL ROUND
  local tool=$1 round=$2 out="$WORK/out/mirrors-$1-$2" start end json="" from_a="" from_b="" dropped=""
  rm -rf "$out"; mkdir -p "$out"
  : > "$WORK/logs/mirror-a.log"; : > "$WORK/logs/mirror-b.log"
  start=$(date +%s.%N)
  case $tool in
    downloader) json=$(timeout 300 "$CLI" "$a" --mirror "$b" -d "$out" -x 8 --json 2>/dev/null || true) ;;
    aria2c) timeout 300 aria2c -s8 -x4 -k1M --file-allocation=none -q -d "$out" "$a" "$b" >/dev/null 2>&1 || true ;;
  esac
  end=$(date +%s.%N)
  if [ -n "$json" ]; then
    from_a=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"][0]["bytes"])')
    from_b=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"][1]["bytes"])')
    dropped=$(printf '%s' "$json" | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin)["sources"] if s["dropped"]))')
  fi
  # What each server sent (its access log, body bytes per request), for both tools alike.
  local sent_a sent_b
  sent_a=$(awk '{s+=$1} END {print s+0}' "$WORK/logs/mirror-a.log")
  sent_b=$(awk '{s+=$1} END {print s+0}' "$WORK/logs/mirror-b.log")
  local ok=no
  cmp -s "$file" "$out/$(basename "$file")" && ok=yes
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$(echo "$end - $start" | bc)" "$ok" "$sent_a" "$sent_b" "$from_a" "$from_b" "$dropped" >> "$results"
  echo "  round $round $tool $(echo "$end - $start" | bc)s identical=$ok sent a=$sent_a b=$sent_b ${from_a:+(cli says a=$from_a b=$from_b, dropped $dropped)}" >&2
  rm -rf "$out"
}

for r in $(seq 1 "$ROUNDS"); do
  # Alternate who goes first, so neither always meets the machine in the same state.
  if [ $((r % 2)) -eq 1 ]; then run_tool downloader "$r"; run_tool aria2c "$r"; else run_tool aria2c "$r"; run_tool downloader "$r"; fi
done

median() { awk -F'\t' -v t="$1" '$2==t {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=$(median downloader)
x=$(median aria2c)
echo
echo "| ${SIZE_MIB} MiB from 2 mirrors, 4 MiB/s per connection, 8 connections | median s | x ideal (8 s) |"
echo "|---|---|---|"
echo "| downloader -x 8 --mirror | $(printf '%.2f' "$d") | $(echo "scale=2; $d / 8" | bc) |"
echo "| aria2c -s8 -x4 (both URLs) | $(printf '%.2f' "$x") | $(echo "scale=2; $x / 8" | bc) |"
echo "ratio downloader/aria2c: $(echo "scale=3; $d / $x" | bc)"
mkdir -p "$BENCH_ROOT/bench/results"
cp "$results" "$BENCH_ROOT/bench/results/$(date +%F)-mirrors.tsv"
